/** The connections compression reads over: direct, and through a bandwidth-limited fault proxy. */
import type { Redis } from 'ioredis';
import { isLoopbackAddress } from '../../bench/faults/fault-proxy-options.ts';
import { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import type { Toxic } from '../../bench/faults/toxic.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import type { CompressionParams } from './compression-params.ts';

export interface Route {
  readonly clients: { direct: Redis; limited: Redis | null };
  readonly proxy: FaultProxy | null;
  readonly skippedLimited: string | null;
}

/** Opens the direct client and, when a bandwidth is set and the target is on loopback, the limited one. */
export async function openRoute(context: ScenarioContext, params: CompressionParams): Promise<Route> {
  const clientOptions = { commandTimeoutMs: 60_000, connectionName: 'rpb-compression' };
  const opened: Redis[] = [];
  let proxy: FaultProxy | null = null;
  let skippedLimited: string | null = null;
  try {
    const direct = createRedisClient(context.target.url, clientOptions);
    opened.push(direct);
    let limited: Redis | null = null;
    const url = new URL(context.target.url);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (params.bandwidthKbPerSecond > 0 && !isLoopbackAddress(host === 'localhost' ? '127.0.0.1' : host)) {
      skippedLimited = `no limited link: the target ${context.target.redactedUrl} is not on loopback, and the fault proxy forwards only to loopback`;
    } else if (params.bandwidthKbPerSecond > 0) {
      const toxics: Toxic[] = [
        { kind: 'bandwidth', kbPerSecond: params.bandwidthKbPerSecond, direction: 'downstream' },
      ];
      if (params.limitedRttMs > 0)
        toxics.push({ kind: 'latency', latencyMs: params.limitedRttMs / 2, direction: 'both' });
      proxy = await FaultProxy.start({
        upstreamHost: host === 'localhost' ? '127.0.0.1' : host,
        upstreamPort: Number(url.port || 6379),
        toxics,
        seed: context.params.seed,
      });
      url.hostname = proxy.host;
      url.port = String(proxy.port);
      limited = createRedisClient(url.toString(), { ...clientOptions, connectionName: 'rpb-compression-limited' });
      opened.push(limited);
    }
    for (const client of opened) await waitUntilReady(client, 5_000);
    return { clients: { direct, limited }, proxy, skippedLimited };
  } catch (error) {
    for (const client of opened) client.disconnect();
    await proxy?.close();
    throw error;
  }
}

export async function closeRoute(route: Route): Promise<void> {
  for (const client of [route.clients.direct, route.clients.limited]) client?.disconnect();
  await route.proxy?.close();
}
