import { nowNs } from '../measure/clock.ts';
import type { MetricRecorder } from '../measure/metric-recorder.ts';
import { DEFAULT_TICK_INTERVAL_MS } from '../measure/recorder-set.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import { drainPhase, LoadPhase } from './load-phase.ts';
import { startOperation } from './load-operation.ts';
import type { LoadOperation } from './load-operation.ts';
import { abandonedWarning, abortedWarning, fellBehindWarning, sendLagWarning, unsentWarning } from './load-result.ts';
import type { LoadResult } from './load-result.ts';
import { resolveOpenLoopOptions } from './open-loop-options.ts';
import type { OpenLoopOptions, ResolvedOpenLoopOptions } from './open-loop-options.ts';
import { waitUntilNs } from './precise-wait.ts';
import { RateSchedule } from './rate-schedule.ts';
import { Wakeup } from './wakeup.ts';

/** The metric holding latency from the ACTUAL send, beside the corrected `<metricName>`. */
export function uncorrectedMetricName(metricName: string): string {
  return `${metricName}.uncorrected`;
}

interface LatencySink {
  /** Completion minus intended send time: coordinated omission corrected, as wrk2. */
  readonly corrected: MetricRecorder;
  /** Completion minus actual send time: what a closed-loop tool would report. */
  readonly uncorrected: MetricRecorder;
}

interface PhasePlan {
  readonly schedule: RateSchedule;
  readonly durationMs: number;
  readonly maxOperations: number;
  readonly phase: LoadPhase;
  /** Absent in the warm-up: its latencies go nowhere. */
  readonly sink?: LatencySink;
  readonly recorders?: RecorderSet;
}

interface DispatchOutcome {
  /** Sending window the achieved rate is computed over. */
  readonly windowNs: number;
  readonly maxSendLagNs: number;
}

/** One run's dispatcher; the in-flight count spans phases, since warm-up stragglers still hold connections. */
class OpenLoopDispatcher {
  readonly wakeup = new Wakeup();
  private inFlight = 0;
  private sequence = 0;
  private readonly spinWindowNs: number;

  constructor(
    private readonly options: ResolvedOpenLoopOptions,
    private readonly operation: LoadOperation,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.spinWindowNs = options.spinWindowMs * 1e6;
  }

  /**
   * Sends op i at start + its scheduled offset, whatever happened to the earlier ones (wrk2's
   * scheduling); when late it sends back to back until it has caught up. Every op due before the
   * end is sent, unless the in-flight bound is still full at the end.
   */
  async dispatch(plan: PhasePlan): Promise<DispatchOutcome> {
    const { schedule, phase, sink, recorders } = plan;
    const startNs = nowNs();
    const endOffsetNs = plan.durationMs * 1e6;
    const endNs = startNs + BigInt(Math.round(endOffsetNs));
    let maxSendLagNs = 0;
    let capped = false;
    let completed = false;
    let lastSentNs = startNs;
    for (let op = 0; this.signal?.aborted !== true; op++) {
      if (op >= plan.maxOperations) {
        capped = true;
        break;
      }
      const offsetNs = schedule.intendedOffsetNs(op);
      if (offsetNs >= endOffsetNs) {
        await waitUntilNs(endNs, this.spinWindowNs, this.signal);
        // An abort during the final wait is not a completed schedule.
        completed = !isAborted(this.signal);
        break;
      }
      const intendedNs = startNs + BigInt(Math.round(offsetNs));
      await waitUntilNs(intendedNs, this.spinWindowNs, this.signal);
      if (!(await this.slotFree(endNs, recorders))) break;
      const sentNs = nowNs();
      lastSentNs = sentNs;
      const lagNs = Number(sentNs - intendedNs);
      if (lagNs > maxSendLagNs) maxSendLagNs = lagNs;
      this.send(phase, sink, intendedNs, sentNs);
      // Cut between sends, never inside an operation's timing.
      recorders?.cutIfDue();
    }
    const elapsed = Number(nowNs() - startNs);
    // A capped run ends when the schedule would have sent the next op, so the rate is not inflated by one.
    // A completed schedule counts its planned duration (or its last, late send), not the final
    // wait's timer overshoot, which on a short window read as "fell behind" when nothing did.
    const windowNs = capped
      ? Math.max(elapsed, schedule.intendedOffsetNs(phase.sent))
      : completed
        ? Math.max(endOffsetNs, Number(lastSentNs - startNs))
        : elapsed;
    return { windowNs, maxSendLagNs };
  }

  /** Waits while the in-flight bound is full; false if the run ended or was aborted meanwhile. */
  private async slotFree(endNs: bigint, recorders: RecorderSet | undefined): Promise<boolean> {
    while (this.inFlight >= this.options.maxInFlight) {
      if (this.signal?.aborted === true) return false;
      const remainingMs = Number(endNs - nowNs()) / 1e6;
      if (remainingMs <= 0) return false;
      recorders?.cutIfDue();
      await this.wakeup.wait(Math.min(remainingMs, DEFAULT_TICK_INTERVAL_MS), this.signal);
    }
    return this.signal?.aborted !== true;
  }

