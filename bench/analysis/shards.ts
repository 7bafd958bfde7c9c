import { characteristicTime, modelReuseMissProbability, tailModelTerms } from './che-model.ts';
import { tailDistinctCalibration, weightedStackDistances } from './shards-distances.ts';
import type { SampledTrace } from './shards-sample.ts';

/*
 * Hit-rate curves from a ~1% sample of the keys, for traces too long for the exact pass. Plain
 * SHARDS(-adj) was about ten times less accurate at 1% of the keys, because of which
 * medium-popularity keys fell in the sample; hence three additions: hot keys kept whole,
 * calibrated distances, model-assisted misses. Design and measured errors: docs/shards.md.
 * Source: Waldspurger, Park, Garthwaite, Ahmad, "Efficient MRC Construction with SHARDS", FAST 2015.
 */

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
 * measured misses + the model-assisted estimate of the tail's, on calibrated distances
 * (docs/shards.md).
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
