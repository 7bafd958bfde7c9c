import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { mergeTimelines } from './merged-timeline.ts';

function histogramOf(...values: number[]) {
  const h = createLatencyHistogram();
  for (const v of values) h.recordValue(v);
  return h;
}

describe('mergeTimelines', () => {
  it('puts each shard interval whole into the 1 s slot of its middle, keeping empty slots, counts exact', () => {
    const origin = 1_000_000;
    const timeline = mergeTimelines(origin, [
      [
        { startTimeMs: origin, endTimeMs: origin + 1_000, histogram: histogramOf(1, 2) },
        { startTimeMs: origin + 1_000, endTimeMs: origin + 2_000, histogram: histogramOf(3) },
      ],
      // Another machine, started 400 ms later, a gap, then a stalled 2 s interval.
      [
        { startTimeMs: origin + 400, endTimeMs: origin + 1_400, histogram: histogramOf(4) },
        { startTimeMs: origin + 3_000, endTimeMs: origin + 5_000, histogram: histogramOf(5, 6, 7) },
      ],
    ]);
    expect(timeline.map((i) => [i.startTimeMs - origin, i.endTimeMs - origin, i.histogram.totalCount])).toEqual([
      [0, 1_000, 3],
      [1_000, 2_000, 1],
      [2_000, 3_000, 0],
      [3_000, 4_000, 0],
      [4_000, 5_000, 3],
    ]);
  });
});
