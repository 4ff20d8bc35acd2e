// The divergence explorer: a migration's endpoints, then their differing paths with counts and
// first and last seen, then a stored sample: the request with its (redacted) headers, and the two
// answers side by side with exactly the reported paths marked, and the ignored and learned-noise
// paths shown as such, and the noise the migration learned. Everything from
// GET /api/migrations/{name}/divergences, read again 2 seconds after the last read ended and drawn
// again only when the answer changed, keeping what the reader chose: the sample shown (the first
// one shown stays until another is picked, so newer traffic never swaps it away, and once the
// store prunes it its copy stays, marked so), the sections opened or closed, the scroll position
// and the focus.

import { getJson } from './api.js';
import { h, clock, percent } from './dom.js';
import { jsonTree, PathMarks } from './json-tree.js';

const RefreshEvery = 2000;

export function divergencesView(root, name, sampleId, report) {
  let disposed = false;
  let timer = null;
  let shown = sampleId;
  let kept = null;
  let pruned = false;
  let drawn = null;
  root.replaceChildren(h('p', { class: 'back' }, h('a', { href: `#/m/${encodeURIComponent(name)}` }, `← ${name}`)), h('h1', {}, `Divergences of ${name}`), h('p', {}, 'Loading…'));

  async function load() {
    if (!document.hidden) {
      try {
        const answer = await read();
        const text = JSON.stringify(answer);
        if (!disposed && text !== drawn) {
          drawn = text;
          keeping(() => draw(answer));
        }
      } catch (problem) {
        report(problem);
      }
    }

    if (!disposed) {
      timer = setTimeout(load, RefreshEvery);
    }
  }

  async function read() {
    const path = `/api/migrations/${encodeURIComponent(name)}/divergences`;
    if (shown && !pruned) {
      try {
        const answer = await getJson(`${path}?sample=${encodeURIComponent(shown)}`);
        kept = answer.sample;
        return answer;
      } catch (problem) {
        if (problem.status !== 404 || !kept) {
          throw problem;
        }

        pruned = true;
      }
    }

    const answer = await getJson(path);
    if (pruned) {
      return { ...answer, sample: { ...kept, pruned: true } };
    }

    shown = answer.sample?.id ?? null;
    kept = answer.sample;
    return answer;
  }

  // Draws again with the reader's state as it was: which sections are open, where the page is
  // scrolled, and which link or section heading has the focus.
  function keeping(drawAgain) {
    const open = new Map([...root.querySelectorAll('details[data-key]')].map(d => [d.dataset.key, d.open]));
    const focused = root.contains(document.activeElement) ? focusKey(document.activeElement) : null;
    const [x, y] = [window.scrollX, window.scrollY];
    drawAgain();
    for (const details of root.querySelectorAll('details[data-key]')) {
      if (open.has(details.dataset.key)) {
        details.open = open.get(details.dataset.key);
      }
    }

    window.scrollTo(x, y);
    if (focused) {
      root.querySelector(focused)?.focus();
    }
  }

  function focusKey(element) {
    if (element.matches('a[href]')) {
      return `a[href="${CSS.escape(element.getAttribute('href'))}"]`;
    }

    const details = element.matches('summary') ? element.closest('details[data-key]') : null;
    return details ? `details[data-key="${CSS.escape(details.dataset.key)}"] > summary` : null;
  }

  function draw(d) {
    const s = d.shadow;
    const noise = d.endpoints.flatMap(e => e.noise);
    root.replaceChildren(
      h('p', { class: 'back' }, h('a', { href: `#/m/${encodeURIComponent(name)}` }, `← ${name}`)),
      h('h1', {}, `Divergences of ${name}`),
      h('p', { class: 'quiet' }, `Mode ${d.mode}. Since this Cutover started: ${s.mirrored} mirrored, ${s.compared} compared, ${s.divergent} divergent (${percent(s.compared ? s.divergenceRate : null)}), ${s.dropped} dropped.`),
      h('section', { 'aria-labelledby': 'endpoints-title' },
        h('h2', { id: 'endpoints-title' }, 'Endpoints'),
        d.endpoints.length === 0 ? h('p', { class: 'quiet' }, 'Nothing compared yet.') : null,
        ...d.endpoints.map(endpoint)),
      h('section', { 'aria-labelledby': 'rules-title' },
        h('h2', { id: 'rules-title' }, 'Not compared'),
        h('p', {}, 'Ignored by compare.ignore: ', d.ignored.length ? d.ignored.map(p => h('code', { class: 'ignored' }, p)) : 'none'),
        h('h3', {}, 'Learned as noise'),
        noise.length
          ? h('ul', { class: 'noise-list' }, ...noise.map(n => h('li', { 'data-noise': `${n.endpoint} ${n.path}` },
            h('code', { class: 'noise' }, n.path), ` on ${n.endpoint}, learned ${clock(n.learnedAt)}`)))
          : h('p', { class: 'quiet' }, 'None: with shadow.noiseProbe, fields whose legacy answers differ from one asking to the next are learned here.')),
      d.sample ? sample(d.sample, d.ignored, noise.filter(n => n.endpoint === d.sample.endpoint).map(n => n.path)) : h('p', { class: 'quiet' }, 'No sample stored.'));
  }

  function endpoint(e) {
    return h('details', { class: 'endpoint', open: true, 'data-endpoint': e.endpoint, 'data-key': `endpoint ${e.endpoint}` },
      h('summary', {}, h('code', {}, e.endpoint), ` · ${e.divergent} of ${e.compared} differ · first ${clock(e.firstSeen)}, last ${clock(e.lastSeen)}`),
      h('div', { class: 'table-wrap' }, h('table', { class: 'paths' },
        h('thead', {}, h('tr', {}, ...['Path', 'Kind', 'Count', 'First seen', 'Last seen'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...e.paths.map(p => h('tr', { 'data-path': p.path },
          h('td', {}, h('code', {}, p.path)), h('td', {}, p.kind), h('td', {}, String(p.count)), h('td', {}, clock(p.firstSeen)), h('td', {}, clock(p.lastSeen))))))),
      h('p', {}, 'Samples: ', ...e.samples.map(sampleLink)));
  }

  function sampleLink(s) {
    return h('a', { class: 'sample-link', href: `#/d/${encodeURIComponent(name)}/${s.id}` }, `#${s.id} ${s.path} at ${clock(s.time)}`);
  }

  function sample(s, ignored, noise) {
    const marks = new PathMarks(s.differences.map(d => d.path), ignored, noise);
    const request = s.request;
    return h('section', { class: 'sample', 'aria-labelledby': 'sample-title', 'data-sample': s.id },
      h('h2', { id: 'sample-title' }, `Sample #${s.id}: ${s.endpoint}`),
      h('p', { class: 'quiet' }, `${clock(s.time)} · ${s.totalDifferences} difference(s) · marked ≠ differ, (ignored) and (noise) are not compared`),
      s.pruned ? h('p', { class: 'pruned' }, 'No longer stored: each differing path keeps its newest 3 samples. This copy stays until another sample is picked.') : null,
      request
        ? h('div', { class: 'request' }, h('h3', {}, 'Request'), h('p', {}, h('code', {}, `${request.method} ${request.target}`)),
          headers('request', request.headers, null, true), request.body ? h('pre', {}, request.body) : null)
        : h('p', {}, `In-process call from ${s.call?.app ?? '?'}, sticky key ${s.call?.stickyKey ?? 'none'}`),
      h('div', { class: 'sides' }, side('legacy', s.legacy, marks), side('candidate', s.candidate, marks)),
      h('h3', {}, 'Differences'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'differences' },
        h('thead', {}, h('tr', {}, ...['Path', 'Kind', 'Legacy', 'Candidate'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...s.differences.map(d => h('tr', {}, h('td', {}, h('code', {}, d.path)), h('td', {}, d.kind), h('td', {}, h('code', {}, d.legacy ?? '–')), h('td', {}, h('code', {}, d.candidate ?? '–'))))))));
  }

  function side(label, answer, marks) {
    let body = null;
    try {
      body = jsonTree(JSON.parse(answer.body), marks);
    } catch {
      body = h('pre', { class: marks.differs('body') ? 'diff' : null }, answer.body);
    }

    return h('div', { class: `side-answer ${label}`, 'data-side': label },
      h('h3', {}, label === 'legacy' ? 'Legacy' : 'Candidate'),
      h('p', { class: marks.differs('status') ? 'diff' : null }, `Status ${answer.status ?? '–'}${marks.differs('status') ? ' ≠' : ''} · ${answer.latencyMs ?? '–'} ms${answer.bodyTruncated ? ' · body cut' : ''}`),
      headers(label, answer.headers, marks),
      body);
  }

  function headers(key, values, marks, open = false) {
    return h('details', { open, 'data-key': `headers ${key}` }, h('summary', {}, 'Headers'), h('dl', { class: 'headers' },
      ...Object.entries(values).flatMap(([key, value]) => {
        const differs = marks?.differs(`header:${key}`);
        return [h('dt', { class: differs ? 'diff' : null }, `${key}${differs ? ' ≠' : ''}`), h('dd', {}, value)];
      })));
  }

  load();
  return () => {
    disposed = true;
    clearTimeout(timer);
  };
}
