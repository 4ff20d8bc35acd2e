// Backfill jobs: the data copies run by `cutover backfill run --store` against this Cutover's
// store, from GET /api/backfills, read again 2 seconds after the last read ended.

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
        fact('Time left', j.timeLeftSeconds === null ? '– (the API does not count the source)' : duration(j.timeLeftSeconds)),
        fact('Throttle', j.throttle, 'throttle'),
        fact('Last key', j.lastKey ? j.lastKey.join(', ') : '–'),
        fact('Checksum', j.checksum ?? '–'),
        fact('Updated', clock(j.updatedAt)),
        fact('Skipped rows', String(j.skipped.total)),
        j.lastError ? fact('Last error', j.lastError, 'error') : null),
      j.ranges.length ? ranges(j.ranges) : null);
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
