import type { RateStage } from './rate-schedule.ts';
import { LoadOptionProblems } from './load-option-checks.ts';
import { withDefaults } from './with-defaults.ts';

interface OpenLoopCommonOptions {
  /** Measured phase; with stages, defaults to their total, and the last stage's rate holds past them. */
  readonly durationMs?: number;
  /** Sent at the first stage's rate; its latencies never reach the recorders. */
  readonly warmupDurationMs?: number;
  /** Cap on measured operations. */
  readonly maxOperations?: number;
  /**
   * Connections x pipeline depth: when this many are pending, sends wait (latency still counts
   * from the intended time).
   */
  readonly maxInFlight?: number;
  /**
   * Successes' corrected latency goes to `<metricName>`, their uncorrected one to
   * `<metricName>.uncorrected`, and every outcome's (failures and timeouts too) to `<metricName>.all`.
   */
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

/**
 * Every setting filled in, the rate as stages (a constant rate is one stage): what the loop, the
 * shard split and the worker threads take. Only resolveOpenLoopOptions makes one.
 */
export interface ResolvedOpenLoopOptions extends Required<OpenLoopCommonOptions> {
  readonly stages: readonly RateStage[];
}

export const OPEN_LOOP_DEFAULTS: Required<OpenLoopCommonOptions> = {
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
};

/**
 * The boundary of the open loop: fills every default once and checks every option (all problems
 * in one ConfigError). Code past it takes ResolvedOpenLoopOptions and never re-defaults.
 */
export function resolveOpenLoopOptions(options: OpenLoopOptions): ResolvedOpenLoopOptions {
  const problems = new LoadOptionProblems();
  const { rateOpsPerSecond: _rate, stages: _stages, ...given } = options;
  const defaults =
    options.stages === undefined
      ? OPEN_LOOP_DEFAULTS
      : { ...OPEN_LOOP_DEFAULTS, durationMs: options.stages.reduce((sum, s) => sum + s.durationMs, 0) };
  const settings = withDefaults(defaults, given);
  const resolved: ResolvedOpenLoopOptions = {
    stages: resolveStages(options, settings.durationMs, problems),
    ...settings,
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

/** The rate as stages: a constant rate is one stage of the run's duration. */
function resolveStages(
  options: OpenLoopOptions,
  durationMs: number,
  problems: LoadOptionProblems,
): readonly RateStage[] {
  const hasRate = options.rateOpsPerSecond !== undefined;
  if (hasRate === (options.stages !== undefined)) {
    problems.add('give exactly one of rateOpsPerSecond (constant rate) or stages (stepped rate)');
    return [];
  }
  if (hasRate) {
    problems.positive('rateOpsPerSecond', options.rateOpsPerSecond as number, 'operations per second');
    return [{ rateOpsPerSecond: options.rateOpsPerSecond as number, durationMs }];
  }
  const stages = options.stages as readonly RateStage[];
  if (stages.length === 0) problems.add('stages must hold at least one stage');
  stages.forEach((stage, i) => {
    problems.positive(`stages[${i}].rateOpsPerSecond`, stage.rateOpsPerSecond, 'operations per second');
    problems.positive(`stages[${i}].durationMs`, stage.durationMs, 'milliseconds');
  });
  return stages;
}
