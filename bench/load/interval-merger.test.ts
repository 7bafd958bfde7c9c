import type { Histogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { LatencyCounts } from '../measure/latency-counts.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { IntervalMerger } from './interval-merger.ts';
import type { WireInterval } from './worker-protocol.ts';

const ORIGIN = 1_700_000_000_000;

/** One worker's interval of one metric, as the worker ships it. */
function wire(startMs: number, endMs: number, values: readonly number[], name = 'op', clamped = 0): WireInterval {
  const counts = new LatencyCounts();
  for (const v of values) counts.record(v);
  const sparse = counts.snapshot();
  return {
    startMs,
    endMs,
    metrics: [
      { name, indexes: sparse.indexes, counts: sparse.counts, totalCount: sparse.totalCount, clamped, invalid: 0 },
    ],
  };
}

/** Every (value, count) of a histogram, to compare two count for count. */
function countsOf(histogram: Histogram): Array<[number, number]> {
  const dense = histogram as unknown as { countsArrayLength: number; getCountAtIndex(index: number): number };
  const out: Array<[number, number]> = [];
  for (let i = 0; i < dense.countsArrayLength; i++)
    if (dense.getCountAtIndex(i) !== 0) out.push([i, dense.getCountAtIndex(i)]);
  return out;
}

function latencies(seed: number, n: number): number[] {
  const random = SeededRandom.forKey(seed, 'latencies');
  // Spread over 6 decades (1 us .. 1 s) so many buckets are exercised.
  return Array.from({ length: n }, () => Math.round(1_000 * 10 ** (random.nextFloat() * 6)));
}

describe('IntervalMerger', () => {
  it('merges W workers count for count: the same histogram, interval by interval, as one thread recording all values', () => {
    const workers = 3;
    const seconds = 4;
    const merged = new RecorderSet({ clock: () => ORIGIN });
    merged.resetAll(ORIGIN);
    const merger = new IntervalMerger(workers, merged, ORIGIN, 1_000);
    const single = new RecorderSet({ clock: () => ORIGIN });
    single.resetAll(ORIGIN);
    for (let s = 0; s < seconds; s++) {
      // Workers report in a scrambled order; the merge must not depend on it.
      for (const w of [2, 0, 1]) {
        const values = latencies(100 * s + w, 500 + w);
        for (const v of values) single.metric('op').recordNs(v);
        merger.add(w, wire(ORIGIN + s * 1_000, ORIGIN + (s + 1) * 1_000, values));
      }
      single.cutAll(ORIGIN + (s + 1) * 1_000);
    }
    // The last, partial intervals: off the grid, left open for the caller's closing cut.
    const tails = [0, 1, 2].map((w) => latencies(999 + w, 50));
    tails.forEach((values, w) => {
      for (const v of values) single.metric('op').recordNs(v);
      merger.add(w, wire(ORIGIN + seconds * 1_000, ORIGIN + seconds * 1_000 + 300 + w, values));
      merger.finish(w);
    });
    merger.flush();
    merged.cutAll(ORIGIN + seconds * 1_000 + 400);
    single.cutAll(ORIGIN + seconds * 1_000 + 400);

    const a = merged.metric('op');
    const b = single.metric('op');
    expect(a.total().totalCount).toBe(b.total().totalCount);
    expect(countsOf(a.total())).toEqual(countsOf(b.total()));
    expect(a.total().getValueAtPercentile(99)).toBe(b.total().getValueAtPercentile(99));
    expect(a.intervals().map((i) => [i.startTimeMs - ORIGIN, i.endTimeMs - ORIGIN])).toEqual(
      b.intervals().map((i) => [i.startTimeMs - ORIGIN, i.endTimeMs - ORIGIN]),
    );
    a.intervals().forEach((interval, i) =>
      expect(countsOf(interval.histogram)).toEqual(countsOf(b.intervals()[i]!.histogram)),
    );
  });

  it("waits for the slowest worker before cutting, and never splits a stalled worker's two-second interval", () => {
    const set = new RecorderSet({ clock: () => ORIGIN });
    set.resetAll(ORIGIN);
    const merger = new IntervalMerger(2, set, ORIGIN, 1_000);
    merger.add(0, wire(ORIGIN, ORIGIN + 1_000, [10]));
    // Worker 1 has not reported second 0 yet: nothing is cut.
    expect(set.metric('op').intervals()).toHaveLength(0);
    merger.add(0, wire(ORIGIN + 1_000, ORIGIN + 2_000, [20]));
    // Worker 1 stalled: one interval over both seconds. The only common cut is at 2 s.
    merger.add(1, wire(ORIGIN, ORIGIN + 2_000, [30, 40]));
    const intervals = set.metric('op').intervals();
    expect(intervals.map((i) => [i.startTimeMs - ORIGIN, i.endTimeMs - ORIGIN, i.totalCount])).toEqual([[0, 2_000, 4]]);
  });

  it('a finished worker no longer holds the others back, and clamped counts add up', () => {
    const set = new RecorderSet({ clock: () => ORIGIN });
    set.resetAll(ORIGIN);
    const merger = new IntervalMerger(2, set, ORIGIN, 1_000);
    merger.add(0, wire(ORIGIN, ORIGIN + 500, [1, 2], 'op', 1));
    merger.finish(0);
    merger.add(1, wire(ORIGIN, ORIGIN + 1_000, [3], 'op', 2));
    merger.add(1, wire(ORIGIN + 1_000, ORIGIN + 2_000, [4]));
    expect(
      set
        .metric('op')
        .intervals()
        .map((i) => [i.endTimeMs - ORIGIN, i.totalCount]),
    ).toEqual([
      [1_000, 3],
      [2_000, 1],
    ]);
    expect(set.metric('op').clamped).toBe(3);
  });
});
