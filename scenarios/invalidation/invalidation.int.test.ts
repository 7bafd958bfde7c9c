import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { ConfigError } from '../../bench/errors.ts';
import { tunableProblems } from '../../bench/core/tunables.ts';
import { runScenarioForTest, useTempDir, watchedScenario } from '../../bench/test-support/scenario-test-run.ts';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import { invalidation } from './invalidation.ts';

const tmpPath = useTempDir('rpb-invalidation-');

describe('invalidation scenario', () => {
  it('invalidates one symbol with KEYS+DEL and SCAN+UNLINK under a GET load, and leaves no key behind', async () => {
    const keysLeft: number[] = [];
    const { summary, failures } = await runScenarioForTest({
      scenario: watchedScenario(invalidation, { after: async (ctx) => keysLeft.push(await ctx.admin.dbsize()) }),
      claims: CLAIMS,
      params: {
        outDir: tmpPath('ok'),
        overrides: {
          keys: '6000',
          datesPerSymbol: '120',
          rounds: '2',
          leadMs: '100',
          tailMs: '100',
          warmupDurationMs: '0',
          scanCount: '200',
        },
      },
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
      // Every outcome of the window's GETs (none failed here: the anomalies below are empty).
      expect(report.metrics[`get.${method}.all`]?.summary.count).toBe(report.metrics[`get.${method}`]?.summary.count);
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
    const watched = watchedScenario(invalidation, {
      before: () => setTimeout(() => controller.abort('SIGINT'), 1_000).unref(),
      after: async (ctx) => keysLeft.push(await ctx.admin.dbsize()),
    });
    const started = performance.now();
    const { summary } = await runScenarioForTest({
      scenario: watched,
      claims: CLAIMS,
      params: { outDir: tmpPath('abort'), overrides: { keys: '20000', rounds: '50', leadMs: '300', tailMs: '300' } },
      signal: controller.signal,
    });
    expect(summary.status).toBe('interrupted');
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(keysLeft).toEqual([0]);
  });

  it("refuses a Redis it did not start (KEYS would block someone else's server)", async () => {
    const redis = await startTestRedis();
    try {
      const { failures } = await runScenarioForTest({
        scenario: invalidation,
        claims: CLAIMS,
        params: {
          outDir: tmpPath('url'),
          overrides: { keys: '2000', datesPerSymbol: '10', rounds: '1' },
          redisUrl: redis.url,
        },
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
