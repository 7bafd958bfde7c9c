/** The claim load, the verdict's conditions and what --shard and --workers did, in words. */
import { formatShard, shardedRate } from '../../bench/load/shard.ts';
import { environmentConditions } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { CLAIM_RATE_REASON, DEFAULT_COMMAND_LATENCY_PARAMS } from './command-latency-params.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';
import type { CommandLoads } from './command-loads.ts';
import { rateText } from './command-plans.ts';
import type { CommandPlan } from './command-plans.ts';
import { limitedPhasesText } from './generator-load-figures.ts';
import type { PhaseLoad } from './generator-load-figures.ts';

const count = (value: number): string => value.toLocaleString('en-US');

export function claimLoadText(params: CommandLatencyParams): string {
  const rate = `${rateText(params.claimRate)} ops/s per command`;
  return params.claimRate === DEFAULT_COMMAND_LATENCY_PARAMS.claimRate
    ? `${rate} (${CLAIM_RATE_REASON})`
    : `${rate}, set with --set claimRate (the document-derived load is ${DEFAULT_COMMAND_LATENCY_PARAMS.claimRate}: ${CLAIM_RATE_REASON})`;
}

const abandonedText = (abandoned: number): string =>
  `${count(abandoned)} still pending at the drain bound (abandoned: in no histogram)`;

/**
 * A step's "N failed or timed out" (counted in `<metric>.all` at their time to failure), or null
 * when none did. Operations abandoned at the drain bound have a warning of their own.
 */
export function failuresText(failed: number): string | null {
  return failed > 0 ? `${count(failed)} failed or timed out (in .all at their time to failure)` : null;
}

/** Per command label, summed over the claim rounds. */
export interface ClaimFailures {
  /** Operations that failed or timed out: in `<metric>.all` (the figure) at their time to failure. */
  readonly failedPerCommand: Record<string, number>;
  /** Operations still pending at the drain bound: in no histogram. */
  readonly abandonedPerCommand: Record<string, number>;
}

/** Over every claim round: "claim rounds: N failed or timed out (GET 3, SET 0, MGET5 1), ...", or null. */
export function claimFailuresText(failures: ClaimFailures): string | null {
  const sum = (perCommand: Record<string, number>): number => Object.values(perCommand).reduce((a, b) => a + b, 0);
  const failed = sum(failures.failedPerCommand);
  const abandoned = sum(failures.abandonedPerCommand);
  if (failed === 0 && abandoned === 0) return null;
  const each = Object.entries(failures.failedPerCommand).map(([label, n]) => `${label} ${count(n)}`);
  const parts = [
    ...(failed > 0
      ? [`${count(failed)} failed or timed out (${each.join(', ')}), each in its round's figure at its time to failure`]
      : []),
    ...(abandoned > 0 ? [abandonedText(abandoned)] : []),
  ];
  return `claim rounds: ${parts.join(', ')}`;
}

/**
 * The verdict's conditions: where and how it was measured, the failures, and every claim phase in
 * which the load generator was saturated ("generator-limited (...)": the table flags those).
 */
export function claimConditions(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
  claim: ClaimFailures & { readonly phaseLoads: readonly PhaseLoad[] },
): string {
  const failuresLine = claimFailuresText(claim);
  const limitedLine = limitedPhasesText(claim.phaseLoads, 'claim phases');
  const shard = context.params.shard;
  const workers = context.params.workers;
  return [
    ...(shard === null
      ? []
      : [
          `shard ${formatShard(shard)} only: this machine sent ${rateText(shardedRate(params.claimRate, context.params))} ops/s per command of the claim load; judge the combined load on the merged run`,
        ]),
    ...(workers > 1 ? [`load in ${workers} worker threads, histograms merged exactly`] : []),
    `${environmentConditions(context)} (load generator and Redis share them)`,
    `open loop at ${claimLoadText(params)}`,
    `${params.connections} connections x pipeline depth ${params.pipelineDepth} (in-flight bound ${params.connections * params.pipelineDepth}), driver ${params.driver}, auto-pipelining ${params.autoPipelining}`,
    `figure per round: the worst corrected p99 of every outcome (successes, error replies and timeouts, each from the intended send time, wrk2-style) of ${plans.map((p) => p.label).join(', ')}, each run ${params.claimRoundDurationMs} ms; the commands' order rotates from round to round, and only the first round has the ${params.warmupDurationMs} ms warm-up`,
    ...(failuresLine === null ? [] : [failuresLine]),
    ...(limitedLine === null ? [] : [limitedLine]),
    `one encoded feature vector per key (${params.keyCount} keys, ${params.keyDistribution})`,
  ].join('; ');
}

/** What --shard and --workers changed, and how to read the figures then. */
export function splitNotes(loads: CommandLoads, params: CommandLatencyParams): string[] {
  const notes: string[] = [];
  const inFlight = params.connections * params.pipelineDepth;
  if (loads.shard !== null) {
    const n = loads.shard.count;
    notes.push(
      `shard ${formatShard(loads.shard)}: this machine ran 1/${n} of every open-loop rate (metric names and rates in figures are the whole load's; the achieved rates are this shard's own part), with its own ${params.connections} connections and in-flight bound ${inFlight}. ` +
        `The knee and the P99 < ${params.budgetMs} ms claim are about the combined load: read them on the merged run (\`rpb merge\` of all ${n} shard folders: the p99 of <command>:<rate>-ops-s.all and claim.<command>:<rate>-ops-s.all, every outcome). This shard's knee, curve and verdict judge only its own part`,
    );
  }
  if (loads.pooled) {
    const perWorker = loads.connectionsPerWorker;
    const total = perWorker * loads.workers;
    notes.push(
      `--workers ${loads.workers}: every step ran in ${loads.workers} worker threads started for it (each step, claim rounds included, after its own ${params.warmupDurationMs} ms warm-up), each with ${perWorker} connection${perWorker > 1 ? 's' : ''}, 1/${loads.workers} of the rate and of the in-flight bound (rounded up), histograms merged count for count` +
        (total !== params.connections
          ? ` (${total} connections in all: ceil(${params.connections}/${loads.workers}) per thread)`
          : '') +
        `; the max-throughput closed loop of the redis-benchmark comparison ${loads.maxThroughputRunner() === undefined ? `ran in this thread (${inFlight} concurrent commands, fewer than ${loads.workers} threads)` : `ran in the ${loads.workers} threads too, and redis-benchmark with --threads ${loads.workers}`}; the one-connection GET run stays in this thread`,
    );
  }
  return notes;
}
