// Builds elements from data without ever parsing it as HTML: text from the API (names, reasons,
// sample bodies) is always set as text, so it cannot become markup.

const SvgNs = 'http://www.w3.org/2000/svg';

/** An HTML element with attributes (on* are listeners) and children (strings become text). */
export function h(tag, attributes = {}, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

/** An SVG element, the same way. */
export function svg(tag, attributes = {}, ...children) {
  return fill(document.createElementNS(SvgNs, tag), attributes, children);
}

function fill(element, attributes, children) {
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }

    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (value === true) {
      element.setAttribute(key, '');
    } else {
      element.setAttribute(key, String(value));
    }
  }

  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }

    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  return element;
}

/** A number with at most <digits> decimals, or a dash for no data (null is not zero). */
export function number(value, digits = 1) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits).replace(/\.0+$/, '');
}

/** A rate (0..1) as a percentage, or a dash for no data. */
export function percent(value, digits = 1) {
  return value === null || value === undefined ? '–' : `${number(value * 100, digits)}%`;
}

/** A time as the operator's clock shows it. */
export function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '–';
}

/** Seconds as 1h 2m 3s. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '–';
  }

  let left = Math.round(seconds);
  const parts = [];
  for (const [unit, size] of [['h', 3600], ['m', 60]]) {
    if (left >= size) {
      parts.push(`${Math.floor(left / size)}${unit}`);
      left %= size;
    }
  }

  if (left > 0 || parts.length === 0) {
    parts.push(`${left}s`);
  }

  return parts.join(' ');
}
