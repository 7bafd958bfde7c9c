/** The claim load, the verdict's conditions and what --shard and --workers did, in words. */
import { formatShard, shardedRate } from '../../bench/load/shard.ts';
import { environmentConditions } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { CLAIM_RATE_REASON, DEFAULT_COMMAND_LATENCY_PARAMS } from './command-latency-params.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';
import type { CommandLoads } from './command-loads.ts';
import { rateText } from './command-plans.ts';
import type { CommandPlan } from './command-plans.ts';

export function claimLoadText(params: CommandLatencyParams): string {
  const rate = `${rateText(params.claimRate)} ops/s per command`;
  return params.claimRate === DEFAULT_COMMAND_LATENCY_PARAMS.claimRate
    ? `${rate} (${CLAIM_RATE_REASON})`
    : `${rate}, set with --set claimRate (the document-derived load is ${DEFAULT_COMMAND_LATENCY_PARAMS.claimRate}: ${CLAIM_RATE_REASON})`;
}

export function claimConditions(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
): string {
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
    `figure per round: the worst corrected p99 (from the intended send time, wrk2-style) of ${plans.map((p) => p.label).join(', ')}, each run ${params.claimRoundDurationMs} ms`,
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
        `The knee and the P99 < ${params.budgetMs} ms claim are about the combined load: read them on the merged run (\`rpb merge\` of all ${n} shard folders: the p99 of <command>:<rate>-ops-s and claim.<command>:<rate>-ops-s). This shard's knee, curve and verdict judge only its own part`,
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
