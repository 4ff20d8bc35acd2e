// Backfill jobs: the data copies run by `cutover backfill run --store` against this Cutover's
// store, from GET /api/backfills, read again 2 seconds after the last read ended, each with the
// result of its latest `cutover backfill verify`.

import { getJson } from './api.js';
import { h, number, clock, duration } from './dom.js';

const RefreshEvery = 2000;

export function backfillsView(root, report) {
  let disposed = false;
  let timer = null;
  const list = h('div', { class: 'jobs' });
  root.replaceChildren(h('h1', {}, 'Backfill jobs'), list);

  async function load() {
    try {
      const jobs = await getJson('/api/backfills');
      if (!disposed) {
        list.replaceChildren(...(jobs.length ? jobs.map(job) : [h('p', { class: 'quiet' }, 'No backfill job has run against this store: `cutover backfill run -f JOB.yaml --store STORE` shows here.')]));
      }
    } catch (problem) {
      report(problem);
    }

    if (!disposed) {
      timer = setTimeout(load, RefreshEvery);
    }
  }

  function job(j) {
    const done = j.ranges.filter(r => r.status === 'done').length;
    const progress = j.status === 'completed' ? [1, 1]
      : j.sourceRows ? [j.rowsCopied, j.sourceRows]
        : j.ranges.length ? [done, j.ranges.length] : null;
    return h('section', { class: 'job', 'data-job': j.name, 'aria-labelledby': `job-${j.name}` },
      h('h2', { id: `job-${j.name}` }, j.name, h('span', { class: `status ${j.status}` }, ` ${j.status}`)),
      bar(progress, `${j.name}: ${progressText(j, progress, done)}`),
      h('p', { class: 'progress-text' }, progressText(j, progress, done)),
      h('dl', { class: 'facts' },
        fact('Rows copied', String(j.rowsCopied), 'rows'),
        fact('Rows per second', number(j.rowsPerSecond, 0)),
        fact('Time left', timeLeft(j), 'time-left'),
        fact('Throttle', j.throttle, 'throttle'),
        fact('Last key', j.lastKey ? j.lastKey.join(', ') : '–'),
        fact('Checksum', j.checksum ?? '–'),
        fact('Updated', clock(j.updatedAt)),
        fact('Skipped rows', String(j.skipped.total)),
        j.lastError ? fact('Last error', j.lastError, 'error') : null),
      verify(j),
      j.ranges.length ? ranges(j.ranges) : null);
  }

  function timeLeft(j) {
    if (j.timeLeftSeconds !== null) {
      return duration(j.timeLeftSeconds);
    }

    return j.status === 'running' ? '– (no speed yet, or paused)' : '–';
  }

  // The latest verify: a job copied but never verified says how to prove it; a verify that found
  // differences counts them and lists the first keys (the store keeps as many as fit in 4 KiB).
  function verify(j) {
    const v = j.lastVerify;
    if (!v) {
      return h('div', { class: 'verify', 'data-verify': 'never' },
        h('h3', {}, 'Last verify'),
        h('p', { class: 'quiet' }, `Never verified: \`cutover backfill verify ${j.name}\` compares the target with the source.`));
    }

    const found = v.missing + v.extra + v.different;
    const outcome = v.identical && found === 0
      ? `Clean: ${v.sourceRows} source rows, ${v.targetRows} target rows`
      : `${found} rows ${v.repaired ? 'differed' : 'differ'}: ${v.missing} missing, ${v.extra} extra, ${v.different} different, of ${v.sourceRows} source rows`;
    return h('div', { class: 'verify', 'data-verify': v.identical ? 'clean' : 'differs' },
      h('h3', {}, 'Last verify ', h('span', { class: 'quiet' }, `${when(v.at)}, job ${v.jobStatus}`)),
      h('p', { class: `outcome ${v.identical ? 'clean' : 'differs'}` }, `${v.identical ? '✓' : '≠'} ${outcome}`),
      v.repaired ? h('p', { class: 'repair' }, `Repaired: ${v.recopied} rows copied again, ${v.deleted} deleted, ${v.remaining} still differ.`) : null,
      v.firstDifferences.length ? h('ul', { class: 'differences', 'aria-label': `${j.name}: first differing keys` },
        ...v.firstDifferences.map(d => h('li', {}, h('span', { class: 'kind' }, d.kind), ` ${d.key}`, d.columns.length ? `: ${d.columns.join(', ')}` : ''))) : null,
      found > v.firstDifferences.length ? h('p', { class: 'quiet' }, `the first ${v.firstDifferences.length} of ${found} listed; \`cutover backfill verify ${j.name}\` lists up to 100`) : null);
  }

  function when(iso) {
    return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'medium' });
  }

  function progressText(j, progress, done) {
    if (j.status === 'completed') {
      return `completed: ${j.rowsCopied} rows`;
    }

    if (j.sourceRows) {
      return `${j.rowsCopied} of ${j.sourceRows} rows`;
    }

    return j.ranges.length ? `${done} of ${j.ranges.length} key ranges done, ${j.rowsCopied} rows` : `${j.rowsCopied} rows so far`;
  }

  function bar(progress, label) {
    return progress
      ? h('progress', { value: progress[0], max: progress[1], 'aria-label': label })
      : h('progress', { 'aria-label': label });
  }

  function fact(label, value, key) {
    return h('div', {}, h('dt', {}, label), h('dd', { 'data-field': key }, value));
  }

  function ranges(items) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'ranges' },
      h('caption', {}, 'Key ranges'),
      h('thead', {}, h('tr', {}, ...['Range', 'Keys', 'Status', 'Rows', 'Holder'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...items.map(r => h('tr', { 'data-range': r.index },
        h('td', {}, String(r.index)),
        h('td', {}, `${r.after ? `after ${r.after.join(', ')}` : 'from the start'} ${r.upTo ? `up to ${r.upTo.join(', ')}` : 'to the end'}`),
        h('td', { class: 'status' }, r.status),
        h('td', {}, String(r.rowsCopied)),
        h('td', { class: 'holder' }, r.holder ?? '–'))))));
  }

  load();
  return () => {
    disposed = true;
    clearTimeout(timer);
  };
}
