// Small SVG charts drawn here, with no library: a trend line for the fleet table and a chart of
// both sides over time. Legacy and candidate are told apart by their label and their line
// (solid with round markers, dashed with square markers), never by colour alone.

import { svg, number } from './dom.js';

/** How each side's series is drawn. */
export const SideStyles = {
  legacy: { className: 'legacy', dash: null, marker: 'circle' },
  candidate: { className: 'candidate', dash: '5 3', marker: 'square' },
};

/** A trend line of values (nulls are gaps) in a small box, with a text label for screen readers. */
export function sparkline(values, side, label) {
  const width = 64;
  const height = 18;
  const style = SideStyles[side];
  const known = values.filter(v => v !== null && v !== undefined);
  const top = Math.max(...known, 0) || 1;
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => (v === null || v === undefined ? null : [i * step, height - 1 - (v / top) * (height - 2)]));
  return svg('svg', { class: `spark ${style.className}`, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label },
    svg('title', {}, label),
    ...segments(points).map(segment => svg('polyline', { points: segment.map(p => p.join(',')).join(' '), 'stroke-dasharray': style.dash, fill: 'none' })));
}

/**
 * A chart of series over time. Each series: { label, side, values: [[timeMs, value|null]], thin }.
 * The y axis starts at zero; the last value of each series is written at the line's end with its label.
 */
export function lineChart({ title, unit, series, from, to, format = v => number(v, 2) }) {
  const width = 480;
  const height = 200;
  const left = 44;
  const right = 150;
  const top = 10;
  const bottom = 22;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const known = series.flatMap(s => s.values.map(([, v]) => v)).filter(v => v !== null && v !== undefined);
  const max = niceMax(Math.max(...known, 0));
  const x = t => left + ((t - from) / Math.max(to - from, 1)) * plotWidth;
  const y = v => top + plotHeight - (v / max) * plotHeight;
  const children = [
    svg('title', {}, title),
    svg('line', { class: 'axis', x1: left, y1: top + plotHeight, x2: left + plotWidth, y2: top + plotHeight }),
    svg('line', { class: 'axis', x1: left, y1: top, x2: left, y2: top + plotHeight }),
    svg('text', { class: 'tick', x: left - 4, y: top + 4, 'text-anchor': 'end' }, format(max)),
    svg('text', { class: 'tick', x: left - 4, y: top + plotHeight, 'text-anchor': 'end' }, '0'),
    svg('text', { class: 'tick', x: left, y: height - 6 }, new Date(from).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
    svg('text', { class: 'tick', x: left + plotWidth, y: height - 6, 'text-anchor': 'end' }, new Date(to).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
  ];
  let labelY = top + 8;
  for (const s of series) {
    const style = SideStyles[s.side];
    const points = s.values.map(([t, v]) => (v === null || v === undefined ? null : [x(t), y(v)]));
    const group = svg('g', { class: `series ${style.className}${s.thin ? ' thin' : ''}`, 'data-series': s.label });
    for (const segment of segments(points)) {
      group.append(svg('polyline', { points: segment.map(p => p.map(c => c.toFixed(1)).join(',')).join(' '), 'stroke-dasharray': style.dash, fill: 'none' }));
    }

    for (const point of points.filter(p => p !== null)) {
      group.append(marker(style.marker, point));
    }

    const last = [...s.values].reverse().find(([, v]) => v !== null && v !== undefined);
    group.append(marker(style.marker, [left + plotWidth + 8, labelY - 4]));
    group.append(svg('text', { class: 'label', x: left + plotWidth + 14, y: labelY }, `${s.label} ${last ? format(last[1]) : '–'}${unit}`));
    labelY += 17;
    children.push(group);
  }

  return svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title }, ...children);
}

function marker(shape, [cx, cy]) {
  return shape === 'circle'
    ? svg('circle', { cx: cx.toFixed(1), cy: cy.toFixed(1), r: 2.5 })
    : svg('rect', { x: (cx - 2.5).toFixed(1), y: (cy - 2.5).toFixed(1), width: 5, height: 5 });
}

function segments(points) {
  const result = [];
  let current = [];
  for (const point of points) {
    if (point === null) {
      if (current.length > 0) {
        result.push(current);
      }

      current = [];
    } else {
      current.push(point);
    }
  }

  if (current.length > 0) {
    result.push(current);
  }

  return result.map(segment => (segment.length === 1 ? [segment[0], [segment[0][0] + 1, segment[0][1]]] : segment));
}

function niceMax(value) {
  if (value <= 0) {
    return 1;
  }

  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map(m => m * power).find(m => m >= value);
}
