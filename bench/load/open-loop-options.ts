import type { RateStage } from './rate-schedule.ts';
import { LoadOptionProblems } from './load-option-checks.ts';

interface OpenLoopCommonOptions {
  /** Measured phase; with stages, defaults to their total, and the last stage's rate holds past them. */
  readonly durationMs?: number;
  /** Sent at the first stage's rate; its latencies never reach the recorders. */
  readonly warmupDurationMs?: number;
  /** Cap on measured operations. */
  readonly maxOperations?: number;
  /** Connections x pipeline depth: when this many are pending, sends wait (latency still counts from the intended time). */
  readonly maxInFlight?: number;
  /** Corrected latency goes to `<metricName>`, uncorrected to `<metricName>.uncorrected`. */
  readonly metricName?: string;
  /** How long pending operations are awaited after the end before they are abandoned. */
  readonly drainTimeoutMs?: number;
  /** The last stretch of each wait spent yielding with setImmediate rather than sleeping (see precise-wait.ts). */
  readonly spinWindowMs?: number;
  /** Achieved rate below target x (1 - this) is reported as falling behind. */
  readonly behindToleranceFraction?: number;
  /** A send lag above this is reported even when the rate was held on average. */
  readonly sendLagWarningMs?: number;
}

/** Exactly one of a constant rate or stepped stages. */
export type OpenLoopOptions = OpenLoopCommonOptions &
  (
    | { readonly rateOpsPerSecond: number; readonly stages?: never }
    | { readonly stages: readonly RateStage[]; readonly rateOpsPerSecond?: never }
  );

export const OPEN_LOOP_DEFAULTS = {
  /** With a constant rate; stepped runs default to the stages' total. */
  durationMs: 10_000,
  warmupDurationMs: 1_000,
  maxOperations: Infinity,
  maxInFlight: 64,
  metricName: 'operation',
  drainTimeoutMs: 5_000,
  spinWindowMs: 2,
  /** The bar: the target rate held within 1%. */
  behindToleranceFraction: 0.01,
  sendLagWarningMs: 100,
} as const;

export interface ResolvedOpenLoopOptions {
  readonly stages: readonly RateStage[];
  readonly durationMs: number;
  readonly warmupDurationMs: number;
  readonly maxOperations: number;
  readonly maxInFlight: number;
  readonly metricName: string;
  readonly drainTimeoutMs: number;
  readonly spinWindowMs: number;
  readonly behindToleranceFraction: number;
  readonly sendLagWarningMs: number;
}

export function resolveOpenLoopOptions(options: OpenLoopOptions): ResolvedOpenLoopOptions {
  const problems = new LoadOptionProblems();
  const hasRate = options.rateOpsPerSecond !== undefined;
  const hasStages = options.stages !== undefined;
  let stages: readonly RateStage[] = [];
  if (hasRate === hasStages) {
    problems.add('give exactly one of rateOpsPerSecond (constant rate) or stages (stepped rate)');
  } else if (hasRate) {
    problems.positive('rateOpsPerSecond', options.rateOpsPerSecond as number, 'operations per second');
    stages = [
      {
        rateOpsPerSecond: options.rateOpsPerSecond as number,
        durationMs: options.durationMs ?? OPEN_LOOP_DEFAULTS.durationMs,
      },
    ];
  } else {
    stages = options.stages as readonly RateStage[];
    if (stages.length === 0) problems.add('stages must hold at least one stage');
    stages.forEach((stage, i) => {
      problems.positive(`stages[${i}].rateOpsPerSecond`, stage.rateOpsPerSecond, 'operations per second');
      problems.positive(`stages[${i}].durationMs`, stage.durationMs, 'milliseconds');
    });
  }
  const resolved: ResolvedOpenLoopOptions = {
    stages,
    durationMs:
      options.durationMs ??
      (hasStages ? stages.reduce((sum, s) => sum + s.durationMs, 0) : OPEN_LOOP_DEFAULTS.durationMs),
    warmupDurationMs: options.warmupDurationMs ?? OPEN_LOOP_DEFAULTS.warmupDurationMs,
    maxOperations: options.maxOperations ?? OPEN_LOOP_DEFAULTS.maxOperations,
    maxInFlight: options.maxInFlight ?? OPEN_LOOP_DEFAULTS.maxInFlight,
    metricName: options.metricName ?? OPEN_LOOP_DEFAULTS.metricName,
    drainTimeoutMs: options.drainTimeoutMs ?? OPEN_LOOP_DEFAULTS.drainTimeoutMs,
    spinWindowMs: options.spinWindowMs ?? OPEN_LOOP_DEFAULTS.spinWindowMs,
    behindToleranceFraction: options.behindToleranceFraction ?? OPEN_LOOP_DEFAULTS.behindToleranceFraction,
    sendLagWarningMs: options.sendLagWarningMs ?? OPEN_LOOP_DEFAULTS.sendLagWarningMs,
  };
  problems.positive('durationMs', resolved.durationMs, 'milliseconds');
  problems.nonNegative('warmupDurationMs', resolved.warmupDurationMs, 'milliseconds');
  problems.positiveInteger('maxOperations', resolved.maxOperations, true);
  problems.positiveInteger('maxInFlight', resolved.maxInFlight);
  problems.metricName('metricName', resolved.metricName);
  problems.nonNegative('drainTimeoutMs', resolved.drainTimeoutMs, 'milliseconds');
  problems.nonNegative('spinWindowMs', resolved.spinWindowMs, 'milliseconds');
  problems.fraction('behindToleranceFraction', resolved.behindToleranceFraction);
  problems.nonNegative('sendLagWarningMs', resolved.sendLagWarningMs, 'milliseconds');
  problems.throwIfAny('open-loop');
  return resolved;
}
