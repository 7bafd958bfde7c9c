/**
 * Figures of one failover trial, from the log of every cache operation sent under open-loop load.
 * Times are nanoseconds from the trial's origin; the master was killed at `killNs`.
 */
import { NS_PER_MS, NS_PER_S } from '../../bench/core/units.ts';

export interface FailoverOp {
  readonly sendNs: number;
  readonly doneNs: number;
  readonly write: boolean;
  /** The key lived on the killed master (cluster: its slots; sentinel: every key). */
  readonly affected: boolean;
  readonly ok: boolean;
}

export interface FailoverTrialFigures {
  /**
   * Kill to the completion of the first successful write to an affected key sent after the last
   * failed one (so every later affected write succeeded). 0: no affected write failed.
   * null: affected writes were still failing at the end (not recovered).
   */
  readonly writeRecoveryMs: number | null;
  /** The same for reads. */
  readonly readRecoveryMs: number | null;
  /** Operations that completed after the kill and failed (errors and timeouts). */
  readonly failedWrites: number;
  readonly failedReads: number;
  /** Of the failures, those on keys the killed master did not hold (a cluster's other shards). */
  readonly failedUnaffected: number;
  /** Operations that completed after the kill. */
  readonly opsAfterKill: number;
  /** Failures before the kill: expected 0 (else the deployment was not healthy). */
  readonly failedBeforeKill: number;
  /** p99 latency (ms, from the actual send) of successful operations sent before the kill. */
  readonly steadyP99Ms: number | null;
  /** p99 latency of successful operations sent from the kill to the write recovery. */
  readonly duringP99Ms: number | null;
  /** Most latency of a successful operation sent from the kill to the write recovery. */
  readonly duringMaxMs: number | null;
}

export function recoveryMs(ops: readonly FailoverOp[], killNs: number, write: boolean): number | null {
  const relevant = ops.filter((op) => op.write === write && op.affected && op.doneNs >= killNs);
  let lastFailSendNs = -Infinity;
  for (const op of relevant) if (!op.ok && op.sendNs > lastFailSendNs) lastFailSendNs = op.sendNs;
  if (lastFailSendNs === -Infinity) return 0;
  let firstOkDoneNs = Infinity;
  for (const op of relevant)
    if (op.ok && op.sendNs > lastFailSendNs && op.doneNs < firstOkDoneNs) firstOkDoneNs = op.doneNs;
  return firstOkDoneNs === Infinity ? null : (firstOkDoneNs - killNs) / NS_PER_MS;
}

function percentileMs(latenciesNs: number[], p: number): number | null {
  if (latenciesNs.length === 0) return null;
  latenciesNs.sort((a, b) => a - b);
  // Nearest rank (the HDR convention): the smallest value with at least p% of values at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * latenciesNs.length));
  return latenciesNs[rank - 1] / NS_PER_MS;
}

export function failoverTrialFigures(ops: readonly FailoverOp[], killNs: number): FailoverTrialFigures {
  const writeRecoveryMs = recoveryMs(ops, killNs, true);
  const readRecoveryMs = recoveryMs(ops, killNs, false);
  const after = ops.filter((op) => op.doneNs >= killNs);
  const failedAfter = after.filter((op) => !op.ok);
  const steady = ops
    .filter((op) => op.ok && op.sendNs < killNs && op.doneNs < killNs)
    .map((op) => op.doneNs - op.sendNs);
  const recoveredNs = writeRecoveryMs === null ? Infinity : killNs + writeRecoveryMs * NS_PER_MS;
  const during = ops
    .filter((op) => op.ok && op.sendNs >= killNs && op.sendNs <= recoveredNs)
    .map((op) => op.doneNs - op.sendNs);
  return {
    writeRecoveryMs,
    readRecoveryMs,
    failedWrites: failedAfter.filter((op) => op.write).length,
    failedReads: failedAfter.filter((op) => !op.write).length,
    failedUnaffected: failedAfter.filter((op) => !op.affected).length,
    opsAfterKill: after.length,
    failedBeforeKill: ops.filter((op) => !op.ok && op.doneNs < killNs).length,
    steadyP99Ms: percentileMs(steady, 99),
    duringP99Ms: percentileMs(during, 99),
    duringMaxMs: during.length === 0 ? null : Math.max(...during) / NS_PER_MS,
  };
}

/** A trial's verdict figure and how it was reached. */
export interface TrialFigure {
  /** ms; NaN for a trial cut short (an interrupted run, or no kill): it counts as failed, not against the claim. */
  readonly ms: number;
  /** The writes had not recovered when the harness stopped waiting: `ms` is that wait, not a recovery. */
  readonly censored: boolean;
}

/**
 * The verdict figure of one trial, end to end: kill to write recovery, failure detection included.
 * A trial whose writes had not recovered when the harness stopped waiting (`gaveUpAfterMs` after the
 * kill, beyond the budget) counts with that wait, so it weighs against the claim instead of being
 * dropped; a trial cut short (the run interrupted before the watch ended) has no figure.
 */
export function trialFigure(writeRecoveryMs: number | null, gaveUpAfterMs: number, cutShort: boolean): TrialFigure {
  if (cutShort) return { ms: Number.NaN, censored: false };
  if (writeRecoveryMs === null) return { ms: gaveUpAfterMs, censored: true };
  return { ms: writeRecoveryMs, censored: false };
}

export interface FailoverTimeline {
  /** Second offsets from the kill (bucket start), e.g. -2, -1, 0, 1, ... */
  readonly second: number[];
  readonly ok: number[];
  readonly failed: number[];
}

/** Operations per second of send time, relative to the kill: what a dashboard would show. */
export function failoverTimeline(ops: readonly FailoverOp[], killNs: number): FailoverTimeline {
  if (ops.length === 0) return { second: [], ok: [], failed: [] };
  const bucket = (op: FailoverOp): number => Math.floor((op.sendNs - killNs) / NS_PER_S);
  let first = Infinity;
  let last = -Infinity;
  for (const op of ops) {
    const b = bucket(op);
    if (b < first) first = b;
    if (b > last) last = b;
  }
  const size = last - first + 1;
  const ok = new Array<number>(size).fill(0);
  const failed = new Array<number>(size).fill(0);
  for (const op of ops) (op.ok ? ok : failed)[bucket(op) - first] += 1;
  return { second: Array.from({ length: size }, (_, i) => first + i), ok, failed };
}

/** A duration in ms for progress lines and notes: 'never' when it did not happen. */
export function fmt(ms: number | null): string {
  return ms === null ? 'never' : ms.toFixed(0);
}
