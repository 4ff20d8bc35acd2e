// A JSON value drawn as indented lines, each knowing its path ($.items[2].price, as the
// comparison writes paths), so the paths a comparison reported can be marked exactly, and the
// paths left out of it (compare.ignore, learned noise) shown as such. Marks are text as well as
// style: "≠" for a difference, "(ignored)" and "(noise)" for paths not compared.

import { h } from './dom.js';

/** The paths of one sample: those that differ, and the patterns not compared. */
export class PathMarks {
  constructor(differences, ignored, noise) {
    this.differences = differences.map(pattern);
    this.ignored = ignored.map(pattern);
    this.noise = noise.map(pattern);
    this.special = new Set(differences.filter(d => !d.startsWith('$')));
  }

  /** Whether a path outside the JSON body (status, header:NAME, body) differs. */
  differs(name) {
    return this.special.has(name);
  }

  /** The mark of a JSON path: diff, ignored, noise or null. */
  of(path) {
    if (this.differences.some(p => p.test(path))) {
      return 'diff';
    }

    if (this.ignored.some(p => p.test(path))) {
      return 'ignored';
    }

    return this.noise.some(p => p.test(path)) ? 'noise' : null;
  }
}

/** A JSON path pattern ($.a[*].b, $.*) as a test of concrete paths. */
function pattern(text) {
  const source = text
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\\\[\\\*\\\]/g, '\\[\\d+\\]')
    .replace(/\\\.\\\*/g, "(?:\\.[A-Za-z0-9_-]+|\\['[^']*'\\])");
  return new RegExp(`^${source}$`);
}

/** The path of a property under its parent, as the comparison writes it. */
function child(parent, key) {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }

  return /^[A-Za-z0-9_-]+$/.test(key) ? `${parent}.${key}` : `${parent}['${key}']`;
}

/** The value as a block of lines, with the marked paths' lines marked. */
export function jsonTree(value, marks) {
  const lines = [];
  walk(value, '$', 0, null, true, marks, lines);
  return h('div', { class: 'json', role: 'group' }, ...lines);
}

function walk(value, path, depth, key, last, marks, lines) {
  const mark = marks.of(path);
  const label = key === null ? '' : typeof key === 'number' ? '' : `${JSON.stringify(key)}: `;
  const comma = last ? '' : ',';
  const line = (text, closing = false) => h('div', {
    class: `line${!closing && mark ? ` ${mark}` : ''}`,
    'data-path': closing ? null : path,
  }, h('span', { class: 'indent', 'data-depth': depth }, '  '.repeat(depth)), text, !closing && mark ? h('span', { class: 'mark-label' }, mark === 'diff' ? '  ≠' : `  (${mark})`) : null);
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      lines.push(line(`${label}${open}${close}${comma}`));
      return;
    }

    lines.push(line(`${label}${open}`));
    entries.forEach(([k, v], i) => walk(v, child(path, k), depth + 1, k, i === entries.length - 1, marks, lines));
    lines.push(line(`${close}${comma}`, true));
    return;
  }

  lines.push(line(`${label}${JSON.stringify(value)}${comma}`));
}
