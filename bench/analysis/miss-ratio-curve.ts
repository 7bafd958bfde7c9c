import { shardsHitEstimator } from './shards.ts';
import { shardsSample } from './shards-sample.ts';
import { cumulativeHits, hitsAtSize, stackDistances, ttlAwareHitFlags, ttlAwareHits } from './stack-distance.ts';

/** An access trace: key ids in [0, keySpace) and the time of each access (ms from the start). */
export interface KeyTrace {
  readonly keys: Int32Array;
  readonly timesMs: Float64Array;
  readonly keySpace: number;
}

/**
 * exact: every access (Mattson, Fenwick tree). shards: spatial sample of the tail at `rate`, hot
 * keys whole, model-assisted misses (shards.ts, docs/shards.md).
 */
export type PredictionMethod =
  { readonly kind: 'exact' } | { readonly kind: 'shards'; readonly rate: number; readonly salt?: number };

export interface PredictionOptions {
  /** Cache sizes in keys (the curve's points). */
  readonly sizesKeys: readonly number[];
  /** Infinity: no TTL. */
  readonly ttlMs: number;
  /** Accesses at the start that warm the cache but are not counted. */
  readonly warmupAccesses: number;
  readonly method: PredictionMethod;
}

export interface CurvePoint {
  readonly sizeKeys: number;
  readonly hitRatio: number;
}

export interface PredictedCurve {
  readonly method: PredictionMethod;
  readonly points: readonly CurvePoint[];
  /** Accesses the ratios are over (after warm-up; SHARDS estimates hits over the same exact count). */
  readonly countedAccesses: number;
  /** Accesses the stack distances were computed on (the sample, for SHARDS). */
  readonly processedAccesses: number;
}

/** Predicted LRU hit ratio at each size, TTL-aware, exact or sampled. */
export function predictHitRatios(trace: KeyTrace, options: PredictionOptions): PredictedCurve {
  const predictor = buildPredictor(trace, options);
  return {
    method: options.method,
    points: options.sizesKeys.map((sizeKeys) => ({ sizeKeys, hitRatio: predictor.hitRatioAt(sizeKeys) })),
    countedAccesses: predictor.countedAccesses,
    processedAccesses: predictor.processedAccesses,
  };
}

/**
 * Stack distances computed once; the hit ratio at any size on demand (exact: O(1) without TTL, one
 * pass with; SHARDS: one pass over the sample and Che's characteristic time per size).
 */
export interface HitRatioPredictor {
  hitRatioAt(sizeKeys: number): number;
  readonly countedAccesses: number;
  readonly processedAccesses: number;
}

export function buildPredictor(trace: KeyTrace, options: Omit<PredictionOptions, 'sizesKeys'>): HitRatioPredictor {
  const total = trace.keys.length;
  const warmup = Math.min(Math.max(0, Math.floor(options.warmupAccesses)), total);
  const counted = total - warmup;
  const ttlBound = Number.isFinite(options.ttlMs);
  if (options.method.kind === 'exact') {
    const distances = stackDistances(trace.keys, trace.keySpace);
    const cumulative = ttlBound ? null : cumulativeHits(distances, warmup);
    return {
      countedAccesses: counted,
      processedAccesses: total,
      hitRatioAt: (sizeKeys) => {
        if (counted === 0) return 0;
        const hits =
          cumulative !== null
            ? hitsAtSize(cumulative, sizeKeys)
            : ttlAwareHits(trace.keys, trace.timesMs, distances, trace.keySpace, sizeKeys, options.ttlMs, warmup);
        return hits / counted;
      },
    };
  }
  const { rate } = options.method;
  const sample = shardsSample(trace.keys, trace.timesMs, trace.keySpace, rate, options.method.salt);
  const hitsAt = shardsHitEstimator(sample, trace.keys, trace.timesMs, trace.keySpace, options.ttlMs, warmup);
  return {
    countedAccesses: counted,
    processedAccesses: sample.keys.length,
    hitRatioAt: (sizeKeys) => (counted <= 0 ? 0 : Math.min(1, Math.max(0, hitsAt(sizeKeys) / counted))),
  };
}

/** Predicted hit ratio per time window at one size (the warm-up curve); exact method. */
export function predictHitRatioOverTime(
  trace: KeyTrace,
  sizeKeys: number,
  ttlMs: number,
  windowMs: number,
): { readonly endMs: number[]; readonly hitRatio: number[] } {
  const distances = stackDistances(trace.keys, trace.keySpace);
  const flags = ttlAwareHitFlags(trace.keys, trace.timesMs, distances, trace.keySpace, sizeKeys, ttlMs);
  const endMs: number[] = [];
  const hitRatio: number[] = [];
  let hits = 0;
  let count = 0;
  let windowEnd = windowMs;
  for (let i = 0; i < flags.length; i++) {
    while (trace.timesMs[i] >= windowEnd) {
      if (count > 0) {
        endMs.push(windowEnd);
        hitRatio.push(hits / count);
      }
      hits = 0;
      count = 0;
      windowEnd += windowMs;
    }
    hits += flags[i];
    count += 1;
  }
  if (count > 0) {
    endMs.push(windowEnd);
    hitRatio.push(hits / count);
  }
  return { endMs, hitRatio };
}
