import os from 'node:os';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import type { TopologyClient } from '../../src/redis/topology-client.ts';
import { claimsForScenario } from '../../bench/analysis/claim-registry.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import { ConfigError, InfraError } from '../../bench/errors.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/core/scenario.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';
import { failoverTarget } from './failover-target.ts';
import type { FailoverKind } from './failover-target.ts';
import { CANARY_EVERY, runTrial } from './failover-trial.ts';
import type { FailoverParams, TrialResult } from './failover-trial.ts';

export const DEFAULT_FAILOVER_PARAMS: Record<FailoverKind, FailoverParams> = {
  cluster: {
    trials: 3,
    rateOpsPerSecond: 400,
    writeFraction: 0.5,
    keyCount: 1_000,
    preFaultMs: 3_000,
    maxRecoveryMs: 60_000,
    stableMs: 1_000,
    postRecoveryMs: 2_000,
    commandTimeoutMs: 100,
    detectionMs: 2_000,
    failoverTimeoutMs: 5_000,
    healTimeoutMs: 60_000,
  },
  sentinel: {
    trials: 3,
    rateOpsPerSecond: 400,
    writeFraction: 0.5,
    keyCount: 1_000,
    preFaultMs: 3_000,
    maxRecoveryMs: 60_000,
    stableMs: 1_000,
    postRecoveryMs: 2_000,
    commandTimeoutMs: 100,
    detectionMs: 1_000,
    failoverTimeoutMs: 5_000,
    healTimeoutMs: 60_000,
  },
};

/** --quick: shorter phases and a lower rate; the failover itself takes what it takes. */
export function quickFailoverParams(kind: FailoverKind): FailoverParams {
  return {
    ...DEFAULT_FAILOVER_PARAMS[kind],
    rateOpsPerSecond: 200,
    keyCount: 300,
    preFaultMs: 1_500,
    stableMs: 800,
    postRecoveryMs: 1_000,
    maxRecoveryMs: 30_000,
  };
}

export const FAILOVER_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: { kind: 'integer', min: 1, max: 20, description: 'failovers (one per trial; 3 or more give a verdict)' },
  rateOpsPerSecond: { kind: 'integer', min: 10, max: 20_000, description: 'open-loop cache operations per second' },
  writeFraction: {
    kind: 'number',
    min: 0.05,
    max: 1,
    description: 'share of writes (FeatureCache.set); the rest are reads',
  },
  keyCount: { kind: 'integer', min: 10, max: 100_000, description: 'symbols written and read (one date)' },
  preFaultMs: { kind: 'integer', min: 200, max: 600_000, description: 'steady load before the master is killed' },
  maxRecoveryMs: {
    kind: 'integer',
    min: 1_000,
    max: 600_000,
    description: 'give up waiting for writes to recover after this long',
  },
  stableMs: {
    kind: 'integer',
    min: 100,
    max: 60_000,
    description:
      'no failed write for this long = recovered (the figure is computed after the run from every operation)',
  },
  postRecoveryMs: { kind: 'integer', min: 0, max: 600_000, description: 'load after the recovery' },
  commandTimeoutMs: {
    kind: 'integer',
    min: 10,
    max: 60_000,
    description: "cache client command timeout (the service's default is 100)",
  },
  detectionMs: {
    kind: 'integer',
    min: 100,
    max: 600_000,
    description: 'cluster-node-timeout / sentinel down-after-milliseconds (Redis defaults: 15000 / 30000)',
  },
  failoverTimeoutMs: {
    kind: 'integer',
    min: 500,
    max: 600_000,
    description: 'sentinel failover-timeout (Redis default 180000); unused on a cluster',
  },
  healTimeoutMs: {
    kind: 'integer',
    min: 1_000,
    max: 600_000,
    description: 'bound on healing the deployment between trials',
  },
};

