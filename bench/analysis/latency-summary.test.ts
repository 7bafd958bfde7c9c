import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { nsToMs, nsToUs, summarizeHistogram } from './latency-summary.ts';

describe('summarizeHistogram', () => {
  it('an empty histogram gives count 0 and nulls, which survive JSON', () => {
    const summary = summarizeHistogram(createLatencyHistogram());
    expect(summary).toEqual({
      count: 0,
      minNs: null,
      meanNs: null,
      stddevNs: null,
      p50Ns: null,
      p90Ns: null,
      p99Ns: null,
      p999Ns: null,
      maxNs: null,
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('1..10000 us gives the known percentiles within 3-digit HDR precision', () => {
    const histogram = createLatencyHistogram();
    for (let us = 1; us <= 10_000; us++) histogram.recordValue(us * 1_000);
    const summary = summarizeHistogram(histogram);
    const within = (actual: number | null, expected: number): void => {
      expect(actual).not.toBeNull();
      expect(Math.abs((actual as number) - expected) / expected).toBeLessThanOrEqual(0.001);
    };
    expect(summary.count).toBe(10_000);
    within(summary.minNs, 1_000);
    within(summary.p50Ns, 5_000_000);
    within(summary.p90Ns, 9_000_000);
    within(summary.p99Ns, 9_900_000);
    within(summary.p999Ns, 9_990_000);
    within(summary.maxNs, 10_000_000);
    within(summary.meanNs, 5_000_500);
    within(summary.stddevNs, 2_886_751); // population stddev of a uniform 1..10000 us
    for (const value of Object.values(summary)) expect(Number.isNaN(value)).toBe(false);
  });

  it('a single value gives stddev 0 and min = max', () => {
    const histogram = createLatencyHistogram();
    histogram.recordValue(1_500);
    const summary = summarizeHistogram(histogram);
    expect(summary.stddevNs).toBe(0);
    expect(summary.minNs).toBe(summary.maxNs);
  });
});

describe('unit helpers', () => {
  it('convert ns and pass null through', () => {
    expect(nsToMs(1_000_000)).toBe(1);
    expect(nsToUs(1_500)).toBe(1.5);
    expect(nsToMs(null)).toBeNull();
    expect(nsToUs(null)).toBeNull();
  });
});

describe('summarizeHistogram agrees with hdr-histogram-js', () => {
  it('gives the library percentiles exactly and its mean and standard deviation, on varied data', () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const size of [1, 2, 10, 999, 20_000]) {
      const h = createLatencyHistogram();
      for (let i = 0; i < size; i++) h.recordValue(Math.floor(1 + 1e9 * next() ** 6));
      const s = summarizeHistogram(h);
      expect(s.count).toBe(size);
      expect(s.minNs).toBe(h.getValueAtPercentile(0));
      expect(s.p50Ns).toBe(h.getValueAtPercentile(50));
      expect(s.p90Ns).toBe(h.getValueAtPercentile(90));
      expect(s.p99Ns).toBe(h.getValueAtPercentile(99));
      expect(s.p999Ns).toBe(h.getValueAtPercentile(99.9));
      expect(s.maxNs).toBe(h.getValueAtPercentile(100));
      expect(s.meanNs).toBeCloseTo(h.mean, 6);
      expect(s.stddevNs! / (h.stdDeviation || 1)).toBeCloseTo(h.stdDeviation === 0 ? 0 : 1, 9);
    }
  });
});
