import type { Redis } from 'ioredis';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import type { CacheClientOptions } from '../../src/redis/client-options.ts';
import { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import { namedTargetUpstream } from '../../bench/faults/fault-proxy-options.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import type { BatchClients } from './batch-fetch.ts';

/** A pair of clients reaching Redis with a given added round trip (0: directly). */
export interface RttRoute {
  readonly addedRttMs: number;
  readonly clients: BatchClients;
  /** null for the direct route. */
  readonly proxy: FaultProxy | null;
}

export interface RttRoutes {
  readonly routes: readonly RttRoute[];
  /** Disconnects every client and closes every proxy; idempotent. */
  close(): Promise<void>;
}

export interface RttRoutesOptions {
  /** The service's client options, as the SUT would use them, plus the overrides a measurement needs. */
  readonly clientOptions: Partial<CacheClientOptions>;
  readonly readyTimeoutMs: number;
}

export const DEFAULT_RTT_ROUTES_OPTIONS: RttRoutesOptions = {
  // A timeout would drop a slow but correct batch (500 values through a proxy on a busy machine);
  // this measures round trips, not the service's fail-fast policy.
  clientOptions: { commandTimeoutMs: 10_000, connectionName: 'rpb-pipelining' },
  readyTimeoutMs: 5_000,
};

/** The same URL (credentials, database, TLS) with host and port pointed at the proxy. */
function throughProxy(redisUrl: string, proxy: FaultProxy): string {
  const url = new URL(redisUrl);
  url.hostname = proxy.host;
  url.port = String(proxy.port);
  return url.toString();
}

/**
 * createRedisClient (the service's safe options) has no auto-pipelining switch; ioredis reads
 * options.enableAutoPipelining on every command, so turning it on before the first command gives
 * the very same client with auto-pipelining, and the two differ in nothing else.
 */
function openClients(url: string, options: RttRoutesOptions, opened: Redis[]): BatchClients {
  const plain = createRedisClient(url, options.clientOptions);
  opened.push(plain);
  const autoPipelined = createRedisClient(url, {
    ...options.clientOptions,
    connectionName: `${options.clientOptions.connectionName ?? 'rpb'}-auto`,
  });
  opened.push(autoPipelined);
  autoPipelined.options.enableAutoPipelining = true;
  return { plain, autoPipelined };
}

/**
 * One route per added round trip: 0 connects directly; any other figure goes through its own
 * fault proxy with a latency toxic of the whole round trip on the replies (direction 'downstream').
 * A request/reply round trip gains the same either way, but the proxy's timers wait at least 1 ms:
 * half each way pays that floor twice (a nominal +1 ms measured +2.4 ms here), one way once (+1.1 ms).
 * On failure, whatever was opened is closed before the error is thrown.
 */
export async function openRttRoutes(
  redisUrl: string,
  addedRttsMs: readonly number[],
  options: RttRoutesOptions = DEFAULT_RTT_ROUTES_OPTIONS,
): Promise<RttRoutes> {
  const clients: Redis[] = [];
  const proxies: FaultProxy[] = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const client of clients) client.disconnect();
      await Promise.all(proxies.map((proxy) => proxy.close()));
    })();
    return closing;
  };
  try {
    const routes: RttRoute[] = [];
    for (const addedRttMs of addedRttsMs) {
      let proxy: FaultProxy | null = null;
      if (addedRttMs > 0) {
        // The scenario's own target, also off loopback (a --redis-url host, a compose service): the
        // proxy listens on loopback and forwards to that one Redis only.
        proxy = await FaultProxy.start({
          ...namedTargetUpstream(redisUrl),
          toxics: [{ kind: 'latency', latencyMs: addedRttMs, direction: 'downstream' }],
        });
        proxies.push(proxy);
      }
      const pair = openClients(proxy === null ? redisUrl : throughProxy(redisUrl, proxy), options, clients);
      routes.push({ addedRttMs, clients: pair, proxy });
    }
    // One at a time (they connect concurrently anyway): a failure leaves no other wait's timer behind.
    for (const client of clients) await waitUntilReady(client, options.readyTimeoutMs);
    return { routes, close };
  } catch (error) {
    await close();
    throw error;
  }
}
