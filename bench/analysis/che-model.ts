import type { SampledTrace } from './shards-sample.ts';

/*
 * Che's LRU approximation (Che, Tung, Wang, IEEE JSAC 2002) from each key's access count: the
 * model whose misses the SHARDS estimator subtracts, so only its residual is sampled.
 */

/**
 * Che's characteristic time of an LRU cache of `sizeKeys` keys, in accesses: the T at which the
 * keys touched within T (key i with probability 1 - exp(-p_i T), p_i = its share of the accesses)
 * fill the cache. Infinity when every touched key fits. `histogram` lists [access count, keys
 * with it].
 */
export function characteristicTime(
  histogram: readonly (readonly [number, number])[],
  totalAccesses: number,
  sizeKeys: number,
): number {
  let touched = 0;
  for (const [, keys] of histogram) touched += keys;
  if (sizeKeys >= touched) return Number.POSITIVE_INFINITY;
  if (sizeKeys <= 0) return 0;
  const occupancy = (t: number): number => {
    let sum = 0;
    for (const [count, keys] of histogram) sum += keys * -Math.expm1(-(count / totalAccesses) * t);
    return sum;
  };
  let lo = 0;
  let hi = 1;
  while (occupancy(hi) < sizeKeys) hi *= 2;
  for (let it = 0; it < 60 && hi - lo > 1e-9 * hi; it++) {
    const mid = (lo + hi) / 2;
    if (occupancy(mid) < sizeKeys) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The model's miss probability of a reuse of a key with access share `share`: evicted (gap over the
 * characteristic time T), else expired (a fill lives ttlAccesses; a renewal cycle is 1 miss and
 * share x ttlAccesses hits). Only a control variate: its accuracy sets the variance, not the bias.
 */
export function modelReuseMissProbability(share: number, characteristicAccesses: number, ttlAccesses: number): number {
  const evicted = Math.exp(-share * characteristicAccesses);
  const expired = Number.isFinite(ttlAccesses) ? 1 / (1 + share * ttlAccesses) : 0;
  return evicted + (1 - evicted) * expired;
}

/**
 * Per access count of the tail keys (all of them, and the sampled ones): counted reuses and
 * counted first accesses.
 */
export interface TailModelTerms {
  readonly counts: readonly number[];
  readonly allReuses: readonly number[];
  readonly sampledReuses: readonly number[];
  readonly allFirst: number;
  readonly sampledFirst: number;
}

/** The model's terms over the accesses at trace index >= from, grouped by the tail keys' access counts. */
export function tailModelTerms(sample: SampledTrace, traceKeys: Int32Array, from: number): TailModelTerms {
  const keySpace = sample.accessCounts.length;
  const seen = new Uint8Array(keySpace);
  const countedReuses = new Int32Array(keySpace);
  const firstCounted = new Uint8Array(keySpace);
  for (let i = 0; i < traceKeys.length; i++) {
    const key = traceKeys[i];
    if (i >= from) {
      if (seen[key] === 0) firstCounted[key] = 1;
      else countedReuses[key] += 1;
    }
    seen[key] = 1;
  }
  const index = new Map<number, number>();
  const counts: number[] = [];
  const allReuses: number[] = [];
  const sampledReuses: number[] = [];
  let allFirst = 0;
  let sampledFirst = 0;
  for (let key = 0; key < keySpace; key++) {
    const count = sample.accessCounts[key];
    const weight = sample.keyWeights[key];
    if (count === 0 || (weight === 1 && sample.rate < 1)) continue;
    let slot = index.get(count);
    if (slot === undefined) {
      slot = counts.length;
      index.set(count, slot);
      counts.push(count);
      allReuses.push(0);
      sampledReuses.push(0);
    }
    allReuses[slot] += countedReuses[key];
    allFirst += firstCounted[key];
    if (weight > 0) {
      sampledReuses[slot] += countedReuses[key];
      sampledFirst += firstCounted[key];
    }
  }
  return { counts, allReuses, sampledReuses, allFirst, sampledFirst };
}
