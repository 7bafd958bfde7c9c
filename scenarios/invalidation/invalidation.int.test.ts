import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { ConfigError } from '../../bench/errors.ts';
import { runScenarios } from '../../bench/run/runner.ts';
import type { RunParams } from '../../bench/run/run-params.ts';
import type { Scenario, ScenarioContext } from '../../bench/run/scenario.ts';
import { tunableProblems } from '../../bench/core/tunables.ts';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import { invalidation } from './invalidation.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-invalidation-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function params(out: string, overrides: Record<string, string>, redisUrl: string | null = null): RunParams {
  return {
    quick: true,
    seed: 1,
    outDir: path.join(tmp, out),
    redisUrl,
    missExtraMs: 0,
    dataDir: null,
    overrides,
    addedLatencyMs: 0,
    shard: null,
    workers: 1,
  };
}

describe('invalidation scenario', () => {
  it('invalidates one symbol with KEYS+DEL and SCAN+UNLINK under a GET load, and leaves no key behind', async () => {
    const keysLeft: number[] = [];
    const watched: Scenario = {
      ...invalidation,
      run: async (ctx: ScenarioContext) => {
        const outcome = await invalidation.run(ctx);
        keysLeft.push(await ctx.admin.dbsize());
        return outcome;
      },
    };
    const { summary, failures } = await runScenarios({
      scenarios: [watched],
      params: params('ok', {
        keys: '6000',
        datesPerSymbol: '120',
        rounds: '2',
        leadMs: '100',
        tailMs: '100',
        warmupDurationMs: '0',
        scanCount: '200',
      }),
      command: 'test',
      signal: new AbortController().signal,
      progress: () => {},
      claims: CLAIMS,
      knownScenarioIds: ['invalidation'],
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    const v = (name: string) => report.values[name]?.value;
    // The document's way: exactly one KEYS per invalidation; the service's: several SCAN steps (6000 keys / COUNT 200).
    expect(v('server-calls.keys')).toBe(1);
    expect(v('server-calls.scan')).toBeGreaterThan(5);
    expect(v('server-ms-per-call.keys')).toBeGreaterThan(0);
    for (const method of ['keys-del', 'scan-unlink']) {
      expect(report.metrics[`invalidate.${method}`]?.summary.count).toBe(2);
      expect(report.metrics[`get.${method}`]?.summary.count).toBeGreaterThan(0);
      expect(report.metrics[`get.${method}.uncorrected`]?.summary.count).toBeGreaterThan(0);
      expect(report.trials[`duration-ms.${method}`]).toHaveLength(2);
      expect(v(`duration-ms.${method}`)).toBeGreaterThan(0);
    }
    // Every key of the target removed each time, no load GET missed, nothing left in Redis.
    expect(report.notes.filter((n) => /removed|still exist|missed|failed/.test(n) && n.startsWith('anomaly'))).toEqual(
      [],
    );
    expect(report.verdicts).toEqual([]);
    expect(keysLeft).toEqual([0]);
  });

  it('stops promptly when aborted mid-run, and still removes its keys', async () => {
    const controller = new AbortController();
    const keysLeft: number[] = [];
    const watched: Scenario = {
      ...invalidation,
      run: async (ctx: ScenarioContext) => {
        setTimeout(() => controller.abort('SIGINT'), 1_000).unref();
        try {
          return await invalidation.run(ctx);
        } finally {
          keysLeft.push(await ctx.admin.dbsize());
        }
      },
    };
    const started = performance.now();
    const { summary } = await runScenarios({
      scenarios: [watched],
      params: params('abort', { keys: '20000', rounds: '50', leadMs: '300', tailMs: '300' }),
      command: 'test',
      signal: controller.signal,
      progress: () => {},
      claims: CLAIMS,
      knownScenarioIds: ['invalidation'],
    });
    expect(summary.status).toBe('interrupted');
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(keysLeft).toEqual([0]);
  });

  it("refuses a Redis it did not start (KEYS would block someone else's server)", async () => {
    const redis = await startTestRedis();
    try {
      const { failures } = await runScenarios({
        scenarios: [invalidation],
        params: params('url', { keys: '2000', datesPerSymbol: '10', rounds: '1' }, redis.url),
        command: 'test',
        signal: new AbortController().signal,
        progress: () => {},
        claims: CLAIMS,
        knownScenarioIds: ['invalidation'],
      });
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(ConfigError);
      expect((failures[0] as Error).message).toMatch(/only on a Redis the harness starts/);
    } finally {
      await redis.stop();
    }
  });

  it('names invalid key counts and sizes', () => {
    expect(
      tunableProblems('invalidation', invalidation.tunables ?? {}, {
        keys: '10',
        datesPerSymbol: '0',
        valueBytes: '4096',
      }),
    ).toEqual([
      'invalidation.keys=10: expected an integer from 2000 to 2000000',
      'invalidation.datesPerSymbol=0: expected an integer from 1 to 1000',
      'invalidation.valueBytes=4096: expected an integer from 1 to 512',
    ]);
    expect(
      tunableProblems('invalidation', invalidation.tunables ?? {}, { keys: '1000000', datesPerSymbol: '1000' }),
    ).toEqual([]);
  });
});
