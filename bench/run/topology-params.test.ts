import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { resolveRunParams } from './run-params.ts';

const OUT = '/nonexistent-rpb-topology-test-dir';

function problemsOf(raw: Parameters<typeof resolveRunParams>[0]): readonly string[] {
  try {
    resolveRunParams({ out: OUT, ...raw }, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('--topology', () => {
  it('is absent unless given (each scenario then runs on its own default) and takes the three kinds', () => {
    expect(resolveRunParams({ out: OUT }, {}).topology).toBeUndefined();
    for (const kind of ['standalone', 'sentinel', 'cluster'])
      expect(resolveRunParams({ out: OUT, topology: kind }, {}).topology).toBe(kind);
  });

  it('names the problem and the choices for an unknown kind', () => {
    expect(problemsOf({ topology: 'mesh' })).toEqual([
      '--topology "mesh": expected one of standalone, sentinel, cluster',
    ]);
  });

  it('refuses combinations that cannot work', () => {
    expect(problemsOf({ topology: 'cluster', addedLatencyMs: '1' })[0]).toMatch(
      /--added-latency-ms cannot be combined with --topology cluster/,
    );
    expect(problemsOf({ topology: 'sentinel', redisUrl: 'redis://127.0.0.1:7000' })[0]).toMatch(
      /--topology sentinel cannot be combined with --redis-url/,
    );
    // A cluster seed URL is fine.
    expect(problemsOf({ topology: 'cluster', redisUrl: 'redis://127.0.0.1:7000' })).toEqual([]);
  });
});
