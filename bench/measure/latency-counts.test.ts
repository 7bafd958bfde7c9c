import { describe, expect, it } from 'vitest';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { createLatencyHistogram, HIGHEST_TRACKABLE_VALUE_NS } from './histogram-bounds.ts';
import { countsIndexOf, highestValueAtIndex, LatencyCounts } from './latency-counts.ts';

/** Bucket edges, powers of two and their neighbours, the bounds, fractions and a seeded spread. */
function probeValues(): number[] {
  const values = [
    0,
    1,
    2,
    1023,
    1024,
    1025,
    2047,
    2048,
    2049,
    4095,
    4096,
    0.5,
    1.5,
    2048.9,
    999_999.7,
    HIGHEST_TRACKABLE_VALUE_NS,
    HIGHEST_TRACKABLE_VALUE_NS - 1,
  ];
  for (let power = 1; power <= 41; power++) values.push(2 ** power - 1, 2 ** power, 2 ** power + 1);
  let seed = 42;
  for (let i = 0; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    values.push(Math.floor(Math.exp((seed / 2147483648) * Math.log(HIGHEST_TRACKABLE_VALUE_NS))));
  }
  return values;
}

describe('LatencyCounts', () => {
  it('puts every value in the same bucket as hdr-histogram-js recordValue does', () => {
    const viaCounts = new LatencyCounts();
    const direct = createLatencyHistogram();
    for (const value of probeValues()) {
      viaCounts.record(value);
      direct.recordValue(value);
    }
    const transferred = createLatencyHistogram();
    viaCounts.snapshot().addTo(transferred);
    // The encoding holds every count at its index, so equal text means equal buckets.
    expect(encodeIntoCompressedBase64(transferred)).toBe(encodeIntoCompressedBase64(direct));
    expect(transferred.totalCount).toBe(direct.totalCount);
  });

  it('maps an index back to the highest value of the same bucket, as the library does', () => {
    const library = createLatencyHistogram() as unknown as JsHistogram;
    for (const value of probeValues()) {
      const index = countsIndexOf(value);
      const highest = highestValueAtIndex(index);
      expect(highest).toBe(library.highestEquivalentValue(Math.floor(value)));
      expect(countsIndexOf(highest)).toBe(index);
      expect(countsIndexOf(highest + 1)).toBe(index + 1);
    }
  });

  it('clears counts and the total', () => {
    const counts = new LatencyCounts();
    counts.record(5);
    counts.record(5_000_000);
    expect(counts.totalCount).toBe(2);
    counts.clear();
    expect(counts.totalCount).toBe(0);
    const histogram = createLatencyHistogram();
    counts.snapshot().addTo(histogram);
    expect(histogram.totalCount).toBe(0);
  });
});
