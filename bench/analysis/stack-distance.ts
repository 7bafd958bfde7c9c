/**
 * LRU stack distances (Mattson, Gecsei, Slutz and Traiger, "Evaluation techniques for storage
 * hierarchies", IBM Systems Journal 1970): the distance of an access is 1 + the number of distinct
 * keys accessed since the previous access to the same key, so an LRU cache of C keys hits it iff
 * distance <= C (the inclusion property gives every size from one pass).
 * O(N log N): a Fenwick tree over request positions marks each key's most recent access; the
 * distance is the count of marks between the previous access and this one.
 */

import { FenwickTree } from './fenwick-tree.ts';

/** Distance of a first access (a compulsory miss at every size). */
export const COLD_MISS = 0;

/** Stack distance of every access (COLD_MISS for a first access). Keys are ids in [0, keySpace). */
export function stackDistances(keys: Int32Array, keySpace: number): Int32Array {
  const n = keys.length;
  const tree = new FenwickTree(n);
  const last = new Int32Array(keySpace).fill(-1);
  const out = new Int32Array(n);
  // Marks set so far: prefix(i) counts marks at positions < i.
  let marks = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    if (key < 0 || key >= keySpace) throw new RangeError(`key id ${key} at position ${i} is outside [0, ${keySpace})`);
    const previous = last[key];
    if (previous < 0) {
      out[i] = COLD_MISS;
    } else {
      // Marks after `previous` are the distinct keys touched since; all marks are before i.
      out[i] = marks - tree.prefix(previous + 1) + 1;
      tree.add(previous, -1);
      marks -= 1;
    }
    tree.add(i, 1);
    marks += 1;
    last[key] = i;
  }
  return out;
}

/**
 * Exact LRU hit counts at every cache size, from distances: hits[c] = accesses at index >= fromIndex
 * with 1 <= distance <= c (c = 0 .. maxDistance). weight scales each access (1 / R for SHARDS).
 */
export function cumulativeHits(distances: Int32Array, fromIndex: number, scale = 1): Float64Array {
  let max = 0;
  for (let i = fromIndex; i < distances.length; i++) if (distances[i] > max) max = distances[i];
  const maxScaled = Math.ceil(max * scale);
  const counts = new Float64Array(maxScaled + 1);
  for (let i = fromIndex; i < distances.length; i++) {
    const d = distances[i];
    if (d !== COLD_MISS) counts[Math.min(maxScaled, Math.max(1, Math.round(d * scale)))] += 1;
  }
  for (let c = 1; c <= maxScaled; c++) counts[c] += counts[c - 1];
  return counts;
}

/**
 * Hit count for a cache of `sizeKeys` from cumulativeHits (sizes past the largest distance hit
 * everything that can hit).
 */
export function hitsAtSize(cumulative: Float64Array, sizeKeys: number): number {
  if (sizeKeys < 1) return 0;
  return cumulative[Math.min(cumulative.length - 1, Math.floor(sizeKeys))];
}

/**
 * TTL-aware cache-aside at one cache size: an access hits iff its stack distance is within the
 * size AND the key was filled less than ttlMs ago; every miss fills (SET with the TTL), so the fill
 * time depends on the size and is tracked in one O(N) pass per size. Expired keys still count in the
 * stack (Redis frees them only when its expire cycle or an access finds them): the model's limit.
 * ttlMs = Infinity: plain LRU. Returns the hit count over accesses at index >= fromIndex.
 */
export function ttlAwareHits(
  keys: Int32Array,
  timesMs: Float64Array,
  distances: Int32Array,
  keySpace: number,
  sizeKeys: number,
  ttlMs: number,
  fromIndex: number,
  scale = 1,
): number {
  const flags = ttlAwareHitFlags(keys, timesMs, distances, keySpace, sizeKeys, ttlMs, scale);
  let hits = 0;
  for (let i = fromIndex; i < flags.length; i++) hits += flags[i];
  return hits;
}

/** Per access: 1 for a hit, 0 for a miss, under the model of ttlAwareHits (for hit rate over time). */
export function ttlAwareHitFlags(
  keys: Int32Array,
  timesMs: Float64Array,
  distances: Int32Array,
  keySpace: number,
  sizeKeys: number,
  ttlMs: number,
  scale = 1,
): Uint8Array {
  const fill = new Float64Array(keySpace).fill(Number.NEGATIVE_INFINITY);
  const flags = new Uint8Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const d = distances[i];
    const key = keys[i];
    const t = timesMs[i];
    if (d !== COLD_MISS && d * scale <= sizeKeys && t - fill[key] < ttlMs) flags[i] = 1;
    else fill[key] = t;
  }
  return flags;
}
