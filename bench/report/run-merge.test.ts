import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { runOf, scenario } from '../gate/synthetic-run.fixture.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import type { RunSummary } from '../core/run-summary.ts';
import { checkShards, mergeTimelines } from './run-merge.ts';

function shardRun(
  dir: string,
  index: number | null,
  count = 3,
  change: Partial<RunSummary['params']> = {},
): { dir: string; summary: RunSummary } {
  const base = runOf([scenario('probe')]);
  return {
    dir,
    summary: { ...base, params: { ...base.params, shard: index === null ? null : { index, count }, ...change } },
  };
}

function histogramOf(...values: number[]) {
  const h = createLatencyHistogram();
  for (const v of values) h.recordValue(v);
  return h;
}

describe('checkShards', () => {
  it('accepts distinct shards of one split and warns about the missing ones', () => {
    expect(checkShards([shardRun('a', 1), shardRun('b', 3)]).warnings.join('\n')).toMatch(/shard 2\/3 missing/);
    expect(checkShards([shardRun('a', 1), shardRun('b', 2), shardRun('c', 3)]).warnings).toEqual([]);
  });

  it('refuses unsharded runs, mixed N, duplicates and differing options, listing each', () => {
    let error: unknown;
    try {
      checkShards([
        shardRun('a', 1),
        shardRun('b', 1),
        shardRun('c', 2, 4),
        shardRun('d', null),
        shardRun('e', 3, 3, { overrides: { rate: '5' } }),
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    expect(text).toMatch(/d is not a shard run/);
    expect(text).toMatch(/N = 3, 4/);
    expect(text).toMatch(/b and a are both shard 1\/3/);
    expect(text).toMatch(/e differs from a in overrides/);
    expect(() => checkShards([])).toThrow(ConfigError);
  });
});

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
