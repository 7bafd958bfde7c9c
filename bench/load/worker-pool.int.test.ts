import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import type { TestRedis } from '../../src/test-support/start-redis.ts';
import { ConfigError, InfraError } from '../errors.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import { allOutcomesMetricName, uncorrectedMetricName } from './open-loop.ts';
import { runPooledLoad } from './worker-pool.ts';
import { runShardedLoad } from './sharded-load.ts';
import { loadSeed, workerSeed } from './shard.ts';
import type { FlakyArgs, PingArgs } from './fixtures/ping-operation.ts';

const FIXTURE = new URL('./fixtures/ping-operation.ts', import.meta.url);

let redis: TestRedis;
let admin: Redis;
beforeAll(async () => {
  redis = await startTestRedis();
  admin = new Redis(redis.url, { lazyConnect: true });
  await admin.connect();
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});

/** Connections named by the pool's workers still open on the server. */
async function workerConnections(): Promise<number> {
  const list = await admin.client('LIST');
  return String(list)
    .split('\n')
    .filter((line) => line.includes('name=rpb-load-worker')).length;
}

async function noWorkerConnectionsLeft(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    if ((await workerConnections()) === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return workerConnections();
}

describe('runPooledLoad with a real redis-server', () => {
  it('2 workers share an open-loop rate, and the merged histograms hold exactly what reached Redis', async () => {
    await admin.set('pool:count', 0);
    const recorders = new RecorderSet();
    const result = await runPooledLoad<PingArgs>(
      {
        workers: 2,
        redisUrl: redis.url,
        factory: { module: FIXTURE, exportName: 'createPingOperation', args: { counterKey: 'pool:count' } },
        load: {
          kind: 'open-loop',
          options: { rateOpsPerSecond: 400, durationMs: 2_500, warmupDurationMs: 300, metricName: 'ping' },
        },
      },
      recorders,
    );
    recorders.cutAll();
    const corrected = recorders.metric('ping');
    const uncorrected = recorders.metric(uncorrectedMetricName('ping'));
    expect(result.perWorker).toHaveLength(2);
    expect(result.errors + result.timeouts + result.abandoned).toBe(0);
    // ~1,000 sent; a slow shared machine may fall behind, so only a loose bound on the count.
    expect(result.sent).toBeGreaterThan(500);
    expect(result.sent).toBe(result.perWorker.reduce((sum, r) => sum + (r?.sent ?? 0), 0));
    expect(result.targetRate).toBeCloseTo(400, 0);
    // Exact: every successful operation is in both histograms, once.
    expect(corrected.total().totalCount).toBe(result.ok);
    expect(uncorrected.total().totalCount).toBe(result.ok);
    expect(recorders.metric(allOutcomesMetricName('ping')).total().totalCount).toBe(result.ok);
    // The interval counts add up to the total, and the grid gives ~1 s intervals.
    const intervals = corrected.intervals();
    expect(intervals.reduce((sum, i) => sum + i.totalCount, 0)).toBe(result.ok);
    expect(intervals.length).toBeGreaterThanOrEqual(2);
    for (const interval of intervals.slice(0, -1))
      expect(interval.endTimeMs - interval.startTimeMs).toBeLessThanOrEqual(2_000);
    // Redis counted the warm-up too: at least the measured operations reached it.
    expect(Number(await admin.get('pool:count'))).toBeGreaterThanOrEqual(result.ok);
    expect(await noWorkerConnectionsLeft()).toBe(0);
  });

  it('failures and timeouts in 2 workers: <metric>.all holds every outcome, exactly, the success histograms none of them', async () => {
    const TIMEOUT_MS = 80;
    const recorders = new RecorderSet();
    const result = await runPooledLoad<FlakyArgs>(
      {
        workers: 2,
        redisUrl: redis.url,
        factory: {
          module: FIXTURE,
          exportName: 'createFlakyOperation',
          args: { timeoutEvery: 5, timeoutMs: TIMEOUT_MS, errorEvery: 7 },
        },
        load: {
          kind: 'open-loop',
          options: { rateOpsPerSecond: 300, durationMs: 2_200, warmupDurationMs: 200, metricName: 'flaky' },
        },
      },
      recorders,
    );
    recorders.cutAll();
    const success = recorders.metric('flaky').total();
    const all = recorders.metric(allOutcomesMetricName('flaky'));
    expect(result.timeouts).toBeGreaterThan(50);
    expect(result.errors).toBeGreaterThan(30);
    expect(result.abandoned).toBe(0);
    expect(result.ok + result.errors + result.timeouts).toBe(result.sent);
    // Exact across the two threads' merged intervals: every outcome once in .all, successes alone in the others.
    expect(all.total().totalCount).toBe(result.ok + result.errors + result.timeouts);
    expect(all.intervals().reduce((sum, i) => sum + i.totalCount, 0)).toBe(result.sent);
    expect(success.totalCount).toBe(result.ok);
    expect(recorders.metric(uncorrectedMetricName('flaky')).total().totalCount).toBe(result.ok);
    // The timeouts are the tail of .all (less the up to 1 ms a Node timer may fire early), and absent
    // from the successes'.
    expect(all.total().maxValue).toBeGreaterThanOrEqual((TIMEOUT_MS - 1) * 1e6);
    expect(success.getValueAtPercentile(99)).toBeLessThan(TIMEOUT_MS * 1e6);
    expect(await noWorkerConnectionsLeft()).toBe(0);
  });

  it('closed loop in 2 workers of 2 connections each: the concurrency is divided and the counts merge exactly', async () => {
    const recorders = new RecorderSet();
    const result = await runPooledLoad<PingArgs>(
      {
        workers: 2,
        redisUrl: redis.url,
        factory: { module: FIXTURE.href, exportName: 'createPingOperation', args: { counterKey: 'pool:closed' } },
        client: { connectionsPerWorker: 2 },
        load: {
          kind: 'closed-loop',
          options: { workers: 4, durationMs: 800, warmupDurationMs: 0, maxOperations: 2_000, metricName: 'closed' },
        },
      },
      recorders,
    );
    recorders.cutAll();
    expect(result.sent).toBeLessThanOrEqual(2_000);
    expect(recorders.metric('closed').total().totalCount).toBe(result.ok);
    expect(result.targetRate).toBeNull();
  });

  it('a factory that throws becomes a clear error naming the worker, and no worker or connection survives', async () => {
    const error = await runPooledLoad(
      {
        workers: 2,
        redisUrl: redis.url,
        factory: { module: FIXTURE, exportName: 'createFailingFactory', args: null },
        load: { kind: 'open-loop', options: { rateOpsPerSecond: 100, durationMs: 500 } },
      },
      new RecorderSet(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/load worker \d\/2 failed: Error: factory refused in worker \d/);
    expect(await noWorkerConnectionsLeft()).toBe(0);
  });

  it('a worker thread that crashes mid-run fails the run promptly instead of hanging', async () => {
    const started = Date.now();
    const error = await runPooledLoad(
      {
        workers: 2,
        redisUrl: redis.url,
        factory: { module: FIXTURE, exportName: 'createCrashingOperation', args: null },
        load: { kind: 'open-loop', options: { rateOpsPerSecond: 200, durationMs: 20_000, warmupDurationMs: 0 } },
      },
      new RecorderSet(),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/load worker 2\/2 failed: Error: worker crashed on purpose/);
    // Long before the 20 s load would have ended.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await noWorkerConnectionsLeft()).toBe(0);
  });

  it('an abort stops every worker promptly, even with operations that never settle', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 1_500);
    const result = await runPooledLoad(
      {
        workers: 2,
        redisUrl: redis.url,
        factory: { module: FIXTURE, exportName: 'createHangingOperation', args: null },
        load: {
          kind: 'open-loop',
          options: { rateOpsPerSecond: 100, durationMs: 30_000, warmupDurationMs: 0, maxInFlight: 4 },
        },
      },
      new RecorderSet(),
      controller.signal,
    );
    expect(result.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(await noWorkerConnectionsLeft()).toBe(0);
  });

  it('runShardedLoad runs 1/N of the rate, in W threads or (W = 1) in the main thread, each worker with its own seed', async () => {
    const params = { seed: 42, shard: { index: 2, count: 2 } };
    const seeds: number[] = [];
    for (const workers of [1, 2]) {
      const recorders = new RecorderSet();
      const result = await runShardedLoad<PingArgs & { seed: number }>(
        {
          redisUrl: redis.url,
          factory: {
            module: FIXTURE,
            exportName: 'createPingOperation',
            args: ({ workerIndex }) => {
              seeds.push(workerSeed(loadSeed(params), workerIndex));
              return { counterKey: 'pool:sharded', seed: seeds.at(-1)! };
            },
          },
          load: {
            kind: 'open-loop',
            options: {
              rateOpsPerSecond: 400,
              durationMs: 1_000,
              warmupDurationMs: 0,
              maxOperations: 101,
              metricName: 'sharded',
            },
          },
        },
        { ...params, workers },
        recorders,
      );
      recorders.cutAll();
      expect(result.perWorker).toHaveLength(workers);
      // Shard 2 of 2: half of the rate, and 50 of the 101-operation cap (shard 1 gets 51).
      expect(result.sent).toBeLessThanOrEqual(50);
      expect(recorders.metric('sharded').total().totalCount).toBe(result.ok);
    }
    expect(new Set(seeds).size).toBe(2);
    expect(seeds[0]).toBe(loadSeed(params));
  });

  it('an unreachable Redis is an InfraError naming the worker, not a hang', async () => {
    const error = await runPooledLoad(
      {
        workers: 2,
        redisUrl: 'redis://127.0.0.1:1',
        client: { connectTimeoutMs: 1_000 },
        factory: { module: FIXTURE, exportName: 'createPingOperation', args: { counterKey: 'x' } },
        load: { kind: 'open-loop', options: { rateOpsPerSecond: 100, durationMs: 500 } },
      },
      new RecorderSet(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraError);
    expect((error as Error).message).toMatch(/^load worker \d\/2: Redis client not ready within 1000 ms/);
  });

  it('bad pool options are ConfigErrors before any thread starts', async () => {
    const base = {
      redisUrl: redis.url,
      factory: { module: FIXTURE, exportName: 'createPingOperation', args: { counterKey: 'x' } },
    };
    for (const [workers, rate, pattern] of [
      [0, 100, /workers must be an integer from 1/],
      [1.5, 100, /workers must be an integer/],
      [2, 0, /rateOpsPerSecond must be a positive number/],
      [2, Number.NaN, /rateOpsPerSecond must be a positive number/],
      [2, Infinity, /rateOpsPerSecond must be a positive number/],
    ] as const) {
      const error = await runPooledLoad(
        { ...base, workers, load: { kind: 'open-loop', options: { rateOpsPerSecond: rate } } },
        new RecorderSet(),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(pattern);
    }
  });
});
