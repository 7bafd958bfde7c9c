/** One fault window of one client: the load, the fault schedule around it, and what the window leaves behind. */
import type { CacheHealthSnapshot } from '../../src/cache/cache-health.ts';
import type { ComputeFeatures } from '../../src/signals/signal-generator.ts';
import { MS_PER_S } from '../../bench/core/units.ts';
import { runFaultSchedule, sleepUnlessAborted } from '../../bench/faults/fault-schedule.ts';
import type { FaultAction, FaultTimes } from '../../bench/faults/fault-schedule.ts';
import type { OpenLoopOptions } from '../../bench/load/open-loop-options.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import { nowEpochMs, nowNs } from '../../bench/measure/clock.ts';
import type { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { ChaosFaultSpec, ChaosVariant } from './chaos-faults.ts';
import { chaosRequest, windowKeyPicker } from './chaos-request.ts';
import type { RequestLog } from './chaos-request.ts';
import { EventLog, openSystem, waitForReady } from './chaos-system.ts';
import type { SystemUnderTest } from './chaos-system.ts';
import type { ChaosClientParams, ChaosLoadParams, ChaosSample, ChaosWorkload, VariantRun } from './chaos-types.ts';

export interface VariantRunOptions {
  readonly fault: ChaosFaultSpec;
  readonly action: FaultAction;
  readonly variant: ChaosVariant;
  /** 0-based index of this window among the fault's windows for this client. */
  readonly trial: number;
  readonly sutUrl: string;
  readonly workload: ChaosWorkload;
  readonly load: ChaosLoadParams;
  readonly client: ChaosClientParams;
  readonly recorders: RecorderSet;
  readonly signal: AbortSignal;
}

/** What one window's load leaves behind: filled in while it runs, read once the fault schedule has ended. */
interface VariantState extends RequestLog {
  /** Epoch ms of the load's start (the recorders' clock); the event log's times count from it. */
  loadStartEpochMs: number;
  /** Feature computations (misses that ran Alpha158). */
  computes: number;
  readonly samples: ChaosSample[];
  system: SystemUnderTest | null;
  loadResult: LoadResult | null;
  health: CacheHealthSnapshot | null;
}

/**
 * One fault window of one client (one trial): a fresh system under test is opened, an open-loop load
 * of single-symbol signal requests runs for pre + fault + post, and the fault is injected at t1 and
 * healed at t2 (or injected before the service starts, for "absent"). Every request is logged with
 * its intended send time, outcome and cache tally; in-flight count and heap are sampled; the
 * system's log lines are kept in memory.
 */
export async function runChaosVariant(options: VariantRunOptions): Promise<VariantRun> {
  const { fault, load, signal } = options;
  const state: VariantState = {
    loadStartEpochMs: nowEpochMs(),
    computes: 0,
    records: [],
    samples: [],
    pending: new Set(),
    inFlight: 0,
    system: null,
    loadResult: null,
    health: null,
  };
  const log = new EventLog(() => state.loadStartEpochMs);
  let times: FaultTimes;
  try {
    ({ times } = await runFaultSchedule(
      options.action,
      {
        injectAtMs: fault.atStart ? 'before' : load.preMs,
        healAtMs: fault.atStart ? load.faultMs : load.preMs + load.faultMs,
        signal,
      },
      () => runVariantLoad(options, state, log),
    ));
  } catch (error) {
    // No settling on a failed window: the warnings still held back are written now, their timers stopped.
    state.system?.flushLog();
    throw error;
  } finally {
    state.system?.stop(log);
  }
  return settleVariant(options, state, log, times);
}

/** The fault schedule's `during`: opens the system under test and drives the open loop, sampling as it goes. */
async function runVariantLoad(options: VariantRunOptions, state: VariantState, log: EventLog): Promise<void> {
  const { fault, variant, workload, load, signal } = options;
  const counted: ComputeFeatures = (series, asOfDate) => {
    state.computes += 1;
    return workload.computeFeatures(series, asOfDate);
  };
  const system = openSystem(variant, options.sutUrl, workload, options.client, log, counted);
  state.system = system;
  if (!fault.atStart) await waitForReady(system.client, 5_000, signal);
  const startNs = nowNs();
  state.loadStartEpochMs = nowEpochMs();
  const pick = windowKeyPicker(workload, load.coldFraction, fault.id, options.trial);
  const sampler = setInterval(() => state.samples.push(sample(system, state)), load.sampleMs);
  try {
    state.loadResult = await runOpenLoop(
      openLoopOptions(load, `${fault.id}.${variant}`),
      chaosRequest(system, workload, load, pick, state, startNs),
      options.recorders,
      signal,
    );
  } finally {
    clearInterval(sampler);
    state.health = system.resilient?.health() ?? null;
  }
}

function openLoopOptions(load: ChaosLoadParams, metricName: string): OpenLoopOptions {
  return {
    rateOpsPerSecond: load.rateOpsPerSecond,
    durationMs: load.preMs + load.faultMs + load.postMs,
    warmupDurationMs: 0,
    maxInFlight: Math.ceil((load.rateOpsPerSecond * (load.requestCapMs + 1_000)) / MS_PER_S) + 100,
    metricName,
    drainTimeoutMs: load.requestCapMs + 1_000,
    sendLagWarningMs: 50,
  };
}

function sample(system: SystemUnderTest, state: VariantState): ChaosSample {
  const health = system.resilient?.health() ?? null;
  return {
    tMs: nowEpochMs() - state.loadStartEpochMs,
    inFlight: state.inFlight,
    heapMb: process.memoryUsage().heapUsed / 2 ** 20,
    breaker: health?.breakerState ?? null,
    connected: system.client.status === 'ready',
  };
}

/** After the schedule: the system's counters, a bounded wait for stragglers, fault times relative to the load. */
async function settleVariant(
  options: VariantRunOptions,
  state: VariantState,
  log: EventLog,
  times: FaultTimes,
): Promise<VariantRun> {
  const { system } = state;
  const connectionResets = system?.resilient?.stats().connectionResets ?? 0;
  const coalesced = system?.generator.coalescing() ?? { executed: 0, joined: 0 };
  const stillPendingAtEnd = state.pending.size;
  const failuresByKind = { ...system?.failures.byKind };
  const warnings = log.warnings;
  const giveUp = new AbortController();
  await Promise.race([Promise.allSettled([...state.pending]), sleepUnlessAborted(3_000, giveUp.signal)]);
  giveUp.abort();
  system?.flushLog();
  const rel = (epochMs: number | null): number | null => (epochMs === null ? null : epochMs - state.loadStartEpochMs);
  return {
    fault: options.fault,
    variant: options.variant,
    trial: options.trial,
    loadStartEpochMs: state.loadStartEpochMs,
    injectMs: rel(times.injectStartMs),
    healedMs: rel(times.healedMs),
    records: state.records,
    samples: state.samples,
    // Set whenever the schedule returned: the load is its `during`.
    load: state.loadResult as LoadResult,
    computes: state.computes,
    coalesced,
    events: log.events,
    warnings,
    failuresByKind,
    health: state.health,
    connectionResets,
    stillPendingAtEnd,
  };
}
