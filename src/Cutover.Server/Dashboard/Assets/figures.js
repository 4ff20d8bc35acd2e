// What the views compute from the API's answers: a side's figures over a window, and why a
// migration needs a person.

/** Requests per second, error rate, p99 and a requests-per-second trend of one side in a metrics answer. */
export function sideFigures(metrics, side) {
  if (!metrics) {
    return { rate: null, errorRate: null, p99: null, trend: [] };
  }

  const seconds = Math.max((new Date(metrics.to) - new Date(metrics.from)) / 1000, 1);
  const s = metrics[side];
  return {
    rate: s.requests / seconds,
    errorRate: s.errorRate,
    p99: s.latencyMs.p99,
    trend: slots(metrics).map(b => (b ? b[side].requests / 10 : 0)),
  };
}

/** The window's 10-second buckets in time order, null where the API has none (nothing was counted then). */
export function slots(metrics) {
  const size = 10_000;
  const byStart = new Map(metrics.buckets.map(b => [Math.floor(new Date(b.start).getTime() / size), b]));
  const first = Math.floor(new Date(metrics.from).getTime() / size);
  const last = Math.floor(new Date(metrics.to).getTime() / size);
  const result = [];
  for (let slot = first; slot <= last; slot++) {
    result.push(byStart.get(slot) ?? null);
  }

  return result;
}

/** The reasons a migration needs a person now, from its plan's status and note, its metrics and its judge; empty when it does not. */
export function attention(plan, metrics, judge) {
  const reasons = [];
  for (const trigger of judge?.triggers ?? []) {
    if (trigger.heldSeconds !== null) {
      reasons.push(`trigger holding: ${trigger.condition}`);
    }
  }

  for (const gate of judge?.gates ?? []) {
    if (gate.verdict === 'not-met') {
      reasons.push(`gate failing: ${gate.condition}`);
    }
  }

  if (plan) {
    if (plan.status === 'rolled-back') {
      reasons.push(`rolled back: ${plan.note}`);
    } else if (plan.status === 'paused') {
      reasons.push(plan.note.includes('promote') ? 'waiting for a person to promote' : `paused: ${plan.note}`);
    } else if (plan.status === 'aborted') {
      reasons.push(`aborted: ${plan.note}`);
    } else if (plan.note.startsWith('gate')) {
      reasons.push(plan.note);
    }
  }

  const candidate = metrics?.candidate;
  const legacy = metrics?.legacy;
  if (candidate?.errorRate > 0 && candidate.errorRate > 2 * (legacy?.errorRate ?? 0)) {
    reasons.push(`candidate errors ${(candidate.errorRate * 100).toFixed(1)}%`);
  }

  return reasons;
}
