/**
 * SHARDS (Waldspurger, Park, Garthwaite, Ahmad, "Efficient MRC Construction with SHARDS", FAST 2015):
 * spatial sampling keeps every access of a key whose hash falls below rate x 2^32, so a sampled
 * key keeps its whole reuse pattern; distances on the sample, scaled by 1 / rate, estimate the
 * full trace's.
 * Three additions, all using the per-key access counts of one counting pass over the whole trace
 * (the distances are still computed on the sample only):
 * - Head kept whole: a key holding more than rate / 4 of all accesses is kept with weight 1 instead
 *   of being sampled with weight 1 / rate (under zipf 0.99 a single key can take 8% of a trace;
 *   whether it falls in a 1% sample otherwise moves the whole curve by several points). The tail
 *   is sampled at `rate`. A distance counts the key itself as 1, not as its weight (that added
 *   1 / rate - 1 phantom keys to every sampled distance).
 * - Calibrated distances (tailDistinctCalibration): the sampled tail keys in a window are turned
 *   into an estimate of the tail's distinct keys from the access counts of the sampled keys
 *   against those of every tail key, instead of x 1 / rate. A sample that holds more or fewer
 *   medium-popularity keys than its share (they appear in nearly every window) no longer stretches
 *   or shrinks every distance.
 * - Model-assisted misses (a difference estimator, Saerndal, Swensson, Wretman, "Model Assisted
 *   Survey Sampling", 1992) in place of SHARDS-adj: the tail's misses = a model's misses summed over
 *   every tail key + (1 / rate) x (measured - model misses) summed over the sampled keys. The model
 *   is Che's LRU approximation (Che, Tung, Wang, IEEE JSAC 2002) from each key's access count, a
 *   fixed function of the counts and not of the hash, so it moves the variance, not the mean: only
 *   the model's residual is sampled. SHARDS-adj is the case of a model where every reuse hits.
 * Why: at 1% of the key space the sampling noise came from which of the tens of thousands of
 * medium-popularity keys (0.0003% to 0.01% of the accesses each, too many to keep whole) fell in
 * the sample, through both their misses and the distances; keeping more keys whole did not help.
 * Measured 2026-11-26 with bench/microbench/shards-accuracy-sweep.ts (signal workload, 5,000
 * symbols x 250 dates, 10M accesses, rate 0.01, 9 sizes from 1% to 100% of the keys, seeds 7, 1,
 * 2, 3, 42 x symbol zipf 0.99 and 0.8 and two more skews, 5 salts each): largest |error| vs exact
 * 0.0025 (SHARDS-adj: 0.027 at 1% of the keys for seed 7). In one-off development experiments
 * (scripts not kept): seed 7 over 12 salts, standard deviation of the error at 1% of the keys 0.0007
 * (SHARDS-adj, 2M accesses: 0.026); on a synthetic trace whose popularity drifts (not what Che's
 * model assumes), the noise at 0.5% to 1% of the keys is as large as SHARDS-adj's or larger
 * (standard deviation 0.035 against 0.025 at 0.5%), smaller from 2% up. About 10% of the accesses
 * are processed (8.9% for the 17 hot keys of the 10M trace, 1% of the rest).
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
  /** Per key id: accesses in the whole trace. */
  readonly accessCounts: Int32Array;
  /** Per key id: 0 not kept, 1 kept whole (hot), 1 / rate sampled. */
  readonly keyWeights: Float64Array;
}

/** A key with more than this share of the accesses times the rate is kept whole. */
export const HOT_KEY_SHARE_OF_RATE = 0.25;

