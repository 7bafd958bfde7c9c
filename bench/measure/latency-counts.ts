import type { Histogram } from 'hdr-histogram-js';
import {
  HIGHEST_TRACKABLE_VALUE_NS,
  LOWEST_DISCERNIBLE_VALUE_NS,
  SIGNIFICANT_VALUE_DIGITS,
} from './histogram-bounds.ts';

/*
 * Counts in the HDR counts-array layout of the fixed latency bounds, recorded in a few ns.
 * Why not histogram.recordValue: hdr-histogram-js 3.0.1 finds the bucket with Math.log2 and
 * Math.pow, about 100 ns per varied value; Math.clz32 and shifts find the same index in ~2 ns.
 * Layout from HdrHistogram AbstractHistogram.countsArrayIndex: bucket = msb(value) -
 * subBucketHalfCountMagnitude (at least 0), subBucket = value >> bucket, index = (bucket << magnitude) + subBucket.
 */

if (LOWEST_DISCERNIBLE_VALUE_NS !== 1)
  throw new Error('LatencyCounts assumes lowestDiscernibleValue 1 (unit magnitude 0)');

const HALF_MAGNITUDE = Math.ceil(Math.log2(2 * 10 ** SIGNIFICANT_VALUE_DIGITS)) - 1; // 10 at 3 digits
const HALF_COUNT = 2 ** HALF_MAGNITUDE;
const TWO_POW_32 = 2 ** 32;
const POW2 = Float64Array.from({ length: 64 }, (_, i) => 2 ** i);

/** Counts-array index of a value in [0, HIGHEST_TRACKABLE_VALUE_NS]; fractions are floored as the library does. */
export function countsIndexOf(valueNs: number): number {
  if (valueNs < TWO_POW_32) {
    let bucket = 31 - Math.clz32(valueNs) - HALF_MAGNITUDE;
    if (bucket < 0) bucket = 0;
    return (bucket << HALF_MAGNITUDE) + (valueNs >>> bucket);
  }
  const bucket = 63 - Math.clz32(valueNs / TWO_POW_32) - HALF_MAGNITUDE;
  return (bucket << HALF_MAGNITUDE) + Math.floor(valueNs / POW2[bucket]);
}

/** The highest value that lands at a counts index (what HdrHistogram reports for that index). */
export function highestValueAtIndex(index: number): number {
  let bucket = (index >> HALF_MAGNITUDE) - 1;
  let subBucket = (index & (HALF_COUNT - 1)) + HALF_COUNT;
  if (bucket < 0) {
    subBucket -= HALF_COUNT;
    bucket = 0;
  }
  return subBucket * POW2[bucket] + POW2[bucket] - 1;
}

const COUNTS_LENGTH = countsIndexOf(HIGHEST_TRACKABLE_VALUE_NS) + 1;

/** The non-zero counts of a closed interval: a few KB where a dense histogram is 270 KB. */
export class SparseCounts {
  /** Public so worker threads can ship the arrays as they are (structured clone, exact counts). */
  constructor(
    readonly indexes: Uint16Array,
    readonly counts: Float64Array,
    readonly totalCount: number,
  ) {}

  /**
   * Adds every count at its index's highest equivalent value, so the target's maxValue is the
   * value Java HdrHistogram's getMaxValue() reports and a decoded .hlog interval holds.
   */
  addTo(histogram: Histogram): void {
    for (let i = 0; i < this.indexes.length; i++)
      histogram.recordValueWithCount(highestValueAtIndex(this.indexes[i]), this.counts[i]);
  }
}

/** The open interval's counts. The caller guarantees 0 <= value <= HIGHEST_TRACKABLE_VALUE_NS. */
export class LatencyCounts {
  private readonly counts = new Float64Array(COUNTS_LENGTH);
  private total = 0;

  record(valueNs: number): void {
    this.counts[countsIndexOf(valueNs)]++;
    this.total++;
  }

  get totalCount(): number {
    return this.total;
  }

  /** Adds another interval's counts index by index: an exact merge (worker threads, shards). */
  add(sparse: SparseCounts): void {
    for (let i = 0; i < sparse.indexes.length; i++) this.counts[sparse.indexes[i]] += sparse.counts[i];
    this.total += sparse.totalCount;
  }

  snapshot(): SparseCounts {
    let nonZero = 0;
    for (let i = 0; i < COUNTS_LENGTH; i++) if (this.counts[i] !== 0) nonZero++;
    const indexes = new Uint16Array(nonZero);
    const counts = new Float64Array(nonZero);
    for (let i = 0, j = 0; i < COUNTS_LENGTH; i++) {
      if (this.counts[i] === 0) continue;
      indexes[j] = i;
      counts[j++] = this.counts[i];
    }
    return new SparseCounts(indexes, counts, this.total);
  }

  clear(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}
