/**
 * SHARDS (Waldspurger, Park, Garthwaite, Ahmad, "Efficient MRC Construction with SHARDS", FAST 2015):
 * spatial sampling keeps every access of a key whose hash falls below rate x 2^32, so a sampled
 * key keeps its whole reuse pattern; distances on the sample, scaled by 1 / rate, estimate the
 * full trace's. SHARDS-adj: the difference between the expected and the actual sampled weight is
 * credited to the smallest distances.
 * One addition for skewed traces: a key holding more than rate / 4 of all accesses is kept
 * whole with weight 1 instead of being sampled with weight 1 / rate. Under zipf 0.99 a single key
 * can take 8% of a trace; whether such a key falls in a 1% sample otherwise moves the whole
 * curve by several points. Distances then sum the weights of the distinct keys in between.
 */

export interface SampledTrace {
  readonly keys: Int32Array;
  readonly timesMs: Float64Array;
  /** Positions of the kept accesses in the full trace (to apply a warm-up cut). */
  readonly positions: Int32Array;
  /** Weight of each kept access: 1 for a key kept whole, 1 / rate for a sampled one. */
  readonly weights: Float64Array;
  readonly rate: number;
  /** Keys kept whole because they are hot. */
  readonly hotKeys: number;
}

/** A key with more than this share of the accesses times the rate is kept whole. */
export const HOT_KEY_SHARE_OF_RATE = 0.25;

/** murmur3's 32-bit finaliser: a fast, well-mixed hash of a key id (a salt gives another sample). */
export function hashKeyId(id: number, salt: number): number {
  let h = (id ^ salt) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function shardsSample(keys: Int32Array, timesMs: Float64Array, keySpace: number, rate: number, salt = 0x9e3779b9): SampledTrace {
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`SHARDS rate must be in (0, 1], got ${rate}`);
  const counts = new Int32Array(keySpace);
  for (let i = 0; i < keys.length; i++) counts[keys[i]] += 1;
  const hotCount = keys.length * rate * HOT_KEY_SHARE_OF_RATE;
  const threshold = rate * 2 ** 32;
  // Per key: 0 dropped, 1 / rate sampled, 1 kept whole.
  const keyWeight = new Float64Array(keySpace);
  let hotKeys = 0;
  for (let k = 0; k < keySpace; k++) {
    if (counts[k] === 0) continue;
    if (counts[k] > hotCount && rate < 1) {
      keyWeight[k] = 1;
      hotKeys += 1;
    } else if (hashKeyId(k, salt) < threshold) {
      keyWeight[k] = 1 / rate;
    }
  }
  let kept = 0;
  for (let i = 0; i < keys.length; i++) if (keyWeight[keys[i]] > 0) kept += 1;
  const sampledKeys = new Int32Array(kept);
  const sampledTimes = new Float64Array(kept);
  const positions = new Int32Array(kept);
  const weights = new Float64Array(kept);
  let j = 0;
  for (let i = 0; i < keys.length; i++) {
    const w = keyWeight[keys[i]];
    if (w > 0) {
      sampledKeys[j] = keys[i];
      sampledTimes[j] = timesMs[i];
      positions[j] = i;
      weights[j] = w;
      j += 1;
    }
  }
  return { keys: sampledKeys, timesMs: sampledTimes, positions, weights, rate, hotKeys };
}

/**
 * Weighted stack distances on a sample: the summed weight of the distinct keys touched since the
 * previous access of the same key, plus the key's own weight (0 for a first access). Fenwick tree, O(n log n).
 */
export function weightedStackDistances(sample: SampledTrace, keySpace: number): Float64Array {
  const n = sample.keys.length;
  const tree = new Float64Array(n + 1);
  const last = new Int32Array(keySpace).fill(-1);
  const out = new Float64Array(n);
  let total = 0;
  const add = (position: number, delta: number): void => {
    for (let i = position + 1; i <= n; i += i & -i) tree[i] += delta;
  };
  const prefix = (position: number): number => {
    let sum = 0;
    for (let i = position; i > 0; i -= i & -i) sum += tree[i];
    return sum;
  };
  for (let i = 0; i < n; i++) {
    const key = sample.keys[i];
    const w = sample.weights[i];
    const previous = last[key];
    if (previous < 0) {
      out[i] = 0;
    } else {
      out[i] = total - prefix(previous + 1) + w;
      add(previous, -w);
      total -= w;
    }
    add(i, w);
    total += w;
    last[key] = i;
  }
  return out;
}

/**
 * Estimated hit weight at each size (TTL-aware as ttlAwareHitFlags: a hit needs distance <= size
 * and a fill younger than the TTL; every miss refills). Counts kept accesses at index >= from.
 */
export function sampledHits(sample: SampledTrace, distances: Float64Array, keySpace: number, sizesKeys: readonly number[], ttlMs: number, from: number, which: 'hot' | 'sampled' | 'all' = 'all'): number[] {
  const counts = (w: number): boolean => which === 'all' || (which === 'hot') === (w === 1 && sample.rate < 1);
  return sizesKeys.map((size) => {
    const fill = new Float64Array(keySpace).fill(Number.NEGATIVE_INFINITY);
    let hits = 0;
    for (let i = 0; i < sample.keys.length; i++) {
      const d = distances[i];
      const key = sample.keys[i];
      const t = sample.timesMs[i];
      // A tiny tolerance: weights 1 / rate summed in floating point land a hair past an integer size.
      if (d > 0 && d <= size + 1e-6 && t - fill[key] < ttlMs) {
        if (i >= from && counts(sample.weights[i])) hits += sample.weights[i];
      } else {
        fill[key] = t;
      }
    }
    return hits;
  });
}