/** murmur3's 32-bit finaliser: a fast, well-mixed hash of a key id (a salt gives another sample). */
function hashKeyId(id: number, salt: number): number {
  let h = (id ^ salt) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function shardsSample(
  keys: Int32Array,
  timesMs: Float64Array,
  keySpace: number,
  rate: number,
  salt = 0x9e3779b9,
): SampledTrace {
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
  return {
    keys: sampledKeys,
    timesMs: sampledTimes,
    positions,
    weights,
    rate,
    hotKeys,
    accessCounts: counts,
    keyWeights: keyWeight,
  };
}

/**
 * Weighted stack distances on a sample: the summed weight of the distinct keys touched since the
 * previous access of the same key, plus 1 for the key itself (0 for a first access): the exact
 * distance is 1 + the distinct other keys, and the weights estimate only the others. Fenwick tree, O(n log n).
 */
export function weightedStackDistances(
  sample: SampledTrace,
  keySpace: number,
  tailDistinct?: Float64Array,
): Float64Array {
  const n = sample.keys.length;
  const tree = new Float64Array(n + 1);
  const last = new Int32Array(keySpace).fill(-1);
  const out = new Float64Array(n);
  // With a calibration table, the tree counts hot keys with 1 and sampled keys with `unit` (above
  // any count of hot keys, so a window's sum splits exactly into the two counts).
  const unit = 2 ** Math.ceil(Math.log2(sample.hotKeys + 2));
  const treeWeight = (w: number): number => (tailDistinct === undefined ? w : w === 1 && sample.rate < 1 ? 1 : unit);
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
    const w = treeWeight(sample.weights[i]);
    const previous = last[key];
    if (previous < 0) {
      out[i] = 0;
    } else {
      const between = total - prefix(previous + 1);
      if (tailDistinct === undefined) {
        out[i] = between + 1;
      } else {
        const sampledBetween = Math.floor(between / unit);
        out[i] = between - sampledBetween * unit + tailDistinct[Math.min(sampledBetween, tailDistinct.length - 1)] + 1;
      }
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
 * Calibration of the tail's distinct count in a window from the sampled keys seen in it: entry k
 * is the estimated number of distinct tail keys in a window where k sampled tail keys appear.
 * Plain SHARDS takes k / rate; here the window length L that k sampled keys imply is found from
 * the sampled keys' own access shares (sum of 1 - exp(-p_i L) = k), and the whole tail's expected
 * distinct count at that L is returned (a ratio estimator on the per-key access counts). It
 * removes the scale error of a sample that happens to hold more or fewer medium-popularity keys
 * than its share: those keys appear in almost every window and set every distance.
 */
export function tailDistinctCalibration(sample: SampledTrace): Float64Array {
  const all = new Map<number, number>();
  const sampled = new Map<number, number>();
  let total = 0;
  let sampledKeys = 0;
  let tailKeys = 0;
  for (let key = 0; key < sample.accessCounts.length; key++) {
    const count = sample.accessCounts[key];
    total += count;
    const weight = sample.keyWeights[key];
    if (count === 0 || (weight === 1 && sample.rate < 1)) continue;
    all.set(count, (all.get(count) ?? 0) + 1);
    tailKeys += 1;
    if (weight > 0) {
      sampled.set(count, (sampled.get(count) ?? 0) + 1);
      sampledKeys += 1;
    }
  }
  const table = new Float64Array(sampledKeys + 1);
  if (sampledKeys === 0 || total === 0) return table;
  const allEntries = [...all.entries()];
  const sampledEntries = [...sampled.entries()];
  const expected = (entries: readonly (readonly [number, number])[], length: number): number => {
    let sum = 0;
    for (const [count, keys] of entries) sum += keys * -Math.expm1(-(count / total) * length);
    return sum;
  };
  // Window lengths on a geometric grid, from well below one access per sampled key to well past every key.
  const grid: [number, number][] = [[0, 0]];
  const steps = 600;
  const longest = 1e4 * total;
  for (let j = 0; j <= steps; j++) {
    const length = 0.01 * (longest / 0.01) ** (j / steps);
    grid.push([expected(sampledEntries, length), expected(allEntries, length)]);
  }
  grid.push([sampledKeys, tailKeys]);
  let g = 1;
  for (let k = 1; k <= sampledKeys; k++) {
    while (g < grid.length - 1 && grid[g][0] < k) g += 1;
    const [k0, d0] = grid[g - 1];
    const [k1, d1] = grid[g];
    table[k] = k1 > k0 ? d0 + ((d1 - d0) * (k - k0)) / (k1 - k0) : d1;
  }
  return table;
}

/**
 * Che's characteristic time of an LRU cache of `sizeKeys` keys, in accesses: the T at which the
 * keys touched within T (key i with probability 1 - exp(-p_i T), p_i = its share of the accesses)
 * fill the cache. Infinity when every touched key fits. `histogram` lists [access count, keys with it].
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
function modelReuseMissProbability(share: number, characteristicAccesses: number, ttlAccesses: number): number {
  const evicted = Math.exp(-share * characteristicAccesses);
  const expired = Number.isFinite(ttlAccesses) ? 1 / (1 + share * ttlAccesses) : 0;
  return evicted + (1 - evicted) * expired;
}

/** Per access count of the tail keys (all of them, and the sampled ones): counted reuses and counted first accesses. */
interface TailModelTerms {
  readonly counts: readonly number[];
  readonly allReuses: readonly number[];
  readonly sampledReuses: readonly number[];
  readonly allFirst: number;
  readonly sampledFirst: number;
}

function tailModelTerms(sample: SampledTrace, traceKeys: Int32Array, from: number): TailModelTerms {
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

/** Counted accesses and hits (unweighted) of the hot keys and of the sampled keys at one size. */
function sampledHitsByGroup(
  sample: SampledTrace,
  distances: Float64Array,
  keySpace: number,
  sizeKeys: number,
  ttlMs: number,
  from: number,
): { hotAccesses: number; hotHits: number; sampledAccesses: number; sampledHits: number } {
  const fill = new Float64Array(keySpace).fill(Number.NEGATIVE_INFINITY);
  let hotAccesses = 0;
  let hotHits = 0;
  let sampledAccesses = 0;
  let sampledHits = 0;
  for (let i = 0; i < sample.keys.length; i++) {
    const d = distances[i];
    const key = sample.keys[i];
    const t = sample.timesMs[i];
    const hot = sample.weights[i] === 1 && sample.rate < 1;
    // A tiny tolerance: weights 1 / rate summed in floating point land a hair past an integer size.
    const hit = d > 0 && d <= sizeKeys + 1e-6 && t - fill[key] < ttlMs;
    if (!hit) fill[key] = t;
    if (i < from) continue;
    if (hot) {
      hotAccesses += 1;
      if (hit) hotHits += 1;
    } else {
      sampledAccesses += 1;
      if (hit) sampledHits += 1;
    }
  }
  return { hotAccesses, hotHits, sampledAccesses, sampledHits };
}

/**
 * Estimated hits at any size over the accesses at trace index >= warmupAccesses: the hot keys'
 * measured misses + the model-assisted estimate of the tail's, on calibrated distances (see the top of this file).
 */
export function shardsHitEstimator(
  sample: SampledTrace,
  traceKeys: Int32Array,
  traceTimesMs: Float64Array,
  keySpace: number,
  ttlMs: number,
  warmupAccesses: number,
): (sizeKeys: number) => number {
  const total = traceKeys.length;
  const counted = total - warmupAccesses;
  let from = 0;
  while (from < sample.positions.length && sample.positions[from] < warmupAccesses) from += 1;
  const distances = weightedStackDistances(sample, keySpace, tailDistinctCalibration(sample));
  const terms = tailModelTerms(sample, traceKeys, warmupAccesses);
  const histogram = new Map<number, number>();
  for (let key = 0; key < keySpace; key++) {
    const count = sample.accessCounts[key];
    if (count > 0) histogram.set(count, (histogram.get(count) ?? 0) + 1);
  }
  const histogramEntries = [...histogram.entries()];
  const spanMs = total > 1 ? traceTimesMs[total - 1] - traceTimesMs[0] : 0;
  const ttlAccesses = Number.isFinite(ttlMs) && spanMs > 0 ? (ttlMs * (total - 1)) / spanMs : Number.POSITIVE_INFINITY;
  return (sizeKeys) => {
    if (counted <= 0 || sizeKeys < 1) return 0;
    const measured = sampledHitsByGroup(sample, distances, keySpace, sizeKeys, ttlMs, from);
    const characteristic = characteristicTime(histogramEntries, total, sizeKeys);
    let allModel = terms.allFirst;
    let sampledModel = terms.sampledFirst;
    for (let s = 0; s < terms.counts.length; s++) {
      const m = modelReuseMissProbability(terms.counts[s] / total, characteristic, ttlAccesses);
      allModel += m * terms.allReuses[s];
      sampledModel += m * terms.sampledReuses[s];
    }
    const hotMisses = measured.hotAccesses - measured.hotHits;
    const sampledMisses = measured.sampledAccesses - measured.sampledHits;
    const tailMisses = allModel + (sampledMisses - sampledModel) / sample.rate;
    return counted - hotMisses - tailMisses;
  };
}
