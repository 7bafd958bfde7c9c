import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { NS_PER_MS, NS_PER_S, NS_PER_US } from '../core/units.ts';

/**
 * The one place where latency histogram bounds are fixed. Values are integer nanoseconds.
 * 1 ns .. 1 hour at 3 significant digits: 32 buckets of 2048 sub-buckets, 33 792 counts.
 * 3.6e12 is far below 2^53, so hdr-histogram-js (which uses JS numbers) tracks it exactly.
 */
export const LOWEST_DISCERNIBLE_VALUE_NS = 1;
export const HIGHEST_TRACKABLE_VALUE_NS = 3_600 * NS_PER_S;
export const SIGNIFICANT_VALUE_DIGITS = 3;

/** Units reports show latencies in; recording is always in ns. */
export type LatencyUnit = 'ms' | 'us';
export const NS_PER_UNIT: Readonly<Record<LatencyUnit, number>> = { ms: NS_PER_MS, us: NS_PER_US };

/**
 * A new, empty, dense latency histogram with the fixed bounds; it never auto-resizes, so a value
 * above the bounds is a caller bug (MetricRecorder clamps before it gets here).
 *
 * Counts are a Float64Array (bitBucketSize 64): exact up to 2^53 per bucket, where the 32-bit
 * variant is a Uint32Array that wraps silently at 2^32. Measured recordValue cost on this machine
 * with varied values: Float64 60-110 ns, Uint32 ~135 ns, 'packed' ~850 ns (the same value again
 * and again: ~4 ns); the cost is the library's Math.log2/Math.pow index maths, not the array.
 * The price is 270 KB per histogram, which is why the recorder's hot path uses LatencyCounts
 * (~4 ns, record-value.bench.ts) and closed intervals are kept sparse.
 */
export function createLatencyHistogram(): Histogram {
  return build({
    bitBucketSize: 64,
    autoResize: false,
    lowestDiscernibleValue: LOWEST_DISCERNIBLE_VALUE_NS,
    highestTrackableValue: HIGHEST_TRACKABLE_VALUE_NS,
    numberOfSignificantValueDigits: SIGNIFICANT_VALUE_DIGITS,
    useWebAssembly: false,
  });
}
