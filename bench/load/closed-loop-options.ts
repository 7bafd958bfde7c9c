import { LoadOptionProblems } from './load-option-checks.ts';
import { withDefaults } from './with-defaults.ts';

export interface ClosedLoopOptions {
  /** Concurrent workers, each with one operation pending at a time. */
  readonly workers?: number;
  /** Pause after each operation, per worker. */
  readonly thinkTimeMs?: number;
  /** Measured phase: no operation starts after it. */
  readonly durationMs?: number;
  /** Same workers, same think time; its latencies never reach the recorders. */
  readonly warmupDurationMs?: number;
  /** Cap on measured operations, shared by all workers. */
  readonly maxOperations?: number;
  /** Latency (from the actual send) goes to `<metricName>`. */
  readonly metricName?: string;
  /** How long pending operations are awaited after the end before they are abandoned. */
  readonly drainTimeoutMs?: number;
}

/** Every setting filled in: what the loop and the worker threads take. Only resolveClosedLoopOptions makes one. */
export type ResolvedClosedLoopOptions = Required<ClosedLoopOptions>;

export const CLOSED_LOOP_DEFAULTS: ResolvedClosedLoopOptions = {
  workers: 1,
  thinkTimeMs: 0,
  durationMs: 10_000,
  warmupDurationMs: 1_000,
  maxOperations: Infinity,
  metricName: 'operation',
  drainTimeoutMs: 5_000,
};

/**
 * The boundary of the closed loop: fills every default once and checks every option (all problems
 * in one ConfigError). Code past it takes ResolvedClosedLoopOptions and never re-defaults.
 */
export function resolveClosedLoopOptions(options: ClosedLoopOptions): ResolvedClosedLoopOptions {
  const resolved = withDefaults(CLOSED_LOOP_DEFAULTS, options);
  const problems = new LoadOptionProblems();
  problems.positiveInteger('workers', resolved.workers);
  problems.nonNegative('thinkTimeMs', resolved.thinkTimeMs, 'milliseconds');
  problems.positive('durationMs', resolved.durationMs, 'milliseconds');
  problems.nonNegative('warmupDurationMs', resolved.warmupDurationMs, 'milliseconds');
  problems.positiveInteger('maxOperations', resolved.maxOperations, true);
  problems.metricName('metricName', resolved.metricName);
  problems.nonNegative('drainTimeoutMs', resolved.drainTimeoutMs, 'milliseconds');
  problems.throwIfAny('closed-loop');
  return resolved;
}
