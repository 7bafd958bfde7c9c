/** The open-loop steps: one step at a fixed rate, and a command's sweep of rising rates up to saturation. */
import { saturationReason } from '../../bench/analysis/latency-curve.ts';
import type { CurvePoint } from '../../bench/analysis/latency-curve.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import type { GeneratorLoad } from '../../bench/measure/generator-load.ts';
import { allOutcomesMetricName } from '../../bench/load/open-loop.ts';
import { OPEN_LOOP_DEFAULTS } from '../../bench/load/open-loop-options.ts';
import { formatShard, shardedRate } from '../../bench/load/shard.ts';
import { percentileMs } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { sweepRates } from './command-latency-params.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';
import type { CommandLoads } from './command-loads.ts';
import { failuresText } from './command-latency-notes.ts';
import { limitedNote } from './generator-load-figures.ts';
import { rateMetricName, rateText } from './command-plans.ts';
import type { CommandPlan } from './command-plans.ts';

/** Above the scheduled count, so the cap never ends a step early but still bounds it. */
const OPERATION_CAP_MARGIN = 1.1;

export interface StepRun {
  readonly result: LoadResult;
  readonly point: CurvePoint;
}

/**
 * One open-loop run of plan `index` at a fixed rate (the whole load's: a shard runs its part):
 * an unrecorded warm-up, then the measured run into `metric`. The point's percentiles are of every
 * outcome (`<metric>.all`: failures and timeouts at their time from the intended send), so a step
 * whose slow commands time out does not look faster than one where they succeed slowly.
 */
export async function runStep(
  context: ScenarioContext,
  params: CommandLatencyParams,
  loads: CommandLoads,
  index: number,
  rate: number,
  durationMs: number,
  warmupMs: number,
  metric: string,
): Promise<StepRun> {
  const maxInFlight = params.connections * params.pipelineDepth;
  const maxOperations = Math.ceil((rate * durationMs * OPERATION_CAP_MARGIN) / 1_000) + 10;
  const result = await loads.openLoop(
    index,
    { rateOpsPerSecond: rate, durationMs, maxInFlight, maxOperations, metricName: metric },
    warmupMs,
  );
  const total = context.recorders.metric(allOutcomesMetricName(metric)).total();
  const at = (percentile: number): number | null => (total.totalCount > 0 ? percentileMs(total, percentile) : null);
  const rateHeld =
    result.achievedRate >= (result.targetRate ?? rate) * (1 - OPEN_LOOP_DEFAULTS.behindToleranceFraction) &&
    result.unsent === 0;
  return {
    result,
    point: {
      targetRate: rate,
      achievedRate: result.achievedRate,
      p50Ms: at(50),
      p99Ms: at(99),
      maxMs: at(100),
      rateHeld,
      failures: result.errors + result.timeouts + result.abandoned,
      unsent: result.unsent,
    },
  };
}

export interface SweepOutcome {
  readonly points: CurvePoint[];
  /** Per point: operations that failed or timed out (errors + timeouts; the abandoned are apart). */
  readonly failed: number[];
  /** Per point: how busy the load generator was (undefined: not measured). */
  readonly loads: (GeneratorLoad | undefined)[];
  readonly notes: string[];
}

/**
 * Rates in ascending order until a step is not held or exceeds the budget (that step is kept: it
 * shows the curve past the knee). With --shard every step runs: a shard cannot see the others'
 * saturation, and the merge needs the same steps from every shard.
 */
export async function sweep(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
  index: number,
  loads: CommandLoads,
): Promise<SweepOutcome> {
  const plan = plans[index];
  const points: CurvePoint[] = [];
  const failed: number[] = [];
  const generatorLoads: (GeneratorLoad | undefined)[] = [];
  const notes: string[] = [];
  let saturated = false;
  for (const { rate, adaptive } of sweepRates(params)) {
    if (context.signal.aborted) break;
    const metric = rateMetricName(plan.label, rate);
    context.progress(
      `${plan.label} at ${rateText(rate)} ops/s${adaptive ? ' (adaptive)' : ''} for ${params.stepDurationMs} ms`,
    );
    const { result, point } = await runStep(
      context,
      params,
      loads,
      index,
      rate,
      params.stepDurationMs,
      params.warmupDurationMs,
      metric,
    );
    points.push(point);
    failed.push(result.errors + result.timeouts);
    generatorLoads.push(result.generatorLoad);
    for (const warning of result.warnings) notes.push(`${metric}: ${warning}`);
    if (result.generatorLoad?.generatorLimited === true)
      notes.push(limitedNote({ phase: metric, key: metric, load: result.generatorLoad }));
    const failures = failuresText(result.errors + result.timeouts);
    if (failures !== null) {
      context.progress(`${metric}: ${failures}`);
      notes.push(`${metric}: ${failures}`);
    }
    if (loads.shard !== null) {
      // This shard's own part: achieved against its own target (rate / N).
      const reason = saturationReason({ ...point, targetRate: result.targetRate ?? point.targetRate }, params.budgetMs);
      if (reason !== null)
        notes.push(
          `${plan.label} at ${rateText(rate)} ops/s (this shard ${formatShard(loads.shard)}: ${rateText(shardedRate(rate, context.params))} ops/s): ${reason}; the sweep goes on (every shard runs every step, so the merge has all of them)`,
        );
      saturated ||= reason !== null;
      continue;
    }
    const reason = saturationReason(point, params.budgetMs);
    if (reason !== null) {
      notes.push(`${plan.label}: sweep stopped at ${rateText(rate)} ops/s: ${reason}`);
      saturated = true;
      break;
    }
  }
  if (!saturated && !context.signal.aborted && points.length > 0) {
    notes.push(
      `${plan.label}: not saturated up to ${rateText(points[points.length - 1].targetRate)} ops/s (raise maxAdaptiveSteps or maxRate, or list higher rates, to find the limit)`,
    );
  }
  return { points, failed, loads: generatorLoads, notes };
}
