/** The deployment-specific steps of a failover trial (cluster or Sentinel), on a deployment the harness started. */
import { keySlot } from '../../src/redis/key-slot.ts';
import type { CacheClientOptions } from '../../src/redis/client-options.ts';
import { createTopologyClient } from '../../src/redis/topology-client.ts';
import type { TopologyClient } from '../../src/redis/topology-client.ts';
import { ConfigError } from '../../bench/errors.ts';
import { ManagedCluster } from '../../bench/targets/managed-cluster.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { ManagedSentinel } from '../../bench/targets/managed-sentinel.ts';
import type { ScenarioTopology } from '../../bench/targets/topology-target.ts';
import type { FailoverKind, FailoverTimings } from './failover-settings.ts';

/** A managed deployment a failover scenario may kill nodes of. */
export type FailoverDeployment =
  | { readonly kind: 'cluster'; readonly cluster: ManagedCluster }
  | { readonly kind: 'sentinel'; readonly sentinel: ManagedSentinel };

/** The deployment-specific steps: set the timings, choose and kill the victim, watch the promotion, heal. */
export interface FailoverTarget {
  readonly kind: FailoverKind;
  /** One line for conditions: what the deployment is. */
  readonly description: string;
  applyTimings(timings: FailoverTimings): Promise<void>;
  victim(laneTrial: number): Promise<ManagedRedis>;
  /** Which keys the victim holds (by index). */
  affected(victim: ManagedRedis, keys: readonly string[]): Promise<boolean[]>;
  /** Port of the node now named master for the victim's role, or null while it is still the victim. */
  promoted(victim: ManagedRedis, probeKey: string): Promise<number | null>;
  /** Restarts the killed node, lets it rejoin as a replica and waits until the deployment has converged. */
  heal(victim: ManagedRedis, timeoutMs: number): Promise<void>;
  waitHealthy(timeoutMs: number): Promise<void>;
  /** A client that follows this deployment (ioredis Cluster, or sentinel-aware Redis); the caller closes it. */
  createClient(options: Partial<CacheClientOptions>): TopologyClient;
}

/** The run's own deployment (--topology), refused when the harness did not start it. */
export function runDeployment(kind: FailoverKind, topology: ScenarioTopology | undefined): FailoverDeployment {
  if (topology === undefined || topology.kind !== kind)
    throw new ConfigError(`${kind}-failover runs on --topology ${kind} (got ${topology?.kind ?? 'standalone'})`, {
      hint: `run it with --topology ${kind}, or without --topology`,
    });
  if (kind === 'cluster') {
    if (topology.cluster === null)
      throw new ConfigError(
        'cluster-failover kills a cluster master: it needs the managed cluster (--topology cluster without --redis-url)',
        { hint: 'the harness never kills a Redis it did not start; drop --redis-url' },
      );
    return { kind, cluster: topology.cluster };
  }
  if (topology.sentinel === null)
    throw new ConfigError(
      'sentinel-failover kills the sentinel master: it needs the managed deployment (--topology sentinel)',
      { hint: 'the harness never kills a Redis it did not start' },
    );
  return { kind, sentinel: topology.sentinel };
}

/** One more deployment like the run's (3 + 3 cluster, or 1 + 2 with 3 sentinels); the caller stops it. */
export async function startDeployment(kind: FailoverKind): Promise<FailoverDeployment> {
  return kind === 'cluster'
    ? { kind, cluster: await ManagedCluster.start() }
    : { kind, sentinel: await ManagedSentinel.start() };
}

export function stopDeployment(deployment: FailoverDeployment): Promise<void> {
  return deployment.kind === 'cluster' ? deployment.cluster.stop() : deployment.sentinel.stop();
}

export function failoverTarget(deployment: FailoverDeployment): FailoverTarget {
  return deployment.kind === 'cluster' ? clusterTarget(deployment.cluster) : sentinelTarget(deployment.sentinel);
}

function clusterTarget(cluster: ManagedCluster): FailoverTarget {
  const descriptor = { kind: 'cluster', seedUrls: cluster.seedUrls } as const;
  return {
    kind: 'cluster',
    description: `managed Redis Cluster, ${cluster.masterCount} masters + ${cluster.masterCount * cluster.replicasPerMaster} replicas`,
    applyTimings: (timings) => cluster.setNodeTimeout(timings.detectionMs),
    victim: async (laneTrial) => {
      const masters = await cluster.masters();
      return masters[laneTrial % masters.length];
    },
    affected: async (victim, keys) => {
      const slots = await cluster.slotsOf(victim);
      return keys.map((key) => slots.has(keySlot(key)));
    },
    promoted: async (victim, probeKey) => {
      const master = await cluster.masterOfSlot(keySlot(probeKey));
      return master === victim ? null : master.port;
    },
    heal: (victim, timeoutMs) => cluster.rejoin(victim, timeoutMs),
    waitHealthy: (timeoutMs) => cluster.waitHealthy(timeoutMs),
    createClient: (options) => createTopologyClient(descriptor, options),
  };
}

function sentinelTarget(sentinel: ManagedSentinel): FailoverTarget {
  const descriptor = sentinel.topology();
  return {
    kind: 'sentinel',
    description: `managed Sentinel, 1 master + ${sentinel.nodes.length - 1} replicas, ${sentinel.sentinels.length} sentinels (quorum ${sentinel.quorum})`,
    applyTimings: (timings) =>
      sentinel.setTimings({ downAfterMs: timings.detectionMs, failoverTimeoutMs: timings.failoverTimeoutMs }),
    victim: () => sentinel.announcedMaster(),
    affected: async (_victim, keys) => keys.map(() => true),
    promoted: async (victim) => {
      const master = await sentinel.announcedMaster();
      return master === victim ? null : master.port;
    },
    heal: (victim, timeoutMs) => sentinel.rejoin(victim, timeoutMs),
    waitHealthy: (timeoutMs) => sentinel.waitHealthy(timeoutMs),
    createClient: (options) => createTopologyClient(descriptor, options),
  };
}
