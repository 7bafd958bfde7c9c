import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import { fakeOperation } from './fake-operation.fixture.ts';
import { allOutcomesMetricName, runOpenLoop, uncorrectedMetricName } from './open-loop.ts';

const MS = 1e6;

/** A RecorderSet that tells when the warm-up ended (its resetAll). */
class ObservedRecorderSet extends RecorderSet {
  resets = 0;
  override resetAll(nowMs?: number): void {
    this.resets++;
    super.resetAll(nowMs);
  }
}

describe('runOpenLoop', () => {
  it('sends at the target rate and records every success twice', async () => {
    const { operation, log } = fakeOperation(() => 1);
    const recorders = new RecorderSet();
    const result = await runOpenLoop(
      { rateOpsPerSecond: 1_000, durationMs: 500, warmupDurationMs: 0, metricName: 'get' },
      operation,
      recorders,
    );
    expect(result.sent).toBeGreaterThanOrEqual(450);
    expect(result.sent).toBeLessThanOrEqual(550);
    expect(result.ok).toBe(result.sent);
    expect(result).toMatchObject({ errors: 0, timeouts: 0, abandoned: 0, unsent: 0, aborted: false });
    expect(result.targetRate).toBeCloseTo(1_000, 6);
    expect(recorders.metric('get').total().totalCount).toBe(result.ok);
    expect(recorders.metric(uncorrectedMetricName('get')).total().totalCount).toBe(result.ok);
    // No failures: the all-outcomes histogram is the successes' corrected one, value for value.
    const all = recorders.metric(allOutcomesMetricName('get')).total();
    const corrected = recorders.metric('get').total();
    expect(all.totalCount).toBe(result.ok);
    expect(all.maxValue).toBe(corrected.maxValue);
    expect(all.getValueAtPercentile(99)).toBe(corrected.getValueAtPercentile(99));
    expect(log.calls).toBe(result.sent);
  });

  it("counts a completed schedule's rate over its planned window, not over the final wait's timer overshoot", async () => {
    const { operation } = fakeOperation(() => 1);
    // 3 sends at 0, 100 and 200 ms, then a wait until 300 ms whose timer may fire late.
    const result = await runOpenLoop(
      { rateOpsPerSecond: 10, durationMs: 300, warmupDurationMs: 0, metricName: 'tick' },
      operation,
      new RecorderSet(),
    );
    expect(result.sent).toBe(3);
    expect(result.durationMs).toBe(300);
    expect(result.achievedRate).toBeCloseTo(10, 9);
    expect(result.warnings.join(' ')).not.toMatch(/fell behind/);
  });

  it('never exceeds the in-flight bound, and charges the wait to the corrected latency only', async () => {
    const { operation, log } = fakeOperation(() => 20);
    const recorders = new RecorderSet();
    const result = await runOpenLoop(
      { rateOpsPerSecond: 2_000, durationMs: 300, warmupDurationMs: 0, maxInFlight: 4, metricName: 'slow' },
      operation,
      recorders,
    );
    expect(log.maxInFlight).toBe(4);
    // 4 slots of 20 ms hold about 200 ops/s: far below the 600 the schedule asked for.
    expect(result.sent).toBeLessThan(300);
    expect(result.unsent).toBeGreaterThan(0);
    expect(result.sent + result.unsent).toBeGreaterThanOrEqual(540);
    expect(result.maxSendLagMs).toBeGreaterThan(0);
    expect(result.warnings.join('\n')).toMatch(
      /generator fell behind: achieved [\d,]+ ops\/s of 2,000 target; max send lag/,
    );
    expect(result.warnings.join('\n')).toMatch(/never sent: the in-flight bound \(4\) stayed full/);
    const corrected = recorders.metric('slow').total();
    const uncorrected = recorders.metric('slow.uncorrected').total();
    expect(corrected.totalCount).toBe(result.ok);
    expect(corrected.maxValue).toBeGreaterThan(uncorrected.maxValue);
    expect(corrected.getValueAtPercentile(50)).toBeGreaterThan(uncorrected.getValueAtPercentile(50));
  });

  it('keeps warm-up latencies out of the recorders', async () => {
    const recorders = new ObservedRecorderSet();
    let warmupCalls = 0;
    const { operation, log } = fakeOperation(() => {
      if (recorders.resets > 0) return 1;
      warmupCalls++;
      return 300;
    });
    const side = (): void => recorders.metric('side').recordNs(1);
    const result = await runOpenLoop(
      { rateOpsPerSecond: 200, durationMs: 200, warmupDurationMs: 100, metricName: 'w' },
      async (sequence) => {
        side();
        return operation(sequence);
      },
      recorders,
    );
    expect(recorders.resets).toBe(1);
    expect(warmupCalls).toBeGreaterThanOrEqual(15);
    expect(log.calls).toBe(warmupCalls + result.sent);
    expect(recorders.metric('w').total().totalCount).toBe(result.ok);
    // What the operation recorded itself during the warm-up was dropped too.
    expect(recorders.metric('side').total().totalCount).toBe(result.sent);
    // Warm-up calls took 300 ms; none of that reached the histogram.
    expect(recorders.metric('w').total().maxValue).toBeLessThan(250 * MS);
  });

  it('stops at maxOperations long before the duration', async () => {
    const { operation } = fakeOperation(() => 0);
    const result = await runOpenLoop(
      { rateOpsPerSecond: 1_000, durationMs: 60_000, warmupDurationMs: 0, maxOperations: 50 },
      operation,
      new RecorderSet(),
    );
    expect(result.sent).toBe(50);
    expect(result.ok).toBe(50);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.achievedRate).toBeGreaterThan(500);
  });

  it('stops promptly on abort and abandons what hangs', async () => {
    const { operation } = fakeOperation(() => 'never');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 100);
    const startedMs = performance.now();
    try {
      const result = await runOpenLoop(
        { rateOpsPerSecond: 100, durationMs: 60_000, warmupDurationMs: 0 },
        operation,
        new RecorderSet(),
        controller.signal,
      );
      // Well under both the 60 s duration and the 5 s drain bound.
      expect(performance.now() - startedMs).toBeLessThan(3_000);
      expect(result.aborted).toBe(true);
      expect(result.sent).toBeGreaterThan(0);
      expect(result.abandoned).toBe(result.sent);
      expect(result.ok).toBe(0);
      expect(result.warnings.join('\n')).toMatch(/run aborted after .*abandoned/s);
    } finally {
      clearTimeout(timer);
    }
  });

  it('abandons operations still pending after the drain bound', async () => {
    const { operation } = fakeOperation(() => 'never');
    const result = await runOpenLoop(
      { rateOpsPerSecond: 100, durationMs: 100, warmupDurationMs: 0, drainTimeoutMs: 50 },
      operation,
      new RecorderSet(),
    );
    expect(result.abandoned).toBe(result.sent);
    expect(result.sent).toBe(10);
    expect(result.warnings.join('\n')).toMatch(/10 operations still pending 50 ms after the end were abandoned/);
  });

  it('counts errors and timeouts separately and records only successes', async () => {
    const { operation } = fakeOperation((sequence) =>
      sequence % 3 === 0 ? new Error('Command timed out') : sequence % 3 === 1 ? new Error('ECONNRESET') : 1,
    );
    const recorders = new RecorderSet();
    const result = await runOpenLoop(
      { rateOpsPerSecond: 1_000, durationMs: 10_000, warmupDurationMs: 0, maxOperations: 30, metricName: 'mixed' },
      operation,
      recorders,
    );
    expect(result).toMatchObject({ sent: 30, ok: 10, errors: 10, timeouts: 10, abandoned: 0 });
    expect(recorders.metric('mixed').total().totalCount).toBe(10);
    expect(recorders.metric('mixed.uncorrected').total().totalCount).toBe(10);
    expect(recorders.metric(allOutcomesMetricName('mixed')).total().totalCount).toBe(30);
  });

  it('records failures and timeouts at their time to failure in <metric>.all, and keeps them out of the success histograms', async () => {
    // Every 4th times out after 60 ms, every 4th (+1) fails after 5 ms, the rest succeed in 1 ms.
    const TIMEOUT_MS = 60;
    const { operation } = fakeOperation((sequence) =>
      sequence % 4 === 0
        ? { reject: new Error('Command timed out'), afterMs: TIMEOUT_MS }
        : sequence % 4 === 1
          ? { reject: new Error('ERR wrong number of arguments'), afterMs: 5 }
          : 1,
    );
    const recorders = new RecorderSet();
    const result = await runOpenLoop(
      { rateOpsPerSecond: 500, durationMs: 10_000, warmupDurationMs: 0, maxOperations: 40, metricName: 'flaky' },
      operation,
      recorders,
    );
    expect(result).toMatchObject({ sent: 40, ok: 20, errors: 10, timeouts: 10, abandoned: 0 });
    const success = recorders.metric('flaky').total();
    const all = recorders.metric(allOutcomesMetricName('flaky')).total();
    expect(success.totalCount).toBe(result.ok);
    expect(recorders.metric(uncorrectedMetricName('flaky')).total().totalCount).toBe(result.ok);
    expect(all.totalCount).toBe(result.ok + result.errors + result.timeouts);
    // The timeouts are the tail of every outcome, from the intended send: at least the timeout (with
    // slack: a Node timer may fire a little early against hrtime).
    expect(all.maxValue).toBeGreaterThanOrEqual((TIMEOUT_MS - 1) * MS);
    expect(all.getValueAtPercentile(80)).toBeGreaterThanOrEqual(0.95 * TIMEOUT_MS * MS);
    // The successes took ~1 ms each: no timeout reached their histogram.
    expect(success.maxValue).toBeLessThan(TIMEOUT_MS * MS);
  });

  it('leaves abandoned operations (no outcome by the drain bound) out of every histogram', async () => {
    const { operation } = fakeOperation((sequence) => (sequence % 2 === 0 ? 'never' : 1));
    const recorders = new RecorderSet();
    const result = await runOpenLoop(
      { rateOpsPerSecond: 100, durationMs: 100, warmupDurationMs: 0, drainTimeoutMs: 50, metricName: 'half' },
      operation,
      recorders,
    );
    expect(result).toMatchObject({ sent: 10, ok: 5, abandoned: 5, errors: 0, timeouts: 0 });
    expect(recorders.metric(allOutcomesMetricName('half')).total().totalCount).toBe(5);
  });

  it('switches rate between stages', async () => {
    const { operation, log } = fakeOperation(() => 0);
    const result = await runOpenLoop(
      {
        stages: [
          { rateOpsPerSecond: 200, durationMs: 250 },
          { rateOpsPerSecond: 1_000, durationMs: 250 },
        ],
        warmupDurationMs: 0,
      },
      operation,
      new RecorderSet(),
    );
    const firstMs = log.startedAtMs[0];
    const inFirstStage = log.startedAtMs.filter((t) => t - firstMs < 250).length;
    const inSecondStage = log.startedAtMs.length - inFirstStage;
    expect(inFirstStage).toBeGreaterThanOrEqual(40);
    expect(inFirstStage).toBeLessThanOrEqual(60);
    expect(inSecondStage).toBeGreaterThanOrEqual(225);
    expect(inSecondStage).toBeLessThanOrEqual(275);
    expect(result.targetRate).toBeCloseTo(600, 6);
  });

  it("returns the measured phase's generator load, the busy-wait before sends left out of its CPU share", async () => {
    const { operation } = fakeOperation(() => 1);
    // 1 ms apart, under the 2 ms spin window: the dispatcher busy-waits between every two sends.
    const result = await runOpenLoop(
      { rateOpsPerSecond: 1_000, durationMs: 400, warmupDurationMs: 0, metricName: 'spin' },
      operation,
      new RecorderSet(),
      undefined,
      { redisCpu: async () => 1 },
    );
    const load = result.generatorLoad;
    expect(load?.harnessCpuShare).toBeLessThan(0.6);
    expect(load?.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(0);
    // A Redis whose CPU did not move: its share is read, and it is 0.
    expect(load?.redisCpuShare).toBe(0);
  });

  it('rejects bad options naming each one', () => {
    const run = (): Promise<unknown> =>
      runOpenLoop(
        { rateOpsPerSecond: -5, durationMs: 0, maxInFlight: 1.5, metricName: '' },
        async () => undefined,
        new RecorderSet(),
      );
    return expect(run()).rejects.toSatisfy((error: unknown) => {
      const problems = (error as ConfigError).problems.join('\n');
      return (
        error instanceof ConfigError &&
        /rateOpsPerSecond/.test(problems) &&
        /durationMs/.test(problems) &&
        /maxInFlight/.test(problems) &&
        /metricName/.test(problems)
      );
    });
  });
});
