import { sleepMs } from '../load/precise-wait.ts';
import { nowEpochMs } from '../measure/clock.ts';
import { registerCleanup as registerProcessCleanup } from '../core/cleanup-registry.ts';
import type { CleanupFn } from '../core/cleanup-registry.ts';

/** One fault: how to inject it and how to undo it. heal() must work after a partial inject too. */
export interface FaultAction {
  readonly label: string;
  inject(): Promise<void>;
  heal(): Promise<void>;
}

/** Epoch ms (the recorders' clock) of each step; null until it happened. */
export interface FaultTimes {
  readonly injectStartMs: number | null;
  readonly injectedMs: number | null;
  readonly healStartMs: number | null;
  readonly healedMs: number | null;
}

export interface FaultScheduleOptions {
  /** Where the pending heal is registered, so Ctrl-C (which runs the process cleanups) heals too. */
  readonly registerCleanup: (name: string, fn: CleanupFn) => () => void;
  readonly clock: () => number;
}

const DEFAULT_FAULT_SCHEDULE_OPTIONS: FaultScheduleOptions = {
  registerCleanup: registerProcessCleanup,
  clock: nowEpochMs,
};

/**
 * Injects a fault and guarantees its heal: explicitly with heal(), or on close() (call it in a
 * finally), or from the process cleanups on Ctrl-C. Each step runs at most once; heal() before
 * inject() is a no-op, and a heal that throws is reported once and not retried.
 */
export class FaultSchedule {
  private readonly options: FaultScheduleOptions;
  private times: {
    injectStartMs: number | null;
    injectedMs: number | null;
    healStartMs: number | null;
    healedMs: number | null;
  } = {
    injectStartMs: null,
    injectedMs: null,
    healStartMs: null,
    healedMs: null,
  };
  private healing: Promise<void> | undefined;
  private injecting: Promise<void> | undefined;
  private unregister: (() => void) | undefined;

  constructor(
    readonly fault: FaultAction,
    options: Partial<FaultScheduleOptions> = {},
  ) {
    this.options = { ...DEFAULT_FAULT_SCHEDULE_OPTIONS, ...options };
  }

  get state(): 'pending' | 'injected' | 'healed' {
    if (this.times.injectStartMs === null) return 'pending';
    return this.healing === undefined ? 'injected' : 'healed';
  }

  get timeline(): FaultTimes {
    return { ...this.times };
  }

  async inject(): Promise<void> {
    if (this.times.injectStartMs !== null) throw new Error(`fault ${this.fault.label} was already injected`);
    // Registered before the inject starts: a Ctrl-C halfway through an inject must still heal.
    this.unregister = this.options.registerCleanup(`heal fault: ${this.fault.label}`, () => this.heal());
    this.times.injectStartMs = this.options.clock();
    this.injecting = this.fault.inject();
    await this.injecting;
    this.times.injectedMs = this.options.clock();
  }

  /** Heals once; later calls wait for the same heal. */
  heal(): Promise<void> {
    if (this.times.injectStartMs === null) return Promise.resolve();
    this.healing ??= (async () => {
      // A heal racing an inject (a throw or Ctrl-C mid-inject) undoes what the inject finished.
      await this.injecting?.catch(() => undefined);
      this.times.healStartMs = this.options.clock();
      try {
        await this.fault.heal();
        this.times.healedMs = this.options.clock();
      } finally {
        this.unregister?.();
        this.unregister = undefined;
      }
    })();
    return this.healing;
  }

  /** For a finally: heals if the fault is still in place. */
  close(): Promise<void> {
    return this.heal();
  }
}

/** Resolves after ms, or at once when the signal aborts or ms <= 0 (never rejects): a schedule's wait. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return ms <= 0 ? Promise.resolve() : sleepMs(ms, signal);
}

export interface FaultPlan {
  /** From the call: inject after this many ms (0: at once); 'before' injects before `during` starts. */
  readonly injectAtMs: number | 'before';
  /** From the call: heal at this many ms (after the inject finished, if that was later). */
  readonly healAtMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs `during` (the load) with the fault injected at t1 and healed at t2. The fault is healed on
 * every path: normal end, `during` throwing mid-fault, an abort (the waits end at once), and Ctrl-C
 * (the process cleanups). The heal is awaited before this returns or rethrows.
 */
export async function runFaultSchedule<T>(
  fault: FaultAction,
  plan: FaultPlan,
  during: (schedule: FaultSchedule) => Promise<T>,
  options: Partial<FaultScheduleOptions> = {},
): Promise<{ readonly result: T; readonly times: FaultTimes }> {
  const schedule = new FaultSchedule(fault, options);
  const startMs = performance.now();
  // Ends the timeline's waits when `during` fails or this returns, so no timer outlives the call.
  const stop = new AbortController();
  const stopped = plan.signal === undefined ? stop.signal : AbortSignal.any([plan.signal, stop.signal]);
  const waitUntil = (offsetMs: number): Promise<void> =>
    sleepUnlessAborted(offsetMs - (performance.now() - startMs), stopped);
  try {
    if (plan.injectAtMs === 'before') await schedule.inject();
    const running = during(schedule);
    running.catch(() => stop.abort());
    const timeline = (async () => {
      if (plan.injectAtMs !== 'before') {
        await waitUntil(plan.injectAtMs);
        if (stopped.aborted) return;
        await schedule.inject();
      }
      await waitUntil(plan.healAtMs);
      await schedule.heal();
    })();
    const [result] = await Promise.all([running, timeline]);
    return { result, times: schedule.timeline };
  } finally {
    stop.abort();
    await schedule.close();
  }
}
