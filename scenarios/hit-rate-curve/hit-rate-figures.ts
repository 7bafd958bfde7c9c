/** The per-replay figures behind the verdicts: hit rate and fill success after the warm-up, from the outcomes. */
import type { KeyTrace } from '../../bench/analysis/miss-ratio-curve.ts';
import { ACCESS_HIT, ACCESS_MISS_FILL_FAILED, ACCESS_NOT_SENT } from './trace-replay.ts';

/** Index of the first lookup at or after `fromMs` (times ascending); the length when none is. */
export function firstIndexAt(timesMs: Float64Array, fromMs: number): number {
  let low = 0;
  let high = timesMs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (timesMs[mid] < fromMs) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Hit rate (%) of the lookups sent from index `from` on; NaN when none was sent. */
export function hitRatePercent(outcomes: Uint8Array, from: number): number {
  let sent = 0;
  let hits = 0;
  for (let i = from; i < outcomes.length; i++) {
    if (outcomes[i] === ACCESS_NOT_SENT) continue;
    sent += 1;
    if (outcomes[i] === ACCESS_HIT) hits += 1;
  }
  return sent > 0 ? (100 * hits) / sent : Number.NaN;
}

/** Share (%) of the misses from index `from` on whose fill (SET) Redis accepted; NaN without a miss. */
export function fillSuccessPercent(outcomes: Uint8Array, from: number): number {
  let misses = 0;
  let failed = 0;
  for (let i = from; i < outcomes.length; i++) {
    const outcome = outcomes[i];
    if (outcome === ACCESS_HIT || outcome === ACCESS_NOT_SENT) continue;
    misses += 1;
    if (outcome === ACCESS_MISS_FILL_FAILED) failed += 1;
  }
  return misses > 0 ? (100 * (misses - failed)) / misses : Number.NaN;
}

/**
 * Hit ratio of a cache-aside cache with unlimited memory: a lookup hits when its key was filled less
 * than `ttlMs` before (a hit does not renew the TTL), counted from `fromMs` on; NaN for no lookups.
 */
export function unlimitedHitRatio(trace: KeyTrace, ttlMs: number, fromMs: number): number {
  const filledAt = new Float64Array(trace.keySpace).fill(Number.NEGATIVE_INFINITY);
  let counted = 0;
  let hits = 0;
  for (let i = 0; i < trace.keys.length; i++) {
    const t = trace.timesMs[i];
    const hit = t - filledAt[trace.keys[i]] < ttlMs;
    if (!hit) filledAt[trace.keys[i]] = t;
    if (t < fromMs) continue;
    counted += 1;
    if (hit) hits += 1;
  }
  return counted > 0 ? hits / counted : Number.NaN;
}

/** Median of the finite values; NaN when there is none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