  private send(phase: LoadPhase, sink: LatencySink | undefined, intendedNs: bigint, sentNs: bigint): void {
    phase.started();
    this.inFlight++;
    startOperation(this.operation, this.sequence++).then(
      () => {
        const doneNs = nowNs();
        this.inFlight--;
        if (phase.succeeded() && sink !== undefined) {
          sink.corrected.recordNs(Number(doneNs - intendedNs));
          sink.uncorrected.recordNs(Number(doneNs - sentNs));
        }
      },
      (error: unknown) => {
        this.inFlight--;
        phase.failed(error);
      },
    );
  }
}

/**
 * Open-loop load: operations arrive at the scheduled rate whether or not earlier ones finished,
 * with at most maxInFlight pending. Latencies of successful operations are recorded twice, in ns:
 * `<metricName>` from the intended send time (corrected) and `<metricName>.uncorrected` from the
 * actual one. Failures are counted (timeouts apart), not recorded. The warm-up runs at the first
 * stage's rate, is drained, and then recorders.resetAll() drops whatever it left in the set.
 * The caller closes the last, partial interval (markTrial or cutAll).
 */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

export async function runOpenLoop(
  options: OpenLoopOptions,
  operation: LoadOperation,
  recorders: RecorderSet,
  signal?: AbortSignal,
): Promise<LoadResult> {
  const resolved = resolveOpenLoopOptions(options);
  const dispatcher = new OpenLoopDispatcher(resolved, operation, signal);
  if (resolved.warmupDurationMs > 0) {
    const warmup = new LoadPhase(dispatcher.wakeup);
    const warmupRate = resolved.stages[0].rateOpsPerSecond;
    await dispatcher.dispatch({
      schedule: new RateSchedule([{ rateOpsPerSecond: warmupRate, durationMs: resolved.warmupDurationMs }]),
      durationMs: resolved.warmupDurationMs,
      maxOperations: Infinity,
      phase: warmup,
    });
    await drainPhase(warmup, dispatcher.wakeup, resolved.drainTimeoutMs, undefined, signal);
    recorders.resetAll();
  }
  const sink: LatencySink = {
    corrected: recorders.metric(resolved.metricName),
    uncorrected: recorders.metric(uncorrectedMetricName(resolved.metricName)),
  };
  const schedule = new RateSchedule(resolved.stages);
  const phase = new LoadPhase(dispatcher.wakeup);
  const outcome = await dispatcher.dispatch({
    schedule,
    durationMs: resolved.durationMs,
    maxOperations: resolved.maxOperations,
    phase,
    sink,
    recorders,
  });
  await drainPhase(phase, dispatcher.wakeup, resolved.drainTimeoutMs, recorders, signal);
  return openLoopResult(resolved, schedule, phase, outcome, signal?.aborted === true);
}

function openLoopResult(
  options: ResolvedOpenLoopOptions,
  schedule: RateSchedule,
  phase: LoadPhase,
  outcome: DispatchOutcome,
  aborted: boolean,
): LoadResult {
  const durationMs = outcome.windowNs / 1e6;
  const achievedRate = outcome.windowNs > 0 ? (phase.sent * 1e9) / outcome.windowNs : 0;
  const targetRate = schedule.meanRateOpsPerSecond(Math.min(outcome.windowNs, options.durationMs * 1e6));
  const due = Math.min(
    schedule.countBefore(Math.min(outcome.windowNs, options.durationMs * 1e6)),
    options.maxOperations,
  );
  const unsent = Math.max(0, due - phase.sent);
  const maxSendLagMs = outcome.maxSendLagNs / 1e6;
  const warnings: string[] = [];
  if (aborted) warnings.push(abortedWarning(durationMs));
  if (achievedRate < targetRate * (1 - options.behindToleranceFraction)) {
    warnings.push(fellBehindWarning(achievedRate, targetRate, maxSendLagMs));
  } else if (maxSendLagMs > options.sendLagWarningMs) {
    warnings.push(sendLagWarning(maxSendLagMs, options.maxInFlight));
  }
  if (unsent > 0) warnings.push(unsentWarning(unsent, options.maxInFlight));
  if (phase.abandoned > 0) warnings.push(abandonedWarning(phase.abandoned, options.drainTimeoutMs, aborted));
  return {
    sent: phase.sent,
    ok: phase.ok,
    errors: phase.errors,
    timeouts: phase.timeouts,
    abandoned: phase.abandoned,
    unsent,
    targetRate,
    achievedRate,
    maxSendLagMs,
    durationMs,
    aborted,
    warnings,
  };
}
