// The admin API as the page calls it: same origin, JSON bodies, and the bearer token (when the
// admin takes tokens) from this tab's sessionStorage. No cookie is ever set, so another site
// cannot borrow the session.

const TokenKey = 'cutover.token';

/** A refusal or failure of the API, with the server's problem detail. */
export class Problem extends Error {
  constructor(status, title, detail) {
    super(`${title}: ${detail}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

export function token() {
  return sessionStorage.getItem(TokenKey);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TokenKey, value);
  } else {
    sessionStorage.removeItem(TokenKey);
  }
}

export function authorization() {
  const value = token();
  return value ? { Authorization: `Bearer ${value}` } : {};
}

export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json', ...authorization() }, cache: 'no-store' });
  return read(response);
}

export async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...authorization() },
    body: JSON.stringify(body),
    cache: 'no-store',
  });
  return read(response);
}

/** Tells the page that the API wants a token (or a better one). */
export function unauthorized(problem) {
  window.dispatchEvent(new CustomEvent('cutover:unauthorized', { detail: problem }));
}

async function read(response) {
  if (response.ok) {
    return response.status === 204 ? null : response.json();
  }

  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // Not a problem document: the status line says what there is to say.
  }

  const error = new Problem(response.status, problem.title || response.statusText || 'Request failed', problem.detail || '');
  if (response.status === 401) {
    unauthorized(error);
  }

  throw error;
}
