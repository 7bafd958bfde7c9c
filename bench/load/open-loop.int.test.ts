import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { checkRedisHealth } from '../../src/redis/health-check.ts';
import { NS_PER_S } from '../core/units.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import { ManagedRedis } from '../targets/managed-redis.ts';
import { allOutcomesMetricName, runOpenLoop, uncorrectedMetricName } from './open-loop.ts';

/*
 * The proof of the coordinated-omission correction (issue 3). With at most 8 requests in flight,
 * a 1 s SIGSTOP holds every send back: the ~1,000 requests due during the stall are sent late,
 * after the resume. From their INTENDED times they waited 0..1 s (uniformly), which is ~10% of a
 * 10 s run at 1k ops/s, so the corrected p99 lands near 0.9 s. From their ACTUAL sends only the 8
 * caught inside the server waited; a closed-loop tool would report that p99, far below.
 */
describe('open loop against a paused Redis', () => {
  it('the corrected p99 shows the stall; the uncorrected one hides it', async () => {
    const redis = await ManagedRedis.start();
    // Longer than the stall, so requests wait rather than fail.
    const client = createRedisClient(redis.url, { commandTimeoutMs: 5_000, connectionName: 'rpb-open-loop-proof' });
    let stall: Promise<number> | undefined;
    try {
      const health = await checkRedisHealth(client, 5_000);
      if (!health.healthy) throw new Error(`test Redis not healthy: ${health.error}`);
      await client.set('proof:key', 'x'.repeat(100));
      const recorders = new RecorderSet();
      stall = (async () => {
        await sleep(3_000);
        await redis.pause();
        const pausedAtMs = performance.now();
        await sleep(1_000);
        await redis.resume();
        return performance.now() - pausedAtMs;
      })();
      const result = await runOpenLoop(
        { rateOpsPerSecond: 1_000, durationMs: 10_000, warmupDurationMs: 0, maxInFlight: 8, metricName: 'get' },
        () => client.get('proof:key'),
        recorders,
      );
      const stallMs = await stall;
      const corrected = recorders.metric('get').total();
      const uncorrected = recorders.metric(uncorrectedMetricName('get')).total();
      const figures = {
        stallMs: Math.round(stallMs),
        correctedP99S: corrected.getValueAtPercentile(99) / NS_PER_S,
        correctedMaxS: corrected.maxValue / NS_PER_S,
        uncorrectedP99S: uncorrected.getValueAtPercentile(99) / NS_PER_S,
        uncorrectedMaxS: uncorrected.maxValue / NS_PER_S,
        sent: result.sent,
        achievedRate: Math.round(result.achievedRate),
        maxSendLagMs: Math.round(result.maxSendLagMs ?? 0),
      };
      console.info(`open-loop correction proof: ${JSON.stringify(figures)}`);

      expect(result).toMatchObject({ errors: 0, timeouts: 0, abandoned: 0, unsent: 0 });
      expect(result.ok).toBe(result.sent);
      expect(corrected.totalCount).toBe(result.ok);
      expect(recorders.metric(allOutcomesMetricName('get')).total().totalCount).toBe(result.ok);
      expect(result.warnings.join('\n')).toMatch(/behind schedule|fell behind/);
      expect(figures.correctedP99S).toBeGreaterThanOrEqual(0.5);
      expect(figures.correctedMaxS).toBeGreaterThanOrEqual(0.9);
      expect(figures.uncorrectedP99S).toBeLessThan(0.25 * figures.correctedP99S);
    } finally {
      await stall?.catch(() => undefined);
      if (redis.state === 'paused') await redis.resume();
      client.disconnect();
      await redis.stop();
    }
  });

  /*
   * The same stall with a command timeout far below it: the ~800 GETs sent in the first 800 ms of
   * the 1 s pause time out (ioredis "Command timed out") after 200 ms. The success histograms hold
   * only the GETs that beat the timeout, so their tail looks fine; <metric>.all holds every GET at
   * its time to success or timeout, so the timeouts stay in its tail.
   */
  it('timed-out GETs stay in the tail of <metric>.all, at their time to timeout, and out of the success histograms', async () => {
    const TIMEOUT_MS = 200;
    const redis = await ManagedRedis.start();
    const client = createRedisClient(redis.url, {
      commandTimeoutMs: TIMEOUT_MS,
      connectionName: 'rpb-open-loop-timeouts',
    });
    let stall: Promise<void> | undefined;
    try {
      const health = await checkRedisHealth(client, 5_000);
      if (!health.healthy) throw new Error(`test Redis not healthy: ${health.error}`);
      await client.set('proof:key', 'x'.repeat(100));
      const recorders = new RecorderSet();
      stall = (async () => {
        await sleep(1_000);
        await redis.pause();
        await sleep(1_000);
        await redis.resume();
      })();
      // The in-flight bound is far above rate x stall, so sends are never held back.
      const result = await runOpenLoop(
        { rateOpsPerSecond: 1_000, durationMs: 3_000, warmupDurationMs: 0, maxInFlight: 5_000, metricName: 'get' },
        () => client.get('proof:key'),
        recorders,
      );
      await stall;
      const success = recorders.metric('get').total();
      const all = recorders.metric(allOutcomesMetricName('get')).total();
      console.info(
        `open-loop timeouts: ${JSON.stringify({ sent: result.sent, ok: result.ok, timeouts: result.timeouts, errors: result.errors, successP99Ms: success.getValueAtPercentile(99) / 1e6, allP99Ms: all.getValueAtPercentile(99) / 1e6, allMaxMs: all.maxValue / 1e6 })}`,
      );
      expect(result.timeouts).toBeGreaterThan(300);
      expect(result.abandoned).toBe(0);
      expect(success.totalCount).toBe(result.ok);
      expect(recorders.metric(uncorrectedMetricName('get')).total().totalCount).toBe(result.ok);
      expect(all.totalCount).toBe(result.ok + result.errors + result.timeouts);
      expect(all.totalCount).toBe(result.sent);
      // Over 10% timed out: .all's p99 is a timeout (with 5% slack: a Node timer may fire a little
      // early against hrtime), while every success beat the timeout.
      expect(all.maxValue).toBeGreaterThanOrEqual((TIMEOUT_MS - 1) * 1e6);
      expect(all.getValueAtPercentile(99)).toBeGreaterThanOrEqual(0.95 * TIMEOUT_MS * 1e6);
      expect(success.getValueAtPercentile(99)).toBeLessThan(all.getValueAtPercentile(99));
    } finally {
      await stall?.catch(() => undefined);
      if (redis.state === 'paused') await redis.resume();
      client.disconnect();
      await redis.stop();
    }
  });
});
