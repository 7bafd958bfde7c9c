/** The cluster-failover and sentinel-failover scenarios: SIGKILL a master under load, trial after trial. */
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { scenarioParams } from '../../bench/run/scenario-kit.ts';
import { FAILOVER_CLAIMS } from './claims.ts';
import { runLanes } from './failover-lanes.ts';
import { failoverOutcome } from './failover-outcome.ts';
import { DEFAULT_FAILOVER_PARAMS, FAILOVER_TUNABLES, quickFailoverParams } from './failover-params.ts';
import type { FailoverParams } from './failover-params.ts';
import { REDIS_DEFAULT_TIMINGS } from './failover-settings.ts';
import type { FailoverKind, FailoverTimings } from './failover-settings.ts';
import { runDeployment } from './failover-target.ts';

/** The settings the trials run with: the fast ones (from the parameters), then Redis's defaults with --thorough. */
function modesOf(kind: FailoverKind, params: FailoverParams, thorough: boolean): FailoverTimings[] {
  const fast: FailoverTimings = {
    mode: 'fast',
    detectionMs: params.detectionMs,
    failoverTimeoutMs: params.failoverTimeoutMs,
  };
  return thorough ? [fast, REDIS_DEFAULT_TIMINGS[kind]] : [fast];
}

async function run(kind: FailoverKind, context: ScenarioContext): Promise<ScenarioOutcome> {
  const first = runDeployment(kind, context.topology);
  const params = scenarioParams(context, DEFAULT_FAILOVER_PARAMS[kind], quickFailoverParams(kind));
  const modes = modesOf(kind, params, context.params.thorough);
  const symbols = Array.from({ length: params.keyCount }, (_, i) => `FO${String(i).padStart(5, '0')}`);
  const { results, description } = await runLanes({
    kind,
    first,
    params,
    modes,
    trial: {
      params,
      recorders: context.recorders,
      seed: context.params.seed,
      symbols,
      signal: context.signal,
      progress: context.progress,
    },
  });
  return failoverOutcome(context, { kind, description, params, modes, results });
}

function failoverScenario(kind: FailoverKind): Scenario {
  const id = `${kind}-failover`;
  return {
    id,
    description:
      kind === 'cluster'
        ? 'Redis Cluster (3 masters + 3 replicas): SIGKILL a master under open-loop cache load; time from the kill until writes succeed again (detection included), failed requests, lost acknowledged writes, latency during the failover; Redis defaults too with --thorough.'
        : 'Sentinel (1 master, 2 replicas, 3 sentinels): SIGKILL the master under open-loop cache load; time from the kill until writes succeed again through a sentinel-aware client (detection included), failed requests, lost acknowledged writes; Redis defaults too with --thorough.',
    claims: FAILOVER_CLAIMS.filter((c) => c.scenario === id).map((c) => c.id),
    tunables: FAILOVER_TUNABLES,
    topologies: [kind],
    // Measured on the shared 2-core machine under other load; --thorough adds 0.5-2.5 minutes.
    run: (context) => run(kind, context),
  };
}

export const clusterFailover: Scenario = failoverScenario('cluster');
export const sentinelFailover: Scenario = failoverScenario('sentinel');
