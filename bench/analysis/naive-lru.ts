/**
 * Reference implementations the fast ones are tested and benchmarked against: no cleverness, so
 * that they are obviously right.
 */
import { COLD_MISS } from './stack-distance.ts';

/** Mattson's stack, simulated literally: find the key (linear scan), move it to the top. O(N x distinct keys). */
export function naiveStackDistances(keys: Int32Array): Int32Array {
  const stack: number[] = [];
  const out = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const at = stack.indexOf(key);
    if (at < 0) {
      out[i] = COLD_MISS;
    } else {
      out[i] = at + 1;
      stack.splice(at, 1);
    }
    stack.unshift(key);
  }
  return out;
}

/**
 * An LRU cache of `sizeKeys` entries with cache-aside fills and a TTL: a Map in recency order.
 * Expired entries stay until touched or evicted (the same model as ttlAwareHits). Hits from fromIndex on.
 */
export function simulateLruHits(
  keys: Int32Array,
  timesMs: Float64Array,
  sizeKeys: number,
  ttlMs: number,
  fromIndex = 0,
): number {
  const cache = new Map<number, number>();
  let hits = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const t = timesMs[i];
    const filledAt = cache.get(key);
    if (filledAt !== undefined) {
      cache.delete(key);
      if (t - filledAt < ttlMs) {
        if (i >= fromIndex) hits += 1;
        cache.set(key, filledAt);
        continue;
      }
    }
    if (sizeKeys < 1) continue;
    cache.set(key, t);
    if (cache.size > sizeKeys) cache.delete(cache.keys().next().value as number);
  }
  return hits;
}
