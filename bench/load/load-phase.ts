import { NS_PER_MS } from '../core/units.ts';
import { nowNs } from '../measure/clock.ts';
import { DEFAULT_TICK_INTERVAL_MS } from '../measure/recorder-set.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import { classifyFailure } from './load-operation.ts';
import type { Wakeup } from './wakeup.ts';

/**
 * Counters of one phase (warm-up or measurement). Once closed, late settlements change nothing:
 * an operation abandoned at the end of a run must not land in figures already returned.
 */
export class LoadPhase {
  sent = 0;
  ok = 0;
  errors = 0;
  timeouts = 0;
  pending = 0;
  abandoned = 0;
  private isClosed = false;

  constructor(private readonly wakeup: Wakeup) {}

  get closed(): boolean {
    return this.isClosed;
  }

  started(): void {
    this.sent++;
    this.pending++;
  }

  /** Counts a success; true when the caller should record its latency. */
  succeeded(): boolean {
    this.pending--;
    this.wakeup.notify();
    if (this.isClosed) return false;
    this.ok++;
    return true;
  }

  /** Counts a failure (timeouts apart); true when the caller should record its time to failure. */
  failed(error: unknown): boolean {
    this.pending--;
    this.wakeup.notify();
    if (this.isClosed) return false;
    if (classifyFailure(error) === 'timeout') this.timeouts++;
    else this.errors++;
    return true;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.abandoned = this.pending;
  }
}

/**
 * Awaits the phase's pending operations up to timeoutMs, then closes it (the rest are abandoned).
 * An abort abandons them at once: whoever aborted wants out now. Intervals keep being cut while
 * it waits, between settlements, never inside an operation.
 */
export async function drainPhase(
  phase: LoadPhase,
  wakeup: Wakeup,
  timeoutMs: number,
  recorders: RecorderSet | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadlineNs = nowNs() + BigInt(Math.round(timeoutMs * NS_PER_MS));
  while (phase.pending > 0 && signal?.aborted !== true) {
    const remainingMs = Number(deadlineNs - nowNs()) / NS_PER_MS;
    if (remainingMs <= 0) break;
    recorders?.cutIfDue();
    await wakeup.wait(Math.min(remainingMs, DEFAULT_TICK_INTERVAL_MS), signal);
  }
  phase.close();
}
