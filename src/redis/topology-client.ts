import { Cluster, Redis } from 'ioredis';
import type { CacheClientOptions } from './client-options.ts';
import { resolveCacheClientOptions } from './client-options.ts';
import { createRedisClient } from './client-factory.ts';
import { reconnectDelayMs } from './reconnect-backoff.ts';
import { parseRedisUrl } from './redis-url.ts';
import { restartAfterUnexpectedEnd } from './restart-after-unexpected-end.ts';

/** How to reach Redis: one server, a Redis Cluster (any reachable seed finds the rest), or Sentinel. */
export type RedisTopology =
  | { readonly kind: 'standalone'; readonly url: string }
  | { readonly kind: 'cluster'; readonly seedUrls: readonly string[] }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly { readonly host: string; readonly port: number }[];
      /** The name the sentinels monitor the master under (`sentinel monitor <name> ...`). */
      readonly masterName: string;
      /** Password of the data nodes (requirepass); sentinels are assumed open on loopback. */
      readonly password?: string;
    };

export type TopologyKind = RedisTopology['kind'];
export const TOPOLOGY_KINDS: readonly TopologyKind[] = ['standalone', 'sentinel', 'cluster'];

export type TopologyClient = Redis | Cluster;

/**
 * A cache client for any topology, with the same fail-fast settings as createRedisClient:
 * - cluster: slots are discovered from the seeds; MOVED / failover are followed by ioredis.
 * - sentinel: the master is asked of the sentinels on every (re)connect, and `+switch-master` is
 *   watched (failoverDetector) so a promoted replica is picked up without waiting for a timeout.
 */
export function createTopologyClient(
  topology: RedisTopology,
  options: Partial<CacheClientOptions> = {},
): TopologyClient {
  if (topology.kind === 'standalone') return createRedisClient(topology.url, options);
  const resolved = resolveCacheClientOptions(options);
  const retryStrategy = (attempt: number): number =>
    reconnectDelayMs(attempt, resolved.reconnectBaseDelayMs, resolved.reconnectMaxDelayMs);
  const common = {
    commandTimeout: resolved.commandTimeoutMs,
    connectTimeout: resolved.connectTimeoutMs,
    maxRetriesPerRequest: resolved.maxRetriesPerRequest,
    autoResendUnfulfilledCommands: resolved.autoResendUnfulfilledCommands,
    keepAlive: resolved.keepAliveMs,
    connectionName: resolved.connectionName,
    // Redis < 7.2 answers CLIENT SETINFO with an error reply, which `rpb monitor` would report.
    disableClientInfo: true,
  };
  if (topology.kind === 'sentinel') {
    const client = new Redis({
      ...common,
      sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
      name: topology.masterName,
      password: topology.password,
      enableOfflineQueue: resolved.enableOfflineQueue,
      lazyConnect: resolved.lazyConnect,
      retryStrategy,
      sentinelRetryStrategy: retryStrategy,
      failoverDetector: true,
    });
    watch(client, `sentinel master ${topology.masterName}`, resolved);
    restartAfterUnexpectedEnd(client, resolved.reconnectBaseDelayMs, () =>
      resolved.logger.warn(
        'the sentinel client ended without being closed (an ioredis failover-detector race); starting it again',
        { target: topology.masterName },
      ),
    );
    return client;
  }
  if (topology.seedUrls.length === 0) throw new RangeError('a cluster topology needs at least one seed URL');
  const seeds = topology.seedUrls.map((url) => parseRedisUrl(url));
  const first = seeds[0];
  const cluster = new Cluster(
    seeds.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: {
        ...common,
        username: first.username,
        password: first.password,
        ...(first.tls ? { tls: { ...resolved.tls } } : {}),
      },
      enableOfflineQueue: resolved.enableOfflineQueue,
      lazyConnect: resolved.lazyConnect,
      clusterRetryStrategy: retryStrategy,
      // Short waits before retrying a command caught by a failover or a CLUSTERDOWN: the command
      // timeout still bounds the whole call.
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
    },
  );
  watch(cluster, `cluster seeds ${seeds.map((s) => `${s.host}:${s.port}`).join(',')}`, resolved);
  return cluster;
}

/** State changes reported once each (not every failed reconnect), without the password. */
function watch(client: TopologyClient, shown: string, options: CacheClientOptions): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    options.logger.warn('Redis connection error; cache calls fail fast until it reconnects', {
      target: shown,
      error: error.message,
    });
  });
  client.on('ready', () => {
    if (down) options.logger.info('Redis connection restored', { target: shown });
    down = false;
  });
}
