// The divergence explorer: a migration's endpoints, then their differing paths with counts and
// first and last seen, then a stored sample: the request with its (redacted) headers, and the two
// answers side by side with exactly the reported paths marked, and the ignored and learned-noise
// paths shown as such. Everything from GET /api/migrations/{name}/divergences.

import { getJson } from './api.js';
import { h, clock, percent } from './dom.js';
import { jsonTree, PathMarks } from './json-tree.js';

export function divergencesView(root, name, sampleId, report) {
  let disposed = false;
  const path = `/api/migrations/${encodeURIComponent(name)}/divergences${sampleId ? `?sample=${encodeURIComponent(sampleId)}` : ''}`;
  root.replaceChildren(h('p', { class: 'back' }, h('a', { href: `#/m/${encodeURIComponent(name)}` }, `← ${name}`)), h('h1', {}, `Divergences of ${name}`), h('p', {}, 'Loading…'));

  async function load() {
    try {
      const report = await getJson(path);
      if (!disposed) {
        draw(report);
      }
    } catch (problem) {
      report(problem);
    }
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
        h('p', {}, 'Learned as noise: ', noise.length ? noise.map(n => h('code', { class: 'noise', title: `${n.endpoint}, learned ${clock(n.learnedAt)}` }, n.path)) : 'none')),
      d.sample ? sample(d.sample, d.ignored, noise.filter(n => n.endpoint === d.sample.endpoint).map(n => n.path)) : h('p', { class: 'quiet' }, 'No sample stored.'));
  }

  function endpoint(e) {
    return h('details', { class: 'endpoint', open: true, 'data-endpoint': e.endpoint },
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
      request
        ? h('div', { class: 'request' }, h('h3', {}, 'Request'), h('p', {}, h('code', {}, `${request.method} ${request.target}`)),
          headers(request.headers, null, true), request.body ? h('pre', {}, request.body) : null)
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
      headers(answer.headers, marks),
      body);
  }

  function headers(values, marks, open = false) {
    return h('details', { open }, h('summary', {}, 'Headers'), h('dl', { class: 'headers' },
      ...Object.entries(values).flatMap(([key, value]) => {
        const differs = marks?.differs(`header:${key}`);
        return [h('dt', { class: differs ? 'diff' : null }, `${key}${differs ? ' ≠' : ''}`), h('dd', {}, value)];
      })));
  }

  load();
  return () => { disposed = true; };
}
