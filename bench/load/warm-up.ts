import type { RecorderSet } from '../measure/recorder-set.ts';
import { drainPhase, LoadPhase } from './load-phase.ts';
import type { Wakeup } from './wakeup.ts';

/** What the warm-up of a loop needs: the loop's own settings and how to run one phase of it. */
export interface WarmupPlan {
  readonly warmupDurationMs: number;
  readonly drainTimeoutMs: number;
  /** The loop's settlement wakeup: the warm-up phase notifies it, its drain waits on it. */
  readonly wakeup: Wakeup;
  /** Runs the loop for durationMs into `phase`, with no latency sink and no operation cap. */
  readonly run: (phase: LoadPhase, durationMs: number) => Promise<unknown>;
}

/**
 * The warm-up rule of both loops (open and closed): the load runs for warmupDurationMs into a
 * phase of its own whose latencies go nowhere, its stragglers are drained, and then
 * recorders.resetAll() drops whatever it left in the set, so it never reaches the histograms.
 * A zero duration skips it.
 */
export async function runWarmup(
  plan: WarmupPlan,
  recorders: RecorderSet,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (plan.warmupDurationMs <= 0) return;
  const warmup = new LoadPhase(plan.wakeup);
  await plan.run(warmup, plan.warmupDurationMs);
  await drainPhase(warmup, plan.wakeup, plan.drainTimeoutMs, undefined, signal);
  recorders.resetAll();
}
