/*
 * SHARDS spatial sampling (Waldspurger et al., FAST 2015): every access of a key whose hash falls
 * below rate x 2^32 is kept, so a sampled key keeps its whole reuse pattern. Keys hot enough to
 * move the whole curve on their own are kept whole instead (docs/shards.md).
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

/**
 * The sample of a trace at `rate` (a salt gives another sample): the kept accesses with their
 * positions and weights, and the per-key access counts of the whole trace the estimator needs.
 */
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
