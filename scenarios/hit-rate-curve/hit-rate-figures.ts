import { ACCESS_HIT, ACCESS_MISS_FILL_FAILED } from './trace-replay.ts';

/** Splits [from, outcomes.length) into `segments` equal runs of accesses: the trials of a replay. */
function segmentBounds(length: number, from: number, segments: number): [number, number][] {
  const counted = Math.max(0, length - from);
  return Array.from({ length: segments }, (_, s) => [
    from + Math.floor((s * counted) / segments),
    from + Math.floor(((s + 1) * counted) / segments),
  ]);
}

/** Hit rate (%) of each segment of the counted accesses. */
export function segmentHitRates(outcomes: Uint8Array, from: number, segments: number): number[] {
  return segmentBounds(outcomes.length, from, segments).map(([a, b]) => {
    let hits = 0;
    for (let i = a; i < b; i++) if (outcomes[i] === ACCESS_HIT) hits += 1;
    return b > a ? (100 * hits) / (b - a) : Number.NaN;
  });
}

/** Share (%) of the misses of each segment whose fill (SET) Redis accepted. NaN for a segment without a miss. */
export function segmentFillSuccess(outcomes: Uint8Array, from: number, segments: number): number[] {
  return segmentBounds(outcomes.length, from, segments).map(([a, b]) => {
    let misses = 0;
    let failed = 0;
    for (let i = a; i < b; i++) {
      if (outcomes[i] !== ACCESS_HIT) misses += 1;
      if (outcomes[i] === ACCESS_MISS_FILL_FAILED) failed += 1;
    }
    return misses > 0 ? (100 * (misses - failed)) / misses : Number.NaN;
  });
}

/** Element-wise a - b (per-segment differences of two replays of the same trace). */
export function pairwiseDifference(a: readonly number[], b: readonly number[]): number[] {
  return a.map((v, i) => v - (b[i] ?? Number.NaN));
}
