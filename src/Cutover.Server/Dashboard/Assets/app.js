// The page: who the caller is (GET /api/whoami), the token form when the API asks for one, the
// one event stream, and the view the address names (#/ the fleet, #/m/NAME a migration,
// #/d/NAME[/SAMPLE] its divergences, #/b the backfill jobs).

import { getJson, setToken, token, Problem } from './api.js';
import * as events from './events.js';
import { h } from './dom.js';
import { fleetView } from './fleet.js';
import { migrationView } from './migration.js';
import { divergencesView } from './divergences.js';
import { backfillsView } from './backfills.js';

const session = { who: null };
const view = document.getElementById('view');
let dispose = null;
let asking = false;

/** Shows a refusal's problem detail, or a short confirmation of a change that went through. */
function report(problem, done) {
  const alert = document.getElementById('alert');
  if (!problem) {
    if (done) {
      show(alert, 'ok', done, '');
    }

    return;
  }

  if (problem.status === 401) {
    return;
  }

  show(alert, 'error', problem instanceof Problem ? problem.title : 'Error', problem instanceof Problem ? problem.detail : String(problem.message ?? problem));
}

function show(alert, kind, title, detail) {
  alert.dataset.kind = kind;
  document.getElementById('alert-title').textContent = title;
  document.getElementById('alert-detail').textContent = detail;
  alert.hidden = false;
}

function route() {
  dispose?.();
  dispose = null;
  const migration = /^#\/m\/([^/]+)$/.exec(location.hash);
  const divergences = /^#\/d\/([^/]+)(?:\/(\d+))?$/.exec(location.hash);
  if (migration) {
    dispose = migrationView(view, decodeURIComponent(migration[1]), session, report);
  } else if (location.hash === '#/b') {
    dispose = backfillsView(view, report);
  } else if (divergences) {
    dispose = divergencesView(view, decodeURIComponent(divergences[1]), divergences[2] ?? null, report);
  } else {
    dispose = fleetView(view, report);
  }
}

function askForToken(problem) {
  if (asking) {
    return;
  }

  asking = true;
  dispose?.();
  dispose = null;
  const field = h('input', { type: 'password', id: 'token', required: true, autocomplete: 'off', spellcheck: 'false' });
  view.replaceChildren(h('form', { class: 'token-form', id: 'token-form', onsubmit: async e => {
    e.preventDefault();
    setToken(field.value.trim());
    asking = false;
    await start();
  } },
  h('h1', {}, 'Token needed'),
  h('p', {}, problem?.detail || 'This admin API takes tokens.'),
  h('p', { class: 'quiet' }, 'The token stays in this tab (sessionStorage) and goes out only as an Authorization header to this server.'),
  h('label', { for: 'token' }, 'Token '), field,
  h('button', { type: 'submit' }, 'Use token')));
  field.focus();
}

async function start() {
  try {
    session.who = await getJson('/api/whoami');
  } catch (problem) {
    if (problem.status !== 401) {
      report(problem);
    }

    return;
  }

  document.getElementById('who').replaceChildren(
    `${session.who.actor} · ${session.who.role}`,
    session.who.auth === 'tokens' ? h('button', { type: 'button', id: 'sign-out', onclick: () => { setToken(null); location.reload(); } }, 'Forget token') : '');
  events.start();
  route();
}

events.onStatus(status => {
  const live = document.getElementById('live');
  live.dataset.state = status;
  live.textContent = status;
});
window.addEventListener('cutover:unauthorized', e => askForToken(e.detail));
window.addEventListener('hashchange', () => {
  if (!asking && session.who) {
    route();
  }
});
document.getElementById('alert-close').addEventListener('click', () => { document.getElementById('alert').hidden = true; });
if (token() === '') {
  setToken(null);
}

start();