function median(values: readonly (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length === 0 ? null : medianOf(finite);
}

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
  const detectionName = kind === 'cluster' ? 'cluster-node-timeout' : 'down-after-milliseconds';
  const beyond = results.map((r) =>
    r.figures.writeRecoveryMs === null ? null : r.figures.writeRecoveryMs - params.detectionMs,
  );
  const conditions = [
    `${context.network}, ${topology.description.replace(/cluster-node-timeout \d+ ms|down-after-milliseconds \d+, failover-timeout \d+/, '').replace(/,\s*$/, '')}, Redis ${context.redisVersion}`,
    `${detectionName} ${params.detectionMs} ms${kind === 'sentinel' ? `, failover-timeout ${params.failoverTimeoutMs} ms` : ''} (the recovery time scales with it; Redis defaults: ${kind === 'cluster' ? '15000' : '30000'} ms)`,
    `SIGKILL of the master under ${params.rateOpsPerSecond} ops/s open-loop FeatureCache get/set (${Math.round(params.writeFraction * 100)}% writes, ${params.keyCount} keys), cache client command timeout ${params.commandTimeoutMs} ms`,
    `Node ${process.version}, ${os.cpus().length} CPUs`,
  ].join('; ');
  const unrecovered = results.map((r, i) => (r.figures.writeRecoveryMs === null ? i + 1 : 0)).filter((i) => i > 0);
  const verdicts: ClaimVerdict[] = claimsForScenario(`${kind}-failover`).map((claim) => {
    const verdict = judgeClaim(
      claim,
      beyond.filter((v): v is number => v !== null),
      conditions,
    );
    // An interrupted run's last trial was cut short, not failed.
    if (unrecovered.length === 0 || context.signal.aborted) return verdict;
    // A trial whose writes never recovered is the strongest evidence against the claim: never dropped.
    return {
      ...verdict,
      outcome: 'does not hold',
      direction: 'worse',
      explanation: `writes to the killed master's keys had not recovered ${params.maxRecoveryMs} ms after the kill in trial(s) ${unrecovered.join(', ')}; ${verdict.explanation}`,
    };
  });
  const trialsOf = (pick: (r: TrialResult) => number | null): number[] => results.map((r) => pick(r) ?? Number.NaN);
  const value = (v: number | null, unit: string, description: string) => ({ value: v, unit, description });
  const events = results
    .filter((r) => Number.isFinite(r.killEpochMs))
    .map((r, i) => ({
      label: `trial ${i + 1}: master ${r.victimPort} killed → writes recovered`,
      startMs: r.killEpochMs - context.recorders.startTimeMs,
      endMs: r.killEpochMs - context.recorders.startTimeMs + (r.figures.writeRecoveryMs ?? params.maxRecoveryMs),
    }));
  const series = Object.fromEntries(
    results.flatMap((r, i) => [
      [
        `trial${i + 1}.failed-per-second`,
        { x: r.timeline.second, y: r.timeline.failed, xLabel: 's from the kill', yLabel: 'failed ops/s' },
      ],
      [
        `trial${i + 1}.ok-per-second`,
        { x: r.timeline.second, y: r.timeline.ok, xLabel: 's from the kill', yLabel: 'successful ops/s' },
      ],
    ]),
  );
  if (results.some((r) => r.figures.failedBeforeKill > 0))
    notes.push(
      `operations failed before the kill (${results.map((r) => r.figures.failedBeforeKill).join(', ')} per trial): the deployment or the machine was not steady`,
    );
  notes.push(
    `each trial: ${params.preFaultMs} ms steady load, SIGKILL of the master, load until writes to its keys have succeeded for ${params.stableMs} ms with no failure and the deployment names a new master (at most ${params.maxRecoveryMs} ms), then ${params.postRecoveryMs} ms more; between trials the killed node is restarted and rejoins as a replica (not measured)`,
    'write recovery = kill to the completion of the first successful write to an affected key sent after the last failed one, computed from every operation after the run; the verdict figure subtracts the configured failure-detection time',
    `lost acknowledged writes: every ${CANARY_EVERY}th key is written only before the kill; after the recovery each such key on the killed master is read back, and a value older than its last acknowledged write (or gone) counts as lost (Redis replicates asynchronously: a write acknowledged just before the crash may never reach the replica)`,
    kind === 'cluster'
      ? "cluster: only keys in the killed master's slots are affected; with cluster-require-full-coverage yes (default) the other shards also answer CLUSTERDOWN once the master is marked failed, until its replica is promoted"
      : 'sentinel: every key is on the master; the client is sentinel-aware (ioredis sentinels + failoverDetector) and asks the sentinels for the new master on reconnect',
    'the document\'s deployment sketch says "Redis Cluster (3 nodes + 3 sentinels)": Redis Cluster does its own failover without sentinels, so both deployments are measured, each with its own claim',
    ...results.map(
      (r, i) =>
        `trial ${i + 1}: master ${r.victimPort} killed, ${r.promotedPort === null ? 'no new master named' : `${r.promotedPort} promoted after ${fmt(r.promotionMs)} ms`}; writes recovered after ${fmt(r.figures.writeRecoveryMs)} ms, reads after ${fmt(r.figures.readRecoveryMs)} ms; failed: ${r.figures.failedWrites} writes, ${r.figures.failedReads} reads (${r.figures.failedUnaffected} on other shards) of ${r.figures.opsAfterKill} ops after the kill; lost acknowledged writes ${r.lostAckedWrites} of ${r.canariesChecked} canary keys; affected keys ${Math.round(r.affectedKeyShare * 100)}%`,
    ),
  );
  return {
    values: {
      'write-recovery-ms': value(
        median(results.map((r) => r.figures.writeRecoveryMs)),
        'ms',
        'median over trials: kill to writes succeeding again (affected keys)',
      ),
      'write-recovery-beyond-detection-ms': value(
        median(beyond),
        'ms',
        `median over trials: write recovery minus ${detectionName} (the verdict figure)`,
      ),
      'read-recovery-ms': value(
        median(results.map((r) => r.figures.readRecoveryMs)),
        'ms',
        'median over trials: kill to reads succeeding again (affected keys)',
      ),
      'promotion-ms': value(
        median(results.map((r) => r.promotionMs)),
        'ms',
        'median over trials: kill to the deployment naming a new master (polled every 100 ms)',
      ),
      'failed-writes': value(
        median(results.map((r) => r.figures.failedWrites)),
        'count',
        'median over trials: writes that failed after the kill',
      ),
      'failed-reads': value(
        median(results.map((r) => r.figures.failedReads)),
        'count',
        'median over trials: reads that failed after the kill',
      ),
      'lost-acknowledged-writes': value(
        results.reduce((sum, r) => sum + r.lostAckedWrites, 0),
        'count',
        'all trials: canary keys whose last acknowledged write was gone after the failover',
      ),
      'canary-keys-checked': value(
        results.reduce((sum, r) => sum + r.canariesChecked, 0),
        'count',
        'all trials: canary keys on the killed master read back after the failover',
      ),
      'steady-p99-ms': value(
        median(results.map((r) => r.figures.steadyP99Ms)),
        'ms',
        'median over trials: p99 of successful operations before the kill (from the actual send)',
      ),
      'during-failover-p99-ms': value(
        median(results.map((r) => r.figures.duringP99Ms)),
        'ms',
        'median over trials: p99 of successful operations sent between the kill and the write recovery',
      ),
    },
    trials: {
      'write-recovery-ms': trialsOf((r) => r.figures.writeRecoveryMs),
      'write-recovery-beyond-detection-ms': beyond.map((v) => v ?? Number.NaN),
      'promotion-ms': trialsOf((r) => r.promotionMs),
      'failed-writes': trialsOf((r) => r.figures.failedWrites),
      'failed-reads': trialsOf((r) => r.figures.failedReads),
      'lost-acknowledged-writes': trialsOf((r) => r.lostAckedWrites),
    },
    verdicts,
    parameters: {
      ...params,
      topology: topology.description,
      detectionSetting: detectionName,
      victims: results.map((r) => r.victimPort),
    },
    notes,
    series,
    events,
  };
}

function fmt(ms: number | null): string {
  return ms === null ? 'never' : ms.toFixed(0);
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
    claims: claimsForScenario(id).map((c) => c.id),
    tunables: FAILOVER_TUNABLES,
    topologies: [kind],
    run: (context) => run(kind, context),
  };
}

export const clusterFailover: Scenario = failoverScenario('cluster');
export const sentinelFailover: Scenario = failoverScenario('sentinel');
