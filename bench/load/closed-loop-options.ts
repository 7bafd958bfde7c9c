import { LoadOptionProblems } from './load-option-checks.ts';

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

export const CLOSED_LOOP_DEFAULTS = {
  workers: 1,
  thinkTimeMs: 0,
  durationMs: 10_000,
  warmupDurationMs: 1_000,
  maxOperations: Infinity,
  metricName: 'operation',
  drainTimeoutMs: 5_000,
} as const;

export type ResolvedClosedLoopOptions = {
  readonly [K in keyof ClosedLoopOptions]-?: NonNullable<ClosedLoopOptions[K]>;
};

export function resolveClosedLoopOptions(options: ClosedLoopOptions): ResolvedClosedLoopOptions {
  const resolved: ResolvedClosedLoopOptions = {
    workers: options.workers ?? CLOSED_LOOP_DEFAULTS.workers,
    thinkTimeMs: options.thinkTimeMs ?? CLOSED_LOOP_DEFAULTS.thinkTimeMs,
    durationMs: options.durationMs ?? CLOSED_LOOP_DEFAULTS.durationMs,
    warmupDurationMs: options.warmupDurationMs ?? CLOSED_LOOP_DEFAULTS.warmupDurationMs,
    maxOperations: options.maxOperations ?? CLOSED_LOOP_DEFAULTS.maxOperations,
    metricName: options.metricName ?? CLOSED_LOOP_DEFAULTS.metricName,
    drainTimeoutMs: options.drainTimeoutMs ?? CLOSED_LOOP_DEFAULTS.drainTimeoutMs,
  };
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
