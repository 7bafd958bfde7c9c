import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { runOf, scenario } from '../gate/synthetic-run.fixture.ts';
import type { RunSummary } from '../core/run-summary.ts';
import { checkShards } from './shard-check.ts';

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
