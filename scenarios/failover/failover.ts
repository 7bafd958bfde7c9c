/** The cluster-failover and sentinel-failover scenarios: SIGKILL a master under load, trial after trial. */
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import type { TopologyClient } from '../../src/redis/topology-client.ts';
import { ConfigError, InfraError } from '../../bench/errors.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { ScenarioTopology } from '../../bench/targets/topology-target.ts';
import { FAILOVER_CLAIMS } from './claims.ts';
import { fmt } from './failover-figures.ts';
import { failoverOutcome } from './failover-outcome.ts';
import { DEFAULT_FAILOVER_PARAMS, FAILOVER_TUNABLES, quickFailoverParams } from './failover-params.ts';
import type { FailoverParams } from './failover-params.ts';
import { failoverTarget } from './failover-target.ts';
import type { FailoverKind, FailoverTarget } from './failover-target.ts';
import { runTrial } from './failover-trial.ts';
import type { TrialResult } from './failover-trial.ts';

async function run(kind: FailoverKind, context: ScenarioContext): Promise<ScenarioOutcome> {
  const topology = context.topology;
  if (topology === undefined || topology.kind !== kind) {
    throw new ConfigError(`${kind}-failover runs on --topology ${kind} (got ${topology?.kind ?? 'standalone'})`, {
      hint: `run it with --topology ${kind}, or without --topology`,
    });
  }
  const params: FailoverParams = {
    ...(context.params.quick ? quickFailoverParams(kind) : DEFAULT_FAILOVER_PARAMS[kind]),
    ...context.overrides,
  };
  const target = failoverTarget(kind, topology);
  await target.applyTimings(params);
  const { results, notes } = await runTrials(context, topology, target, params);
  return failoverOutcome(context, { kind, topology, params, results, notes });
}

/**
 * The trials, each on a healed deployment: a fail-fast cache client under load, and a patient
 * checker client that reads the canary keys back after the failover.
 */
async function runTrials(
  context: ScenarioContext,
  topology: ScenarioTopology,
  target: FailoverTarget,
  params: FailoverParams,
): Promise<{ results: TrialResult[]; notes: string[] }> {
  const symbols = Array.from({ length: params.keyCount }, (_, i) => `FO${String(i).padStart(5, '0')}`);
  const client: TopologyClient = topology.createClient({
    connectionName: 'rpb-failover-cache',
    commandTimeoutMs: params.commandTimeoutMs,
  });
  const checkerClient: TopologyClient = topology.createClient({
    connectionName: 'rpb-failover-check',
    commandTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
    enableOfflineQueue: true,
  });
  client.on('error', () => {});
  checkerClient.on('error', () => {});
  const cache = new FeatureCache({ client, ttlSeconds: 3_600 });
  const checker = new FeatureCache({ client: checkerClient, ttlSeconds: 3_600 });
  const results: TrialResult[] = [];
  const notes: string[] = [];
  try {
    await target.waitHealthy(params.healTimeoutMs);
    await waitReady(client, 10_000);
    for (let trial = 0; trial < params.trials && !context.signal.aborted; trial += 1) {
      if (trial > 0) {
        context.progress(`healing: restarting node ${results[trial - 1].victimPort} as a replica (not measured)`);
        await target.heal(results[trial - 1].victim, params.healTimeoutMs);
      }
      const result = await runTrial(trial, target, cache, checker, symbols, params, context);
      results.push(result);
      const f = result.figures;
      context.progress(
        `trial ${trial + 1}: promotion ${fmt(result.promotionMs)} ms, writes recovered ${fmt(f.writeRecoveryMs)} ms after the kill, ${f.failedWrites} writes and ${f.failedReads} reads failed, ${result.lostAckedWrites} acknowledged writes lost`,
      );
      for (const warning of result.load.warnings)
        if (!/aborted/.test(warning)) notes.push(`trial ${trial + 1}: load: ${warning}`);
    }
  } finally {
    client.disconnect();
    checkerClient.disconnect();
  }
  return { results, notes };
}

async function waitReady(client: TopologyClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (client.status !== 'ready') {
    if (Date.now() > deadline)
      throw new InfraError(`the cache client did not become ready within ${timeoutMs} ms (status ${client.status})`, {
        hint: 'the deployment may be unhealthy',
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function failoverScenario(kind: FailoverKind): Scenario {
  const id = `${kind}-failover`;
  return {
    id,
    description:
      kind === 'cluster'
        ? 'Redis Cluster (3 masters + 3 replicas): SIGKILL a master under open-loop cache load; time until writes succeed again, failed requests, lost acknowledged writes, latency during the failover.'
        : 'Sentinel (1 master, 2 replicas, 3 sentinels): SIGKILL the master under open-loop cache load; time until writes succeed again through a sentinel-aware client, failed requests, lost acknowledged writes.',
    claims: FAILOVER_CLAIMS.filter((c) => c.scenario === id).map((c) => c.id),
    tunables: FAILOVER_TUNABLES,
    topologies: [kind],
    run: (context) => run(kind, context),
  };
}

export const clusterFailover: Scenario = failoverScenario('cluster');
export const sentinelFailover: Scenario = failoverScenario('sentinel');
