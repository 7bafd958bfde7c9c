/** Pure figures of the anti-patterns' trials: what a read, a failure, an order or a publish counts as. */
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { percent } from '../../bench/run/scenario-kit.ts';

/** One read of a cached value: the version it returned and the one that was live when it returned. */
export interface VersionedRead {
  /** Version of the value the cache returned (the price tick, or 0 for data that never changes). */
  readonly servedVersion: number;
  /** Version the source held when the read completed. */
  readonly liveVersion: number;
  /** How long the served value had been superseded when the read completed (0 when it was live). */
  readonly staleForMs: number;
  /** The value itself differs from the live one (an immutable value can only differ if the cache is wrong). */
  readonly differs: boolean;
}

export interface StalenessFigures {
  readonly reads: number;
  readonly staleReads: number;
  /** Reads completed after the live version first moved past a version the cache served. */
  readonly readsAfterFirstMove: number;
  /** stale / readsAfterFirstMove in % (NaN when the value never moved). */
  readonly staleAfterMovePct: number;
  /** stale / reads in %. */
  readonly stalePct: number;
  readonly medianStaleAgeMs: number;
  readonly maxStaleAgeMs: number;
}

/** A read is stale when the value it returned is not the live one. */
export function isStale(read: VersionedRead): boolean {
  return read.servedVersion !== read.liveVersion || read.differs;
}

export function stalenessFigures(reads: readonly VersionedRead[]): StalenessFigures {
  const firstMove = reads.findIndex((r) => r.liveVersion > r.servedVersion || r.differs);
  const after = firstMove < 0 ? [] : reads.slice(firstMove);
  const stale = reads.filter(isStale);
  const ages = stale.map((r) => r.staleForMs);
  return {
    reads: reads.length,
    staleReads: stale.length,
    readsAfterFirstMove: after.length,
    staleAfterMovePct: percent(after.filter(isStale).length, after.length),
    stalePct: percent(stale.length, reads.length),
    medianStaleAgeMs: ages.length > 0 ? medianOf(ages) : Number.NaN,
    maxStaleAgeMs: ages.length > 0 ? Math.max(...ages) : Number.NaN,
  };
}

/** What a handler's log shows of a run of failed cache calls. */
export interface LogTrace {
  /** Calls that threw (counted outside the handler). */
  readonly failures: number;
  /** warn/error lines written. */
  readonly lines: number;
  /** Sum of the `suppressed` counts those lines carry (failures the rate limiter folded into a line). */
  readonly suppressed: number;
}

/**
 * Failures accounted for in the log, in % of failures: each line stands for one failure and its
 * `suppressed` count for that many more; never above 100. NaN when nothing failed (no trial).
 */
export function visibleFailuresPct(trace: LogTrace): number {
  if (trace.failures === 0) return Number.NaN;
  return percent(Math.min(trace.failures, trace.lines + trace.suppressed), trace.failures);
}

/** Orders sent on one path in one trial, and what became of them. */
export interface OrderOutcome {
  readonly sent: number;
  /** The sender got a confirmation naming the order (HTTP 201 with its id); pub/sub never confirms. */
  readonly confirmed: number;
  /** Orders of this trial found in the execution service's ledger afterwards. */
  readonly executed: number;
}

export function executedPct(outcome: OrderOutcome): number {
  return percent(outcome.executed, outcome.sent);
}

/** Orders both confirmed to the sender and executed, in % of those sent. */
export function confirmedAndExecutedPct(outcome: OrderOutcome): number {
  return percent(Math.min(outcome.confirmed, outcome.executed), outcome.sent);
}

/** One publish: what PUBLISH returned, how many subscribers listened, how many received the event. */
export interface PublishCheck {
  readonly returned: number | null;
  readonly listening: number;
  readonly received: number;
}

/** A publish is right when its reply equals the subscribers listening and each of them got the event. */
export function publishCountRightPct(checks: readonly PublishCheck[]): number {
  const right = checks.filter((c) => c.returned === c.listening && c.received === c.listening);
  return percent(right.length, checks.length);
}
