import { FEATURE_KEY_NAMESPACE } from '../../src/cache/feature-key.ts';
import type { CacheClientOptions } from '../../src/redis/client-options.ts';
import { createTopologyClient } from '../../src/redis/topology-client.ts';
import type { RedisTopology, TopologyClient, TopologyKind } from '../../src/redis/topology-client.ts';
import { ConfigError, InfraError } from '../errors.ts';
import { BENCH_DATABASE_MARKER_KEY } from './target-guard.ts';
import { ManagedCluster } from './managed-cluster.ts';
import type { ManagedClusterOptions } from './managed-cluster-options.ts';
import { ManagedSentinel } from './managed-sentinel.ts';
import type { ManagedSentinelOptions } from './managed-sentinel-options.ts';
import type { RedisConfigOverrides } from './redis-config.ts';
import { withProbeClient } from './redis-probe.ts';
import { checkRedisUrl, connectOptionsFromUrl } from './redis-url.ts';

export type { TopologyKind } from '../../src/redis/topology-client.ts';

/** What a scenario gets about the deployment it runs on (standalone included), and a client factory for it. */
export interface ScenarioTopology {
  readonly kind: TopologyKind;
  readonly descriptor: RedisTopology;
  /** The managed cluster (kill/pause a node, find a slot's master), or null. */
  readonly cluster: ManagedCluster | null;
  /** The managed Sentinel deployment (kill the master, wait for the switch), or null. */
  readonly sentinel: ManagedSentinel | null;
  /** One line for verdict conditions and notes, with the failover settings that govern timing. */
  readonly description: string;
  /**
   * A client that follows this topology (ioredis Cluster, sentinel-aware Redis, or plain Redis).
   * The caller closes it.
   */
  createClient(options?: Partial<CacheClientOptions>): TopologyClient;
}

export function standaloneTopology(url: string, description = 'standalone Redis'): ScenarioTopology {
  const descriptor: RedisTopology = { kind: 'standalone', url };
  return {
    kind: 'standalone',
    descriptor,
    cluster: null,
    sentinel: null,
    description,
    createClient: (options) => createTopologyClient(descriptor, options),
  };
}

export interface OpenTopologyOptions {
  readonly topology: Exclude<TopologyKind, 'standalone'>;
  /** A cluster seed URL (any one node); none: a managed deployment starts. */
  readonly redisUrl?: string;
  readonly configOverrides?: RedisConfigOverrides;
  readonly cluster?: Omit<ManagedClusterOptions, 'configOverrides'>;
  readonly sentinel?: Omit<ManagedSentinelOptions, 'configOverrides'>;
  /** Bound on checking a --redis-url cluster, resolved by openTarget. */
  readonly checkTimeoutMs: number;
}

export interface TopologyTarget {
  /** The URL the harness's admin connection uses: the seed node / the initial master. */
  readonly url: string;
  readonly redactedUrl: string;
  readonly version: string;
  readonly managed: boolean;
  readonly topology: ScenarioTopology;
  readonly ignoredConfigOverrides: readonly string[];
  close(): Promise<void>;
}

export async function openTopologyTarget(options: OpenTopologyOptions): Promise<TopologyTarget> {
  const configOverrides = options.configOverrides ?? {};
  if (options.redisUrl !== undefined && options.redisUrl !== '') {
    if (options.topology === 'sentinel') {
      throw new ConfigError(
        '--topology sentinel cannot be combined with --redis-url: a sentinel deployment is reached through its sentinels, not one URL',
        {
          hint: 'omit --redis-url to let the harness start 1 master, 2 replicas and 3 sentinels, or use --topology cluster with a cluster seed URL',
        },
      );
    }
    return openClusterUrl(options.redisUrl, Object.keys(configOverrides), options.checkTimeoutMs);
  }
  if (options.topology === 'cluster') {
    return managedClusterTarget(await ManagedCluster.start({ ...options.cluster, configOverrides }));
  }
  return managedSentinelTarget(await ManagedSentinel.start({ ...options.sentinel, configOverrides }));
}

function managedClusterTarget(cluster: ManagedCluster): TopologyTarget {
  const descriptor: RedisTopology = { kind: 'cluster', seedUrls: cluster.seedUrls };
  const { masterCount: masters, replicasPerMaster: replicas } = cluster;
  return {
    url: cluster.seedUrls[0],
    redactedUrl: cluster.redactedSeedUrls[0],
    version: cluster.version,
    managed: true,
    ignoredConfigOverrides: [],
    topology: {
      kind: 'cluster',
      descriptor,
      cluster,
      sentinel: null,
      // A getter: a scenario may change the timeout at run time (ManagedCluster.setNodeTimeout).
      get description() {
        return `managed Redis Cluster, ${masters} masters + ${masters * replicas} replicas, cluster-node-timeout ${cluster.nodeTimeoutMs} ms`;
      },
      createClient: (clientOptions) => createTopologyClient(descriptor, clientOptions),
    },
    close: () => cluster.stop(),
  };
}

