// The fleet: every migration in one table, the ones needing a person first, live from the event
// stream (a state change refetches at once) with each side's figures over the last 5 minutes
// and the judge of each plan under way, refreshed at most every 2 seconds; the totals carry the
// success score, overall and per group.

import { getJson } from './api.js';
import { onState } from './events.js';
import { h, number, percent } from './dom.js';
import { sparkline } from './chart.js';
import { attention, sideFigures } from './figures.js';

const MetricsEvery = 2000;
const FleetEvery = 15000;

// Rows whose trend lines are kept fresh; past this the table still lists every migration.
const MetricsRows = 50;

export function fleetView(root, report) {
  const state = { fleet: null, drawn: false, metrics: new Map(), judges: new Map(), filters: { group: '', name: '', phase: '' } };
  let disposed = false;
  let refetch = null;
  let metricsTimer = null;

  const totals = h('section', { class: 'totals', 'aria-label': 'Fleet totals' });
  const groupScores = h('p', { class: 'group-scores' });
  const groupFilter = h('select', { id: 'filter-group', onchange: e => { state.filters.group = e.target.value; draw(); } }, h('option', { value: '' }, 'every group'));
  const nameFilter = h('input', { id: 'filter-name', type: 'search', placeholder: 'name contains', oninput: e => { state.filters.name = e.target.value.trim(); draw(); } });
  const phaseFilter = h('select', { id: 'filter-state', onchange: e => { state.filters.phase = e.target.value; draw(); } },
    ...[['', 'every state'], ['attention', 'needs attention'], ['in-progress', 'in progress'], ['migrated', 'migrated'], ['rolled-back', 'rolled back'], ['not-started', 'not started']]
      .map(([value, text]) => h('option', { value }, text)));
  const body = h('tbody');
  const table = h('table', { class: 'fleet' },
    h('caption', {}, 'Migrations, those needing attention first'),
    h('thead', {}, h('tr', {},
      ...['Needs attention', 'Migration', 'Group', 'Mode', 'Weight', 'Plan', 'Legacy: req/s · errors · p99', 'Candidate: req/s · errors · p99', 'Divergence']
        .map(text => h('th', { scope: 'col' }, text)))),
    body);
  root.replaceChildren(
    h('h1', {}, 'Fleet'),
    totals,
    groupScores,
    h('form', { class: 'filters', role: 'search', onsubmit: e => e.preventDefault() },
      h('label', {}, 'Group ', groupFilter), h('label', {}, 'Name ', nameFilter), h('label', {}, 'State ', phaseFilter)),
    h('div', { class: 'table-wrap' }, table));

  async function load() {
    try {
      const fleet = await getJson('/api/fleet');
      if (disposed) {
        return;
      }

      state.fleet = fleet;
      draw();
      if (!state.drawn) {
        state.drawn = true;
        performance.mark('cutover:fleet-drawn');
      }
    } catch (problem) {
      report(problem);
    }
  }

  async function loadMetrics() {
    if (!state.fleet || disposed) {
      return;
    }

    const shown = visible().slice(0, MetricsRows);
    await Promise.all(shown.map(async m => {
      const path = `/api/migrations/${encodeURIComponent(m.name)}`;
      try {
        state.metrics.set(m.name, await getJson(`${path}/metrics?window=5m`));
        // Only a plan under way has triggers that can hold and gates that can fail now.
        const status = m.plan;
        state.judges.set(m.name, status === 'running' || status === 'paused' ? await getJson(`${path}/judge`) : null);
      } catch (problem) {
        if (problem.status !== 404 && problem.status !== 409) {
          report(problem);
        }
      }
    }));
    if (!disposed) {
      draw();
    }
  }

  function rows() {
    return (state.fleet?.migrations ?? []).map(m => ({ ...m, metrics: state.metrics.get(m.name) }))
      .map(m => ({ ...m, attention: attention(m.plan ? { status: m.plan, note: m.note ?? '' } : null, m.metrics, state.judges.get(m.name)) }));
  }

  function visible() {
    const { group, name, phase } = state.filters;
    return rows()
      .filter(m => !group || (group === '(none)' ? m.group === null : m.group === group))
      .filter(m => !name || m.name.includes(name))
      .filter(m => !phase || (phase === 'attention' ? m.attention.length > 0 : m.phase === phase))
      .sort((a, b) => (b.attention.length > 0) - (a.attention.length > 0));
  }

  function draw() {
    const fleet = state.fleet;
    if (!fleet) {
      return;
    }

    const all = rows();
    const t = fleet.totals;
    totals.replaceChildren(
      ...[['total', t.total], ['migrated', t.migrated], ['in progress', t.inProgress], ['rolled back', t.rolledBack], ['not started', t.notStarted],
        ['rollbacks', t.rollbacks], ['need attention', all.filter(m => m.attention.length > 0).length],
        ['p99 change', t.p99ChangePercent === null ? '–' : `${number(t.p99ChangePercent)}%`], ['success score', score(t.successScore)]]
        .map(([label, value]) => h('div', { class: 'total', 'data-total': label }, h('span', { class: 'value' }, String(value)), h('span', { class: 'name' }, label))));
    groupScores.replaceChildren('Success score by group: ', ...fleet.groups.map(g =>
      h('span', { 'data-group': g.group ?? '' }, `${g.group ?? '(no group)'} ${score(g.totals.successScore)}`)));

    const groups = [...new Set(fleet.migrations.map(m => m.group ?? '(none)'))].sort();
    if (groupFilter.options.length !== groups.length + 1) {
      groupFilter.replaceChildren(h('option', { value: '' }, 'every group'), ...groups.map(g => h('option', { value: g }, g)));
      groupFilter.value = state.filters.group;
    }

    body.replaceChildren(...visible().map(row));
  }

  // 0 to 100, migrated weighed by priority less half per rollback; a dash when nothing is counted.
  function score(value) {
    return value === null || value === undefined ? '–' : `${number(value, 1)}/100`;
  }

  function row(m) {
    return h('tr', { 'data-migration': m.name, class: m.attention.length > 0 ? 'attention' : null },
      h('td', { 'data-label': 'Needs attention', class: 'attention-cell' }, ...m.attention.map(reason => h('span', { class: 'mark' }, `⚠ ${reason}`))),
      h('th', { scope: 'row', 'data-label': 'Migration' }, h('a', { href: `#/m/${encodeURIComponent(m.name)}` }, m.name), h('span', { class: 'priority' }, ` ${m.priority}`)),
      h('td', { 'data-label': 'Group' }, m.group ?? '–', m.lockstep ? h('span', { class: 'lockstep', title: 'moves in lockstep with its group' }, ' · lockstep') : null),
      h('td', { 'data-label': 'Mode', class: 'mode' }, m.mode),
      h('td', { 'data-label': 'Weight', class: 'weight' }, `${number(m.weight, 2)}%`),
      h('td', { 'data-label': 'Plan' }, m.plan ? `${m.plan}${m.step ? ` · step ${m.step}` : ''}` : '–'),
      side(m, 'legacy'),
      side(m, 'candidate'),
      h('td', { 'data-label': 'Divergence' }, percent(m.metrics?.shadow.divergenceRate ?? null, 2)));
  }

  function side(m, name) {
    const figures = sideFigures(m.metrics, name);
    return h('td', { 'data-label': name === 'legacy' ? 'Legacy' : 'Candidate', class: `side ${name}` },
      h('span', { class: 'figures' }, `${number(figures.rate, 1)}/s · ${percent(figures.errorRate)} · ${number(figures.p99, 1)} ms`),
      m.metrics ? sparkline(figures.trend, name, `${name} requests per second over 5 minutes`) : null);
  }

  const unsubscribe = onState(() => {
    clearTimeout(refetch);
    refetch = setTimeout(load, 100);
  });
  const fleetTimer = setInterval(load, FleetEvery);
  const metricsLoop = async () => {
    await loadMetrics();
    if (!disposed) {
      metricsTimer = setTimeout(metricsLoop, MetricsEvery);
    }
  };
  load().then(metricsLoop);

  return () => {
    disposed = true;
    unsubscribe();
    clearTimeout(refetch);
    clearTimeout(metricsTimer);
    clearInterval(fleetTimer);
  };
}
