import { NS_PER_MS, NS_PER_S } from '../core/units.ts';
import { nowNs } from '../measure/clock.ts';
import { GeneratorLoadProbe } from '../measure/generator-load-probe.ts';
import type { GeneratorLoadProbeOptions } from '../measure/generator-load-probe.ts';
import type { MetricRecorder } from '../measure/metric-recorder.ts';
import { DEFAULT_TICK_INTERVAL_MS } from '../measure/recorder-set.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import { resolveClosedLoopOptions } from './closed-loop-options.ts';
import type { ClosedLoopOptions, ResolvedClosedLoopOptions } from './closed-loop-options.ts';
import { drainPhase, LoadPhase } from './load-phase.ts';
import { startOperation } from './load-operation.ts';
import type { LoadOperation } from './load-operation.ts';
import { abandonedWarning, abortedWarning } from './load-result.ts';
import type { LoadResult } from './load-result.ts';
import { sleepMs } from './precise-wait.ts';
import { runWarmup } from './warm-up.ts';
import { Wakeup } from './wakeup.ts';

interface PhasePlan {
  readonly durationMs: number;
  readonly maxOperations: number;
  readonly phase: LoadPhase;
  /** Absent in the warm-up: its latencies go nowhere. */
  readonly metric?: MetricRecorder;
  readonly recorders?: RecorderSet;
}

class ClosedLoopWorkers {
  /** Settlements (LoadPhase notifies it on each): what drainPhase waits on. */
  readonly wakeup = new Wakeup();
  /**
   * The run loop's own: woken when every worker has stopped, not on each settlement. Waiting on
   * `wakeup` there would re-arm a timer and an abort listener per operation, a cost the
   * generator would pay at every command.
   */
  private readonly stopped = new Wakeup();
  private sequence = 0;

  constructor(
    private readonly options: ResolvedClosedLoopOptions,
    private readonly operation: LoadOperation,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Runs the workers until the phase's end, its cap or an abort; returns the sending window in ns. */
  async run(plan: PhasePlan): Promise<number> {
    const startNs = nowNs();
    const endNs = startNs + BigInt(Math.round(plan.durationMs * NS_PER_MS));
    let allStopped = false;
    void Promise.all(Array.from({ length: this.options.workers }, () => this.worker(plan, endNs))).then(() => {
      allStopped = true;
      this.stopped.notify();
    });
    while (!allStopped && this.signal?.aborted !== true) {
      const remainingMs = Number(endNs - nowNs()) / NS_PER_MS;
      if (remainingMs <= 0) break;
      // Workers stuck in a stall cut nothing; this loop runs between operations' callbacks, never inside one.
      plan.recorders?.cutIfDue();
      await this.stopped.wait(Math.min(remainingMs, DEFAULT_TICK_INTERVAL_MS), this.signal);
    }
    return Number(nowNs() - startNs);
  }

  /**
   * One worker: send, await, record, think, again. A closed loop has no intended send time, so
   * there is nothing to correct: latency is measured from the actual send, and a stalled server
   * simply slows the arrival rate (the coordinated omission the open loop exists to avoid).
   */
  private async worker(plan: PhasePlan, endNs: bigint): Promise<void> {
    const { phase, metric, recorders } = plan;
    const { thinkTimeMs } = this.options;
    while (this.signal?.aborted !== true && !phase.closed && phase.sent < plan.maxOperations) {
      // One clock read serves the end check and the send time.
      const sentNs = nowNs();
      if (sentNs >= endNs) break;
      phase.started();
      try {
        await startOperation(this.operation, this.sequence++);
        const doneNs = nowNs();
        if (phase.succeeded() && metric !== undefined) metric.recordNs(Number(doneNs - sentNs));
      } catch (error) {
        phase.failed(error);
        // An operation that fails at once (a closed connection, no offline queue) settles in a
        // microtask: without a turn of the event loop here, the workers would spin on failures
        // and no timer, socket or abort would run until the run's end.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      recorders?.cutIfDue();
      if (thinkTimeMs > 0) {
        const remainingMs = Number(endNs - nowNs()) / NS_PER_MS;
        if (remainingMs > 0) await sleepMs(Math.min(thinkTimeMs, remainingMs), this.signal);
      }
    }
  }
}

/**
 * Closed-loop load: `workers` concurrent loops of operation -> record -> think time. Latencies of
 * successful operations go to `<metricName>` in ns, from the actual send (not corrected; see the
 * worker). Failures are counted, timeouts apart. The warm-up runs the same loop (runWarmup:
 * drained, then the recorders reset). The caller closes the last, partial interval. The result's
 * generatorLoad is the measured phase's (the warm-up apart), with Redis's CPU when
 * `probe.redisCpu` is given.
 */
export async function runClosedLoop(
  options: ClosedLoopOptions,
  operation: LoadOperation,
  recorders: RecorderSet,
  signal?: AbortSignal,
  probe?: GeneratorLoadProbeOptions,
): Promise<LoadResult> {
  return runResolvedClosedLoop(resolveClosedLoopOptions(options), operation, recorders, signal, probe);
}

/** runClosedLoop past the boundary: the options are already resolved (the shard split, a worker thread). */
export async function runResolvedClosedLoop(
  options: ResolvedClosedLoopOptions,
  operation: LoadOperation,
  recorders: RecorderSet,
  signal?: AbortSignal,
  probe?: GeneratorLoadProbeOptions,
): Promise<LoadResult> {
  const workers = new ClosedLoopWorkers(options, operation, signal);
  await runWarmup(
    {
      warmupDurationMs: options.warmupDurationMs,
      drainTimeoutMs: options.drainTimeoutMs,
      wakeup: workers.wakeup,
      run: (phase, durationMs) => workers.run({ durationMs, maxOperations: Infinity, phase }),
    },
    recorders,
    signal,
  );
  const metric = recorders.metric(options.metricName);
  const phase = new LoadPhase(workers.wakeup);
  const generator = await GeneratorLoadProbe.start(probe);
  try {
    const windowNs = await workers.run({
      durationMs: options.durationMs,
      maxOperations: options.maxOperations,
      phase,
      metric,
      recorders,
    });
    await drainPhase(phase, workers.wakeup, options.drainTimeoutMs, recorders, signal);
    return { ...closedLoopResult(options, phase, windowNs, signal), generatorLoad: await generator.stop() };
  } finally {
    generator.dispose();
  }
}

function closedLoopResult(
  options: ResolvedClosedLoopOptions,
  phase: LoadPhase,
  windowNs: number,
  signal: AbortSignal | undefined,
): LoadResult {
  const aborted = signal?.aborted === true;
  const durationMs = windowNs / NS_PER_MS;
  const warnings: string[] = [];
  if (aborted) warnings.push(abortedWarning(durationMs));
  if (phase.abandoned > 0) warnings.push(abandonedWarning(phase.abandoned, options.drainTimeoutMs, aborted));
  return {
    sent: phase.sent,
    ok: phase.ok,
    errors: phase.errors,
    timeouts: phase.timeouts,
    abandoned: phase.abandoned,
    unsent: 0,
    targetRate: null,
    achievedRate: windowNs > 0 ? (phase.sent * NS_PER_S) / windowNs : 0,
    maxSendLagMs: null,
    durationMs,
    aborted,
    warnings,
  };
}
