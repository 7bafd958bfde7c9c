import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import { runClosedLoop } from './closed-loop.ts';
import { fakeOperation } from './fake-operation.fixture.ts';

describe('runClosedLoop', () => {
  it('keeps exactly `workers` operations pending and records each success once', async () => {
    const { operation, log } = fakeOperation(() => 5);
    const recorders = new RecorderSet();
    const result = await runClosedLoop(
      { workers: 3, durationMs: 200, warmupDurationMs: 0, metricName: 'c' },
      operation,
      recorders,
    );
    expect(log.maxInFlight).toBe(3);
    expect(result.sent).toBeGreaterThan(3);
    expect(result.ok).toBe(result.sent);
    expect(result).toMatchObject({ targetRate: null, maxSendLagMs: null, unsent: 0, abandoned: 0, aborted: false });
    expect(recorders.metric('c').total().totalCount).toBe(result.ok);
    expect(recorders.names()).toEqual(['c']);
  });

  it('think time slows each worker down', async () => {
    const { operation } = fakeOperation(() => 0);
    const result = await runClosedLoop(
      { workers: 2, thinkTimeMs: 50, durationMs: 300, warmupDurationMs: 0 },
      operation,
      new RecorderSet(),
    );
    // Each worker sends at most once per 50 ms: 2 x (300 / 50 + 1).
    expect(result.sent).toBeLessThanOrEqual(14);
    expect(result.sent).toBeGreaterThanOrEqual(4);
  });

  it('keeps warm-up latencies out of the recorders', async () => {
    const recorders = new RecorderSet();
    let calls = 0;
    const { operation } = fakeOperation(() => 1);
    const result = await runClosedLoop(
      { workers: 2, durationMs: 100, warmupDurationMs: 100, metricName: 'w' },
      async (sequence) => {
        calls++;
        recorders.metric('side').recordNs(1);
        return operation(sequence);
      },
      recorders,
    );
    expect(calls).toBeGreaterThan(result.sent);
    expect(recorders.metric('w').total().totalCount).toBe(result.ok);
    expect(recorders.metric('side').total().totalCount).toBe(result.sent);
  });

  it('stops at maxOperations', async () => {
    const { operation } = fakeOperation(() => 0);
    const result = await runClosedLoop(
      { workers: 4, durationMs: 60_000, warmupDurationMs: 0, maxOperations: 25 },
      operation,
      new RecorderSet(),
    );
    expect(result.sent).toBe(25);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('counts errors and timeouts separately', async () => {
    const { operation } = fakeOperation((sequence) =>
      sequence % 3 === 0
        ? Object.assign(new Error('slow'), { name: 'TimeoutError' })
        : sequence % 3 === 1
          ? new Error('NOAUTH')
          : 0,
    );
    const recorders = new RecorderSet();
    const result = await runClosedLoop(
      { workers: 1, durationMs: 60_000, warmupDurationMs: 0, maxOperations: 9, metricName: 'm' },
      operation,
      recorders,
    );
    expect(result).toMatchObject({ sent: 9, ok: 3, errors: 3, timeouts: 3 });
    expect(recorders.metric('m').total().totalCount).toBe(3);
  });

  it('stops promptly on abort, abandoning what hangs', async () => {
    const { operation } = fakeOperation(() => 'never');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 50);
    const startedMs = performance.now();
    try {
      const result = await runClosedLoop(
        { workers: 2, durationMs: 60_000, warmupDurationMs: 0 },
        operation,
        new RecorderSet(),
        controller.signal,
      );
      expect(performance.now() - startedMs).toBeLessThan(3_000);
      expect(result).toMatchObject({ aborted: true, sent: 2, abandoned: 2, ok: 0 });
    } finally {
      clearTimeout(timer);
    }
  });

  it('operations that fail at once (a closed connection) do not starve timers or the abort', async () => {
    const controller = new AbortController();
    let timerRanAtMs: number | null = null;
    const started = Date.now();
    setTimeout(() => {
      timerRanAtMs = Date.now() - started;
      controller.abort();
    }, 100);
    const result = await runClosedLoop(
      { workers: 8, durationMs: 2_000, warmupDurationMs: 0 },
      () => Promise.reject(new Error('Connection is closed')),
      new RecorderSet(),
      controller.signal,
    );
    expect(timerRanAtMs).not.toBeNull();
    expect(timerRanAtMs as unknown as number).toBeLessThan(1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.aborted).toBe(true);
    expect(result.errors).toBeGreaterThan(0);
  });

  it('a loop whose operations block the thread is generator-limited; one that waits on its operations is not', async () => {
    const blocking = (): Promise<void> => {
      const until = performance.now() + 15;
      while (performance.now() < until) {
        // the generator's own work, 15 ms of it per operation
      }
      return new Promise((resolve) => setImmediate(resolve));
    };
    const busy = await runClosedLoop({ workers: 2, durationMs: 300, warmupDurationMs: 0 }, blocking, new RecorderSet());
    expect(busy.generatorLoad?.generatorLimited).toBe(true);
    expect(busy.generatorLoad?.eventLoopDelayP99Ms).toBeGreaterThan(5);
    const { operation } = fakeOperation(() => 20);
    const waiting = await runClosedLoop(
      { workers: 2, durationMs: 300, warmupDurationMs: 0 },
      operation,
      new RecorderSet(),
    );
    expect(waiting.generatorLoad?.harnessCpuShare).toBeLessThan(0.5);
    expect(waiting.generatorLoad?.redisCpuShare).toBeNull();
  });

  it('rejects bad options naming each one', async () => {
    const error = await runClosedLoop({ workers: 0, thinkTimeMs: -1 }, async () => undefined, new RecorderSet()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/workers[\s\S]*thinkTimeMs/);
  });
});
