import { NS_PER_MS, NS_PER_S } from '../core/units.ts';
import { nowNs } from '../measure/clock.ts';
import { GeneratorLoadProbe } from '../measure/generator-load-probe.ts';
import type { GeneratorLoadProbeOptions } from '../measure/generator-load-probe.ts';
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
import { runWarmup } from './warm-up.ts';
import { Wakeup } from './wakeup.ts';

/** The metric holding latency from the ACTUAL send, beside the corrected `<metricName>`. */
export function uncorrectedMetricName(metricName: string): string {
  return `${metricName}.uncorrected`;
}

/**
 * The metric holding EVERY outcome (success, error reply, timeout, connection failure) at its time
 * from the intended send, beside the successes-only `<metricName>`: a run whose slow requests time
 * out must not look faster than one where they succeed slowly.
 */
export function allOutcomesMetricName(metricName: string): string {
  return `${metricName}.all`;
}

/** The metrics one open-loop run records, in the order reports list them. */
export function openLoopMetricNames(metricName: string): string[] {
  return [metricName, uncorrectedMetricName(metricName), allOutcomesMetricName(metricName)];
}

interface LatencySink {
  /** Completion minus intended send time, successes only: coordinated omission corrected, as wrk2. */
  readonly corrected: MetricRecorder;
  /** Completion minus actual send time, successes only: what a closed-loop tool would report. */
  readonly uncorrected: MetricRecorder;
  /** Success or failure minus intended send time: every outcome, corrected. */
  readonly all: MetricRecorder;
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
  /** Operations settled so far, and at the previous turn of the spin: a turn in which none settled was slack. */
  private settled = 0;
  private settledAtSpin = 0;
  /** The last dispatch's busy-wait in which nothing settled: CPU spent, not work (the generator load leaves it out). */
  idleSpinNs = 0;
  private readonly countSpin = (spinNs: number): void => {
    if (this.settled === this.settledAtSpin) this.idleSpinNs += spinNs;
    this.settledAtSpin = this.settled;
  };

  constructor(
    private readonly options: ResolvedOpenLoopOptions,
    private readonly operation: LoadOperation,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.spinWindowNs = options.spinWindowMs * NS_PER_MS;
  }

  /**
   * Sends op i at start + its scheduled offset, whatever happened to the earlier ones (wrk2's
   * scheduling); when late it sends back to back until it has caught up. Every op due before the
   * end is sent, unless the in-flight bound is still full at the end.
   */
  async dispatch(plan: PhasePlan): Promise<DispatchOutcome> {
    const { schedule, phase, sink, recorders } = plan;
    this.idleSpinNs = 0;
    const startNs = nowNs();
    const endOffsetNs = plan.durationMs * NS_PER_MS;
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
        await waitUntilNs(endNs, this.spinWindowNs, this.signal, this.countSpin);
        // An abort during the final wait is not a completed schedule.
        completed = !isAborted(this.signal);
        break;
      }
      const intendedNs = startNs + BigInt(Math.round(offsetNs));
      await waitUntilNs(intendedNs, this.spinWindowNs, this.signal, this.countSpin);
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
      const remainingMs = Number(endNs - nowNs()) / NS_PER_MS;
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
        this.settled++;
        if (phase.succeeded() && sink !== undefined) {
          const correctedNs = Number(doneNs - intendedNs);
          sink.corrected.recordNs(correctedNs);
          sink.all.recordNs(correctedNs);
          sink.uncorrected.recordNs(Number(doneNs - sentNs));
        }
      },
      (error: unknown) => {
        const doneNs = nowNs();
        this.inFlight--;
        this.settled++;
        if (phase.failed(error) && sink !== undefined) sink.all.recordNs(Number(doneNs - intendedNs));
      },
    );
  }
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * Open-loop load: operations arrive at the scheduled rate whether or not earlier ones finished,
 * with at most maxInFlight pending. Latencies of successful operations are recorded twice, in ns:
 * `<metricName>` from the intended send time (corrected) and `<metricName>.uncorrected` from the
 * actual one. `<metricName>.all` records every outcome, failures and timeouts (counted apart) at
 * their time to failure, from the intended send; operations abandoned at the drain bound have no
 * outcome and are in none (the result counts them). The warm-up runs at the first
 * stage's rate (runWarmup: drained, then the recorders reset). The caller closes the last,
 * partial interval (markTrial or cutAll). The result's generatorLoad is the measured phase's
 * (sends and drain; the warm-up apart), with Redis's CPU when `probe.redisCpu` is given.
 */
export async function runOpenLoop(
  options: OpenLoopOptions,
  operation: LoadOperation,
  recorders: RecorderSet,
  signal?: AbortSignal,
  probe?: GeneratorLoadProbeOptions,
): Promise<LoadResult> {
  return runResolvedOpenLoop(resolveOpenLoopOptions(options), operation, recorders, signal, probe);
}

/** runOpenLoop past the boundary: the options are already resolved (the shard split, a worker thread). */
export async function runResolvedOpenLoop(
  options: ResolvedOpenLoopOptions,
  operation: LoadOperation,
  recorders: RecorderSet,
  signal?: AbortSignal,
  probe?: GeneratorLoadProbeOptions,
): Promise<LoadResult> {
  const dispatcher = new OpenLoopDispatcher(options, operation, signal);
  const warmupRate = options.stages[0].rateOpsPerSecond;
  await runWarmup(
    {
      warmupDurationMs: options.warmupDurationMs,
      drainTimeoutMs: options.drainTimeoutMs,
      wakeup: dispatcher.wakeup,
      run: (phase, durationMs) =>
        dispatcher.dispatch({
          schedule: new RateSchedule([{ rateOpsPerSecond: warmupRate, durationMs }]),
          durationMs,
          maxOperations: Infinity,
          phase,
        }),
    },
    recorders,
    signal,
  );
  const sink: LatencySink = {
    corrected: recorders.metric(options.metricName),
    uncorrected: recorders.metric(uncorrectedMetricName(options.metricName)),
    all: recorders.metric(allOutcomesMetricName(options.metricName)),
  };
  const schedule = new RateSchedule(options.stages);
  const phase = new LoadPhase(dispatcher.wakeup);
  const generator = await GeneratorLoadProbe.start(probe);
  try {
    const outcome = await dispatcher.dispatch({
      schedule,
      durationMs: options.durationMs,
      maxOperations: options.maxOperations,
      phase,
      sink,
      recorders,
    });
    await drainPhase(phase, dispatcher.wakeup, options.drainTimeoutMs, recorders, signal);
    const generatorLoad = await generator.stop(dispatcher.idleSpinNs);
    return { ...openLoopResult(options, schedule, phase, outcome, isAborted(signal)), generatorLoad };
  } finally {
    generator.dispose();
  }
}

function openLoopResult(
  options: ResolvedOpenLoopOptions,
  schedule: RateSchedule,
  phase: LoadPhase,
  outcome: DispatchOutcome,
  aborted: boolean,
): LoadResult {
  const durationMs = outcome.windowNs / NS_PER_MS;
  const achievedRate = outcome.windowNs > 0 ? (phase.sent * NS_PER_S) / outcome.windowNs : 0;
  const plannedNs = Math.min(outcome.windowNs, options.durationMs * NS_PER_MS);
  const targetRate = schedule.meanRateOpsPerSecond(plannedNs);
  const due = Math.min(schedule.countBefore(plannedNs), options.maxOperations);
  const unsent = Math.max(0, due - phase.sent);
  const maxSendLagMs = outcome.maxSendLagNs / NS_PER_MS;
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
