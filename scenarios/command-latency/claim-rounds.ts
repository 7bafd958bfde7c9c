/** The claim's trials: rounds at the claim rate, every command in turn, each round judged on its worst p99. */
import { allOutcomesMetricName } from '../../bench/load/open-loop.ts';
import { percentileMs } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';
import type { CommandLoads } from './command-loads.ts';
import { failuresText } from './command-latency-notes.ts';
import type { ClaimFailures } from './command-latency-notes.ts';
import { limitedNote } from './generator-load-figures.ts';
import type { PhaseLoad } from './generator-load-figures.ts';
import { rateMetricName, rateText } from './command-plans.ts';
import type { CommandPlan } from './command-plans.ts';
import { runStep } from './rate-sweep.ts';

export interface ClaimOutcome extends ClaimFailures {
  readonly trial: number[];
  readonly perCommandP99Ms: Record<string, number[]>;
  readonly notes: string[];
  /** Every command of every round, in the order they ran, with its generator's load. */
  readonly phaseLoads: PhaseLoad[];
}

/** Round r runs the commands starting at plan r mod n: no command always runs first, after the idle gap. */
export function roundOrder(count: number, round: number): number[] {
  return Array.from({ length: count }, (_, i) => (round + i) % count);
}

/**
 * Rounds at the claim rate; in each, every command runs for claimRoundDurationMs in turn, and the
 * round's figure is the worst of their corrected p99s: the claim is about every cache command. The
 * p99s are of every outcome (`<metric>.all`): a failure or timeout counts at its time from the
 * intended send, so a round whose slow commands time out cannot look faster than one where they
 * succeed slowly.
 *
 * The rounds are the trials, and none leans on the one before: each starts from the same state
 * (the preloaded keys hold the same bytes, SET rewrites them; the connections are open and idle,
 * every command of the round before settled), the first round alone has the warm-up (it brings the
 * code and connections to that state; later rounds start there), and the commands' order rotates
 * from round to round.
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
  const phaseLoads: PhaseLoad[] = [];
  for (let round = 0; round < params.claimRounds && !context.signal.aborted; round++) {
    const order = roundOrder(plans.length, round);
    context.progress(
      `claim round ${round + 1}/${params.claimRounds}: ${order.map((i) => plans[i].label).join(', ')} at ${rateText(params.claimRate)} ops/s, ${params.claimRoundDurationMs} ms each`,
    );
    for (const i of order) {
      if (context.signal.aborted) break;
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
      const phase = `${metrics[i]} round ${round + 1}`;
      for (const warning of result.warnings) notes.push(`${phase}: ${warning}`);
      if (result.generatorLoad !== undefined) {
        const entry = { phase, key: `${metrics[i]}.round-${round + 1}`, load: result.generatorLoad };
        phaseLoads.push(entry);
        if (entry.load.generatorLimited) notes.push(limitedNote(entry));
      }
      failedPerCommand[plans[i].label] += result.errors + result.timeouts;
      abandonedPerCommand[plans[i].label] += result.abandoned;
      const failures = failuresText(result.errors + result.timeouts);
      if (failures !== null) {
        context.progress(`${phase}: ${failures}`);
        notes.push(`${phase}: ${failures}`);
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
  return { trial, perCommandP99Ms, failedPerCommand, abandonedPerCommand, notes, phaseLoads };
}
