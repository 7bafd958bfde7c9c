import { describe, expect, it } from 'vitest';
import { configError } from '../test-support/config-error.ts';
import { resolveRunParams } from '../run/run-params.ts';
import { formatShard, loadSeed, parseShard, shardedCount, shardedRate, splitCount, workerSeed } from './shard.ts';

describe('parseShard', () => {
  it('reads 1-based k/N and env/N from JOB_COMPLETION_INDEX (0-based, as Kubernetes sets it)', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 4 / 4 ')).toEqual({ index: 4, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard('1024/1024')).toEqual({ index: 1024, count: 1024 });
    expect(parseShard('env/4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 4 });
    expect(parseShard('env/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 4, count: 4 });
    expect(formatShard(parseShard('3/8'))).toBe('3/8');
  });

  it('names the problem and the fix for every bad form', () => {
    const cases: [string, NodeJS.ProcessEnv, RegExp][] = [
      ['0/4', {}, /numbered from 1.*--shard env\/4/],
      ['5/4', {}, /k=5 is larger than N=4/],
      ['1/0', {}, /N must be from 1 to 1024/],
      ['1/1025', {}, /N must be from 1 to 1024/],
      ['1', {}, /expected k\/N/],
      ['a/b', {}, /expected k\/N/],
      ['-1/4', {}, /expected k\/N/],
      ['1.5/4', {}, /expected k\/N/],
      ['', {}, /expected k\/N/],
      ['env/4', {}, /JOB_COMPLETION_INDEX must hold.*got nothing/],
      ['env/4', { JOB_COMPLETION_INDEX: 'x' }, /got "x"/],
      ['env/4', { JOB_COMPLETION_INDEX: '4' }, /outside 0\.\.3/],
    ];
    for (const [text, env, pattern] of cases) {
      const error = configError(() => parseShard(text, env));
      expect(error.message).toMatch(pattern);
      expect(error.message).toContain('--shard');
      expect(error.hint).toMatch(/--shard k\/N with 1 <= k <= N <= 1024/);
    }
  });
});

describe('the split of a load', () => {
  it('divides rates by N and count caps into parts that add up exactly', () => {
    const shard = (index: number, count: number) => ({ shard: { index, count } });
    expect(shardedRate(1_000, { shard: null })).toBe(1_000);
    expect(shardedRate(1_000, shard(2, 4))).toBe(250);
    const parts = [1, 2, 3].map((k) => shardedCount(10, shard(k, 3)));
    expect(parts).toEqual([4, 3, 3]);
    expect(shardedCount(Infinity, shard(1, 3))).toBe(Infinity);
    for (const total of [0, 1, 7, 1_000_003]) {
      for (const parts of [1, 2, 5, 1024]) {
        const sum = Array.from({ length: parts }, (_, i) => splitCount(total, parts, i)).reduce((a, b) => a + b, 0);
        expect(sum).toBe(total);
      }
    }
  });

  it('gives each shard and each worker its own seed, the same every time', () => {
    expect(loadSeed({ seed: 42, shard: null })).toBe(42);
    const seeds = [1, 2, 3, 4].map((k) => loadSeed({ seed: 42, shard: { index: k, count: 4 } }));
    expect(new Set(seeds).size).toBe(4);
    expect(loadSeed({ seed: 42, shard: { index: 2, count: 4 } })).toBe(seeds[1]);
    expect(loadSeed({ seed: 43, shard: { index: 2, count: 4 } })).not.toBe(seeds[1]);
    expect(workerSeed(42, 0)).toBe(42);
    expect(new Set([0, 1, 2, 3].map((w) => workerSeed(42, w))).size).toBe(4);
    for (const seed of seeds) expect(Number.isSafeInteger(seed)).toBe(true);
  });
});

describe('rpb run --shard / --workers', () => {
  it('resolveRunParams reads them and reports bad values with the other problems', () => {
    expect(resolveRunParams({ shard: '2/3', workers: '2' }, {})).toMatchObject({
      shard: { index: 2, count: 3 },
      workers: 2,
    });
    expect(resolveRunParams({ shard: 'env/3' }, { JOB_COMPLETION_INDEX: '2' })).toMatchObject({
      shard: { index: 3, count: 3 },
    });
    // The one place --workers defaults to 1: the load takes params.workers as resolved here.
    expect(resolveRunParams({}, {})).toMatchObject({ shard: null, workers: 1 });
    const error = configError(() => resolveRunParams({ shard: '0/2', workers: '0', seed: 'x' }, {}));
    expect(error.problems.join('\n')).toMatch(/--shard "0\/2": shards are numbered from 1/);
    expect(error.problems.join('\n')).toMatch(/--workers "0": expected an integer from 1 to \d+/);
    expect(error.problems.join('\n')).toMatch(/--seed/);
  });
});
