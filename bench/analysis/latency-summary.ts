import type { Histogram } from 'hdr-histogram-js';
import { NS_PER_UNIT } from '../measure/histogram-bounds.ts';

/** Latency figures in ns. Everything but count is null for an empty histogram, never NaN, so JSON stays valid. */
export interface LatencySummary {
  readonly count: number;
  readonly minNs: number | null;
  readonly meanNs: number | null;
  readonly stddevNs: number | null;
  readonly p50Ns: number | null;
  readonly p90Ns: number | null;
  readonly p99Ns: number | null;
  readonly p999Ns: number | null;
  readonly maxNs: number | null;
}

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

export function summarizeHistogram(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) {
    return { count: 0, minNs: null, meanNs: null, stddevNs: null, p50Ns: null, p90Ns: null, p99Ns: null, p999Ns: null, maxNs: null };
  }
  return {
    count,
    minNs: histogramMinNs(histogram),
    meanNs: histogram.mean,
    stddevNs: histogram.stdDeviation,
    p50Ns: histogram.getValueAtPercentile(50),
    p90Ns: histogram.getValueAtPercentile(90),
    p99Ns: histogram.getValueAtPercentile(99),
    p999Ns: histogram.getValueAtPercentile(99.9),
    maxNs: histogramMaxNs(histogram),
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
