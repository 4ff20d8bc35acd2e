// The one event stream of this tab: GET /api/events read with fetch (so it can carry the bearer
// token, which EventSource cannot), parsed as server-sent events, reconnected with a growing
// pause after a failure. Each view subscribes to it instead of opening its own.

import { authorization, Problem, unauthorized } from './api.js';

const listeners = new Set();
const statusListeners = new Set();
let controller = null;

/** Calls back with every migration state the stream sends (the snapshot's and each change). */
export function onState(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Calls back with the stream's status: connecting, live, reconnecting or stopped. */
export function onStatus(listener) {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** Opens the stream, or opens it again (after a new token). */
export function start() {
  controller?.abort();
  controller = new AbortController();
  run(controller.signal);
}

function tell(status) {
  for (const listener of statusListeners) {
    listener(status);
  }
}

async function run(signal) {
  let pause = 500;
  while (!signal.aborted) {
    tell('connecting');
    try {
      const response = await fetch('/api/events', { headers: { Accept: 'text/event-stream', ...authorization() }, cache: 'no-store', signal });
      if (response.status === 401 || response.status === 403) {
        let problem = {};
        try {
          problem = await response.json();
        } catch {
          // The status says enough.
        }

        if (response.status === 401) {
          unauthorized(new Problem(401, problem.title || 'Token needed', problem.detail || ''));
        }

        tell('stopped');
        return;
      }

      if (!response.ok) {
        throw new Error(`event stream answered ${response.status}`);
      }

      tell('live');
      pause = 500;
      await readEvents(response.body, signal);
    } catch {
      if (signal.aborted) {
        return;
      }
    }

    tell('reconnecting');
    await new Promise(resolve => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 5000);
  }
}

async function readEvents(body, signal) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  while (!signal.aborted) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }

    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

function dispatch(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) {
      name = line.slice(6).trim();
    } else if (line.startsWith('data:')) {
      data.push(line.slice(5).trimStart());
    }
  }

  if (data.length === 0) {
    return;
  }

  const payload = JSON.parse(data.join('\n'));
  const states = name === 'snapshot' ? payload.migrations : name === 'state' ? [payload] : [];
  for (const state of states) {
    for (const listener of listeners) {
      listener(state, name);
    }
  }
}
