import type { Histogram } from 'hdr-histogram-js';
import { NS_PER_UNIT } from '../measure/histogram-bounds.ts';
import type { LatencySummary } from '../core/run-summary.ts';

/**
 * Min and max as Java HdrHistogram reports them (getMinValue, getMaxValue): the lowest and highest
 * value equivalent to the extreme recorded ones. Unlike histogram.minNonZeroValue/maxValue in
 * hdr-histogram-js, these are the same for a live histogram and for its .hlog round trip.
 */
export function histogramMinNs(histogram: Histogram): number {
  return histogram.totalCount === 0 ? 0 : histogram.getValueAtPercentile(0);
}

export function histogramMaxNs(histogram: Histogram): number {
  return histogram.totalCount === 0 ? 0 : histogram.getValueAtPercentile(100);
}

/** The parts of hdr-histogram-js's JsHistogram a one-pass summary needs (public methods of the class). */
interface BucketAccess {
  readonly countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  lowestEquivalentValue(value: number): number;
  highestEquivalentValue(value: number): number;
  medianEquivalentValue(value: number): number;
}

const SUMMARY_PERCENTILES = [50, 90, 99, 99.9] as const;

/** As hdr-histogram-js (and Java's HdrHistogram) count: ceil minus one ulp, at least 1. */
function countAtPercentile(percentile: number, total: number): number {
  const fp = (Math.min(percentile, 100) / 100) * total;
  const ulp = fp > 0 ? 2 ** (Math.floor(Math.log2(fp)) - 52) : 0;
  return Math.max(Math.ceil(fp - ulp), 1);
}

/**
 * Every figure in one pass over the buckets. The library's `mean` and `stdDeviation` each walk
 * the histogram through an iterator (~1.5 and ~3 ms at these bounds), which made summarizing
 * thousands of per-second intervals take seconds; the results are the same (tested).
 */
export function summarizeHistogram(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) {
    return {
      count: 0,
      minNs: null,
      meanNs: null,
      stddevNs: null,
      p50Ns: null,
      p90Ns: null,
      p99Ns: null,
      p999Ns: null,
      maxNs: null,
    };
  }
  const h = histogram as unknown as BucketAccess;
  const targets = SUMMARY_PERCENTILES.map((p) => countAtPercentile(p, count));
  const percentiles: number[] = [];
  let cumulative = 0;
  let sum = 0;
  let minNs = Number.NaN;
  let maxIndex = 0;
  for (let i = 0; i < h.countsArrayLength; i++) {
    const c = h.getCountAtIndex(i);
    if (c === 0) continue;
    const value = h.valueFromIndex(i);
    if (Number.isNaN(minNs)) minNs = h.lowestEquivalentValue(value);
    const median = h.medianEquivalentValue(value);
    sum += median * c;
    cumulative += c;
    while (percentiles.length < targets.length && cumulative >= targets[percentiles.length])
      percentiles.push(h.highestEquivalentValue(value));
    maxIndex = i;
  }
  const meanNs = sum / count;
  // Two-pass form, as the library computes it, to avoid cancellation in E[x^2] - E[x]^2.
  let deviations = 0;
  for (let i = 0; i <= maxIndex; i++) {
    const c = h.getCountAtIndex(i);
    if (c === 0) continue;
    const d = h.medianEquivalentValue(h.valueFromIndex(i)) - meanNs;
    deviations += d * d * c;
  }
  return {
    count,
    minNs,
    meanNs,
    stddevNs: Math.sqrt(deviations / count),
    p50Ns: percentiles[0],
    p90Ns: percentiles[1],
    p99Ns: percentiles[2],
    p999Ns: percentiles[3],
    maxNs: h.highestEquivalentValue(h.valueFromIndex(maxIndex)),
  };
}

export function nsToMs(ns: number): number;
export function nsToMs(ns: number | null): number | null;
export function nsToMs(ns: number | null): number | null {
  return ns === null ? null : ns / NS_PER_UNIT.ms;
}

export function nsToUs(ns: number): number;
export function nsToUs(ns: number | null): number | null;
export function nsToUs(ns: number | null): number | null {
  return ns === null ? null : ns / NS_PER_UNIT.us;
}
