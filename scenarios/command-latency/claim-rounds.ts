/** The claim's trials: rounds at the claim rate, every command in turn, each round judged on its worst p99. */
import { allOutcomesMetricName } from '../../bench/load/open-loop.ts';
import { percentileMs } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';
import type { CommandLoads } from './command-loads.ts';
import { failuresText } from './command-latency-notes.ts';
import type { ClaimFailures } from './command-latency-notes.ts';
import { rateMetricName, rateText } from './command-plans.ts';
import type { CommandPlan } from './command-plans.ts';
import { runStep } from './rate-sweep.ts';

export interface ClaimOutcome extends ClaimFailures {
  readonly trial: number[];
  readonly perCommandP99Ms: Record<string, number[]>;
  readonly notes: string[];
}

/**
 * Rounds at the claim rate; in each, every command runs for claimRoundDurationMs in turn, and the
 * round's figure is the worst of their corrected p99s: the claim is about every cache command. The
 * p99s are of every outcome (`<metric>.all`): a failure or timeout counts at its time from the
 * intended send, so a round whose slow commands time out cannot look faster than one where they
 * succeed slowly.
 */
export async function claimRounds(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
  loads: CommandLoads,
): Promise<ClaimOutcome> {
  const metrics = plans.map((plan) => `claim.${rateMetricName(plan.label, params.claimRate)}`);
  const notes: string[] = [];
  const perCommandP99Ms: Record<string, number[]> = Object.fromEntries(plans.map((plan) => [plan.label, []]));
  const failedPerCommand: Record<string, number> = Object.fromEntries(plans.map((plan) => [plan.label, 0]));
  const abandonedPerCommand: Record<string, number> = Object.fromEntries(plans.map((plan) => [plan.label, 0]));
  const trial: number[] = [];
  for (let round = 0; round < params.claimRounds && !context.signal.aborted; round++) {
    context.progress(
      `claim round ${round + 1}/${params.claimRounds}: ${plans.map((p) => p.label).join(', ')} at ${rateText(params.claimRate)} ops/s, ${params.claimRoundDurationMs} ms each`,
    );
    for (let i = 0; i < plans.length && !context.signal.aborted; i++) {
      const { result } = await runStep(
        context,
        params,
        loads,
        i,
        params.claimRate,
        params.claimRoundDurationMs,
        round === 0 ? params.warmupDurationMs : 0,
        metrics[i],
      );
      for (const warning of result.warnings) notes.push(`${metrics[i]} round ${round + 1}: ${warning}`);
      failedPerCommand[plans[i].label] += result.errors + result.timeouts;
      abandonedPerCommand[plans[i].label] += result.abandoned;
      const failures = failuresText(result.errors + result.timeouts);
      if (failures !== null) {
        context.progress(`${metrics[i]} round ${round + 1}: ${failures}`);
        notes.push(`${metrics[i]} round ${round + 1}: ${failures}`);
      }
    }
    if (context.signal.aborted) break;
    context.recorders.markTrial();
    let worst = Number.NEGATIVE_INFINITY;
    plans.forEach((plan, i) => {
      const histogram = context.recorders.metric(allOutcomesMetricName(metrics[i])).trialHistograms()[round];
      const p99Ms = histogram === undefined ? Number.NaN : percentileMs(histogram, 99);
      perCommandP99Ms[plan.label].push(p99Ms);
      worst = Number.isNaN(p99Ms) || Number.isNaN(worst) ? Number.NaN : Math.max(worst, p99Ms);
    });
    trial.push(worst);
  }
  return { trial, perCommandP99Ms, failedPerCommand, abandonedPerCommand, notes };
}