function managedSentinelTarget(sentinel: ManagedSentinel): TopologyTarget {
  const descriptor = sentinel.topology();
  const master = sentinel.nodes[0];
  return {
    url: master.url,
    redactedUrl: master.redactedUrl,
    version: sentinel.version,
    managed: true,
    ignoredConfigOverrides: [],
    topology: {
      kind: 'sentinel',
      descriptor,
      cluster: null,
      sentinel,
      get description() {
        return `managed Sentinel, 1 master + ${sentinel.nodes.length - 1} replicas, ${sentinel.sentinels.length} sentinels (quorum ${sentinel.quorum}), down-after-milliseconds ${sentinel.downAfterMs}, failover-timeout ${sentinel.failoverTimeoutMs}`;
      },
      createClient: (clientOptions) => createTopologyClient(descriptor, clientOptions),
    },
    close: () => sentinel.stop(),
  };
}

/** A cluster the harness did not start: the URL is one seed node; the client discovers the rest. */
async function openClusterUrl(
  url: string,
  ignoredConfigOverrides: readonly string[],
  checkTimeoutMs: number,
): Promise<TopologyTarget> {
  const { version, redactedUrl } = await checkRedisUrl(url, checkTimeoutMs);
  let info: string;
  try {
    info = await withProbeClient(connectOptionsFromUrl(url), checkTimeoutMs, async (probe) =>
      String(await probe.call('CLUSTER', 'INFO')),
    );
  } catch (error) {
    throw new ConfigError(
      `--topology cluster: the Redis at ${redactedUrl} is not a cluster node (${(error as Error).message})`,
      {
        hint: 'point --redis-url at any node of a Redis Cluster (cluster-enabled yes), or drop --topology cluster for a standalone Redis',
      },
    );
  }
  if (!/cluster_state:ok/.test(info)) {
    throw new InfraError(
      `--topology cluster: the cluster behind ${redactedUrl} is not healthy (${/cluster_state:\w+/.exec(info)?.[0] ?? 'no cluster_state'})`,
      {
        hint: 'wait until CLUSTER INFO says cluster_state:ok, or fix the cluster',
      },
    );
  }
  const descriptor: RedisTopology = { kind: 'cluster', seedUrls: [url] };
  return {
    url,
    redactedUrl,
    version,
    managed: false,
    ignoredConfigOverrides,
    topology: {
      kind: 'cluster',
      descriptor,
      cluster: null,
      sentinel: null,
      description: `Redis Cluster given by --redis-url (seed ${redactedUrl})`,
      createClient: (clientOptions) => createTopologyClient(descriptor, clientOptions),
    },
    close: async () => undefined,
  };
}

/**
 * guardUrlTarget for a cluster: the marker lives in one slot, and the feature keys may sit on any
 * master, so every master is scanned (bounded) before anything is written.
 */
export async function guardClusterUrlTarget(topology: ScenarioTopology, redactedUrl: string): Promise<void> {
  const client = topology.createClient({
    connectionName: 'rpb-guard',
    commandTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
    enableOfflineQueue: true,
  });
  try {
    if ((await client.exists(BENCH_DATABASE_MARKER_KEY)) === 1) return;
    const masters = 'nodes' in client && client.isCluster ? client.nodes('master') : [];
    for (const node of masters) {
      let cursor = '0';
      for (let call = 0; call < 1_000; call += 1) {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${FEATURE_KEY_NAMESPACE}:*`, 'COUNT', 1000);
        if (keys.length > 0) {
          throw new ConfigError(
            `the Redis Cluster at ${redactedUrl} already holds feature keys (e.g. ${keys[0]}) that this harness did not write`,
            {
              hint: 'scenarios write and delete keys of that form with synthetic data: use an empty cluster, or omit --redis-url to let the harness start its own',
            },
          );
        }
        cursor = next;
        if (cursor === '0') break;
      }
    }
    await client.set(
      BENCH_DATABASE_MARKER_KEY,
      `redis-patterns-bench writes synthetic features:* keys here (first used ${new Date().toISOString()})`,
    );
  } finally {
    client.disconnect();
  }
}
