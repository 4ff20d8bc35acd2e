// One migration: its mode and weight, the actions the caller's role allows (each with a reason),
// live charts of both sides, the judge (its decision, and gates and triggers as they read now),
// the plan's timeline and the audit. State changes arrive on the event stream; the charts and the judge are
// refreshed at most every 2 seconds.

import { getJson, postJson } from './api.js';
import { onState } from './events.js';
import { h, number, percent, clock, duration } from './dom.js';
import { lineChart } from './chart.js';
import { slots } from './figures.js';

const RefreshEvery = 2000;
const Presets = [1, 5, 10, 25, 50, 100];

export function migrationView(root, name, session, report) {
  const path = `/api/migrations/${encodeURIComponent(name)}`;
  const state = { view: null, metrics: null, judge: null, judgeProblem: null, audit: [], window: '5m', pending: null };
  let disposed = false;
  let timer = null;
  let refetch = null;

  const title = h('h1', {}, name);
  const summary = h('section', { class: 'summary', 'aria-label': 'State' });
  const actions = h('section', { class: 'actions', 'aria-label': 'Actions' });
  const charts = h('section', { class: 'charts', 'aria-labelledby': 'charts-title' });
  const judge = h('section', { class: 'judge', 'aria-labelledby': 'judge-title' });
  const plan = h('section', { class: 'plan', 'aria-labelledby': 'plan-title' });
  const audit = h('section', { class: 'audit', 'aria-labelledby': 'audit-title' });
  const explore = h('p', {}, h('a', { id: 'divergences-link', href: `#/d/${encodeURIComponent(name)}` }, 'Divergence explorer →'));
  root.replaceChildren(h('p', { class: 'back' }, h('a', { href: '#/' }, '← Fleet')), title, explore, summary, actions, charts, judge, plan, audit);

  const mayOperate = () => session.who?.mayOperate && (session.who.migrations === null || session.who.migrations.includes(name));

  async function loadState() {
    try {
      const [view, rows] = await Promise.all([getJson(path), getJson(`/api/audit?migration=${encodeURIComponent(name)}&limit=50`)]);
      if (disposed) {
        return;
      }

      show(view);
      state.audit = rows;
      drawAudit();
    } catch (problem) {
      report(problem);
    }
  }

  // The actions are drawn again only when what they offer changes, so a reason being typed is not wiped by a refresh.
  function show(view) {
    state.view = view;
    drawSummary();
    const offered = `${view.mode}|${view.weight}|${view.plan?.status}|${mustForce(view)}`;
    if (offered !== state.offered) {
      state.offered = offered;
      drawActions();
    }

    drawPlan();
  }

  async function loadLive() {
    try {
      const [view, metrics] = await Promise.all([getJson(path), getJson(`${path}/metrics?window=${state.window}`)]);
      show(view);
      state.metrics = metrics;
    } catch (problem) {
      report(problem);
    }

    if (state.view?.plan) {
      try {
        state.judge = await getJson(`${path}/judge`);
        state.judgeProblem = null;
      } catch (problem) {
        state.judge = null;
        state.judgeProblem = problem;
      }
    }

    if (!disposed) {
      drawCharts();
      drawJudge();
      if (state.view) {
        // The bake left and a backfill step's job come with the judge.
        drawPlan();
      }
    }
  }

  function drawSummary() {
    const v = state.view;
    summary.replaceChildren(h('dl', {},
      item('Mode', v.mode, 'mode'),
      item('Weight', `${number(v.weight, 2)}%`, 'weight'),
      item('Plan', v.plan ? `${v.plan.status}${v.plan.step ? ` · step ${v.plan.step}/${v.plan.stepCount}` : ''}` : 'none', 'plan-status'),
      item('Legacy', v.legacy),
      item('Candidate', v.candidate),
      item('Requests since start', `legacy ${v.stats.legacy.requests} · candidate ${v.stats.candidate.requests}`, 'counts'),
      item('Errors since start', `legacy ${v.stats.legacy.errors} · candidate ${v.stats.candidate.errors}`)));
  }

  function item(label, value, key) {
    return h('div', { class: 'item' }, h('dt', {}, label), h('dd', { 'data-field': key }, value));
  }

  function drawActions() {
    if (!mayOperate()) {
      actions.replaceChildren(h('p', { class: 'quiet' }, `Signed in as ${session.who?.actor ?? '?'} (${session.who?.role ?? '?'}): this role may look, not change.`));
      return;
    }

    const v = state.view;
    const slider = h('input', { type: 'range', id: 'weight-slider', min: 0, max: 100, step: 1, value: Math.round(v.weight), 'aria-label': 'Weight, percent of traffic to the candidate' });
    const field = h('input', { type: 'number', id: 'weight-value', min: 0, max: 100, step: 'any', value: v.weight, 'aria-label': 'Weight in percent' });
    slider.addEventListener('input', () => { field.value = slider.value; });
    field.addEventListener('input', () => { slider.value = field.value; });
    const reason = h('input', { type: 'text', id: 'weight-reason', required: true, placeholder: 'why', autocomplete: 'off' });
    const weightForm = h('form', { class: 'weight-form', onsubmit: e => {
      e.preventDefault();
      act('weight', { weight: Number(field.value), reason: reason.value.trim() }, `Weight set to ${field.value}%`);
    } },
    h('fieldset', {},
      h('legend', {}, 'Weight'),
      h('div', { class: 'slider' }, slider, field, h('span', {}, '%')),
      h('div', { class: 'presets', role: 'group', 'aria-label': 'Weight presets' },
        ...Presets.map(p => h('button', { type: 'button', class: 'preset', onclick: () => { field.value = p; slider.value = p; } }, `${p}%`))),
      h('label', { for: 'weight-reason' }, 'Reason '), reason,
      h('button', { type: 'submit', id: 'weight-set' }, 'Set weight')));

    const status = v.plan?.status;
    const buttons = [
      ['rollback', 'Roll back', true],
      ['force-rollback', 'Force rollback…', mustForce(v)],
      ['promote', 'Promote', !!v.plan && status !== 'completed'],
      ['pause', 'Pause', status === 'running'],
      ['resume', 'Resume', status === 'paused'],
      ['abort', 'Abort', status === 'running' || status === 'paused'],
      ['retry', 'Retry', status === 'rolled-back' || status === 'aborted'],
    ].filter(([, , shown]) => shown).map(([action, text]) =>
      h('button', { type: 'button', class: action.endsWith('rollback') ? 'danger' : null, 'data-action': action, onclick: () => (action === 'force-rollback' ? askForce() : ask(action, text)) }, text));

    actions.replaceChildren(weightForm, h('div', { class: 'plan-actions', role: 'group', 'aria-label': 'Plan actions' }, ...buttons), confirmation());
  }

  // One reason form for the plan actions: a click names the action, the form asks why, and only its own button sends it.
  function confirmation() {
    const pending = state.pending;
    if (!pending) {
      return h('div', { id: 'confirm', hidden: true });
    }

    // A forced rollback must say why: a reason of spaces alone does not pass.
    const reason = h('input', { type: 'text', id: 'action-reason', required: true, pattern: pending.force ? '.*\\S.*' : null, title: pending.force ? 'Say why legacy may serve again' : null, placeholder: 'why', autocomplete: 'off' });
    queueMicrotask(() => reason.focus());
    return h('form', { id: 'confirm', class: `confirm${pending.force ? ' force' : ''}`, onsubmit: e => {
      e.preventDefault();
      const { action, text, force } = state.pending;
      state.pending = null;
      drawActions();
      act(action, force ? { force: true, reason: reason.value.trim() } : { reason: reason.value.trim() }, `${text}: done`);
    } },
    pending.force ? h('p', { id: 'force-warning' }, pending.warning) : null,
    h('label', { for: 'action-reason' }, pending.force ? 'Reason (required) ' : `Reason to ${pending.text.toLowerCase()} `), reason,
    h('button', { type: 'submit', id: 'action-confirm', class: pending.action === 'rollback' ? 'danger' : null }, pending.text),
    h('button', { type: 'button', onclick: () => { state.pending = null; drawActions(); } }, 'Cancel'));
  }

  function ask(action, text) {
    state.pending = { action, text };
    drawActions();
  }

  // The forced rollback says what it costs: legacy lacks the writes made since the point of no return.
  function askForce() {
    const noReturn = state.view?.plan?.pointOfNoReturn;
    const step = noReturn ? `; step ${noReturn.step}${noReturn.note ? ` (${noReturn.note})` : ''}` : '';
    state.pending = { action: 'rollback', text: 'Force rollback', force: true, warning: `Force rollback: legacy no longer holds current data${step}` };
    drawActions();
  }

  async function act(action, body, done) {
    try {
      await postJson(`${path}/${action}`, body);
      report(null, done);
    } catch (problem) {
      report(problem);
      if (action === 'rollback' && !body.force && problem.status === 409 && problem.title === 'Past the point of no return') {
        await loadState();
        askForce();
        return;
      }
    }

    await loadState();
  }

  function drawCharts() {
    const m = state.metrics;
    if (!m) {
      return;
    }

    const from = Math.floor(new Date(m.from).getTime() / 10_000) * 10_000;
    const to = new Date(m.to).getTime();
    // A bucket the API does not list counted nothing: no requests, and no error rate or latency to draw.
    const series = (side, value) => slots(m).map((b, i) => [from + i * 10_000, b ? value(b[side]) : value(null)]);
    const both = (value, suffix = '', thin = false) => ['legacy', 'candidate'].map(side => ({ label: `${side}${suffix}`, side, values: series(side, value), thin }));
    const choose = h('div', { class: 'window', role: 'group', 'aria-label': 'Window' },
      ...['5m', '1h'].map(w => h('button', { type: 'button', 'aria-pressed': String(state.window === w), onclick: () => { state.window = w; loadLive(); } }, `last ${w === '5m' ? '5 minutes' : 'hour'}`)));
    charts.replaceChildren(
      h('h2', { id: 'charts-title' }, 'Both sides'),
      choose,
      h('p', { class: 'quiet' }, `legacy: solid line, round marks · candidate: dashed line, square marks · ${m.replicas} replica(s) counted`),
      h('div', { class: 'chart-grid' },
        figure('Requests per second', lineChart({ title: 'Requests per second', unit: '/s', series: both(s => (s ? s.requests / 10 : 0)), from, to, format: v => number(v, 1) })),
        figure('Error rate', lineChart({ title: 'Error rate', unit: '', series: both(s => (s?.requests > 0 ? s.errors / s.requests : null)), from, to, format: v => percent(v) })),
        figure('Latency p50 and p99', lineChart({ title: 'Latency p50 and p99 (ms)', unit: ' ms',
          series: [...both(s => s?.p50Ms ?? null, ' p50', true), ...both(s => s?.p99Ms ?? null, ' p99')], from, to, format: v => number(v, 1) }))));
  }

  function figure(caption, chart) {
    return h('figure', {}, chart, h('figcaption', {}, caption));
  }

  function drawJudge() {
    const j = state.judge;
    if (!state.view?.plan) {
      judge.replaceChildren(h('h2', { id: 'judge-title' }, 'Judge'), h('p', { class: 'quiet' }, 'No plan: nothing judges this migration.'));
      return;
    }

    if (!j) {
      judge.replaceChildren(h('h2', { id: 'judge-title' }, 'Judge'), h('p', { class: 'quiet' }, state.judgeProblem ? state.judgeProblem.detail : 'Reading…'));
      return;
    }

    const conditions = (rows, triggers) => h('table', { class: triggers ? 'triggers' : 'gates' },
      h('thead', {}, h('tr', {}, ...['Condition', 'Verdict', 'Value', 'Threshold', ...(triggers ? ['Held'] : []), 'Detail'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows.map(c => h('tr', { 'data-condition': c.condition, 'data-verdict': c.verdict },
        h('td', { 'data-label': 'Condition' }, h('code', {}, c.condition)),
        h('td', { 'data-label': 'Verdict', class: `verdict ${c.verdict}` }, verdictText(c, triggers)),
        h('td', { 'data-label': 'Value' }, number(c.value, 4)),
        h('td', { 'data-label': 'Threshold' }, number(c.threshold, 4)),
        ...(triggers ? [h('td', { 'data-label': 'Held', class: 'held' }, c.holdingSince ? `${duration(c.heldSeconds)} of ${duration(c.forSeconds)}` : `– of ${duration(c.forSeconds)}`)] : []),
        h('td', { 'data-label': 'Detail' }, c.detail)))));
    const test = j.latencyTest;
    const decision = j.decision;
    judge.replaceChildren(
      h('h2', { id: 'judge-title' }, 'Judge'),
      h('div', { id: 'decision', class: 'decision', 'data-verdict': decision.verdict },
        h('p', {}, 'Decision: ', h('strong', { class: `verdict ${decision.verdict}` }, decision.verdict), h('span', { class: 'quiet' }, advice(state.view.plan.status))),
        h('ul', {}, ...decision.reasons.map(r => h('li', {}, r)))),
      h('p', { class: 'quiet' }, `Gates over ${clock(j.from)}–${clock(j.to)}, at least ${j.minSamples} samples a side.`),
      h('h3', {}, 'Gates'),
      j.gates.length ? conditions(j.gates, false) : h('p', { class: 'quiet' }, 'No gate applies at this step.'),
      h('h3', {}, 'Triggers'),
      conditions(j.triggers, true),
      h('h3', {}, 'Latency (Mann-Whitney U)'),
      test
        ? h('p', { id: 'latency-test' }, `p-value that the candidate is slower: ${number(test.pValueCandidateSlower, 4)}; probability a candidate request is slower: ${number(test.probabilityCandidateSlower, 3)} (${test.candidateCount} candidate, ${test.legacyCount} legacy samples)`)
        : h('p', { id: 'latency-test', class: 'verdict inconclusive' }, `inconclusive: fewer than ${j.minSamples} samples on a side`));
  }

  // The decision reads the traffic as it is; only a plan under way acts on the same reading.
  function advice(status) {
    if (status === 'running' || status === 'paused') {
      return ' (advice; the plan moves by its own rules)';
    }

    return status === 'ready' ? ' (advice; the plan has not started)' : ` (advice; the plan is ${status} and no longer acts on it)`;
  }

  // Past the point of no return a person's rollback is refused unless forced; a rolled-back plan is already on legacy.
  function mustForce(view) {
    return !!view.plan?.pointOfNoReturn?.passed && view.plan.status !== 'rolled-back' && view.mode !== 'retired';
  }

  // A trigger whose condition is true holds only while the plan is under way: only then can it roll back.
  function verdictText(condition, trigger) {
    if (condition.verdict === 'inconclusive') {
      return 'inconclusive';
    }

    if (trigger) {
      return condition.verdict !== 'met' ? 'clear' : condition.holdingSince ? 'holding' : 'true, not holding';
    }

    return condition.verdict === 'met' ? 'met' : 'not met';
  }

  function drawPlan() {
    const p = state.view.plan;
    if (!p) {
      plan.replaceChildren(h('h2', { id: 'plan-title' }, 'Plan'), h('p', { class: 'quiet' }, 'This migration has no plan; its weight moves only by hand.'));
      return;
    }

    const current = p.step;
    const bake = state.judge?.stepBakeSeconds;
    const job = state.judge?.backfill;
    const noReturn = p.pointOfNoReturn;
    // replaceChildren would write a null as the text "null": the lines a plan lacks are left out.
    plan.replaceChildren(...[
      h('h2', { id: 'plan-title' }, 'Plan'),
      h('p', { id: 'plan-note' }, `${p.status}: ${p.note}`),
      p.window ? h('p', { id: 'plan-window' }, `Moves forward only in its window, ${p.window.text}: `,
        p.window.open ? 'open now.' : `closed, opens at ${p.window.opensAt.slice(0, 16).replace('T', ' ')} (${p.window.opensAt.match(/([+-]\d\d:\d\d|Z)$/)?.[1] ?? ''}). Triggers still roll back at any hour.`) : null,
      p.progressDeadline ? h('p', { id: 'plan-deadline' }, `A step not done within ${p.progressDeadline} pauses for a person.`) : null,
      h('ol', { class: 'timeline' }, ...p.steps.map((step, i) => {
        const here = current === i + 1;
        const done = current === null || (current !== null && i + 1 < current);
        const waits = step === 'pause until promoted';
        const last = noReturn?.step === i + 1;
        return h('li', { class: `${here ? 'current' : done ? 'done' : 'todo'}${last ? ' no-return' : ''}`, 'aria-current': here ? 'step' : null },
          h('span', { class: 'step' }, step),
          here ? h('span', { class: 'baked' }, ` · baked ${duration(p.bakedSeconds)}${bake ? `, ${duration(Math.max(bake - p.bakedSeconds, 0))} left` : ''}`) : null,
          waits ? h('span', { class: 'person' }, ' · waits for a person to promote') : null,
          here && job ? backfillJob(job) : null,
          last ? h('span', { class: 'passed' }, noReturn.passed
            ? ' · passed: legacy no longer holds current data; a trigger halts the plan, a rollback needs force'
            : ' · not passed yet: a trigger still rolls back') : null);
      }))].filter(Boolean));
  }

  // The job of a backfill step, as the store has it: its status and rows, with a bar when the source's rows are known.
  function backfillJob(job) {
    const rows = job.sourceRows ? `${job.rowsCopied} of ${job.sourceRows} rows` : `${job.rowsCopied} rows`;
    const text = `job ${job.name} ${job.status}, ${rows} copied${job.lastError ? `; last error: ${job.lastError}` : ''}`;
    return h('span', { class: 'backfill-job' }, ` · ${text} `,
      job.sourceRows ? h('progress', { value: Math.min(job.rowsCopied, job.sourceRows), max: job.sourceRows, 'aria-label': text }) : null);
  }

  function drawAudit() {
    audit.replaceChildren(
      h('h2', { id: 'audit-title' }, 'Audit'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'audit-log' },
        h('thead', {}, h('tr', {}, ...['Time', 'Actor', 'Action', 'Before → after', 'Reason'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...state.audit.map(a => h('tr', { 'data-action': a.action },
          h('td', { 'data-label': 'Time' }, clock(a.time)),
          h('td', { 'data-label': 'Actor', class: 'actor' }, a.actor),
          h('td', { 'data-label': 'Action' }, a.action),
          h('td', { 'data-label': 'Before → after' }, `${a.before} → ${a.after}`),
          h('td', { 'data-label': 'Reason', class: 'reason' }, a.reason, a.evidence ? evidence(a.evidence) : null)))))));
  }

  function evidence(json) {
    let text = json;
    try {
      text = JSON.stringify(JSON.parse(json), null, 2);
    } catch {
      // Shown as stored.
    }

    return h('details', {}, h('summary', {}, 'evidence'), h('pre', {}, text));
  }

  const unsubscribe = onState(changed => {
    if (changed.name === name) {
      clearTimeout(refetch);
      refetch = setTimeout(() => { loadState().then(loadLive); }, 50);
    }
  });
  const loop = async () => {
    await loadLive();
    if (!disposed) {
      timer = setTimeout(loop, RefreshEvery);
    }
  };
  loadState().then(loop);

  return () => {
    disposed = true;
    unsubscribe();
    clearTimeout(timer);
    clearTimeout(refetch);
  };
}
