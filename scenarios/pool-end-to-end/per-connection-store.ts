/**
 * The signal service without a pool: every cache call opens a new Redis connection, uses it once
 * and drops it (what Optimization 3 advises against). Everything else is the service's own cache
 * path: src FeatureCache under the ResilientFeatureCache with the service's budget and breaker.
 */
import type { Redis } from 'ioredis';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import type { FeatureEntry } from '../../src/cache/feature-cache.ts';
import { ResilientFeatureCache } from '../../src/cache/resilient-feature-cache.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { CALL_BUDGET_HEADROOM_MS } from '../../src/service/resilient-cache-path.ts';
import type { CachePath } from '../../src/service/signal-service.ts';
import type { ServiceConfig } from '../../src/service/service-config.ts';
import type { FeatureStore } from '../../src/signals/signal-generator.ts';

/** Counts of the connections the store opened and closed. */
export interface ConnectionCounts {
  opened: number;
  closed: number;
}

/** A FeatureStore that connects, runs one cache call and disconnects, every time. */
export function perConnectionStore(url: string, ttlSeconds: number, counts: ConnectionCounts): FeatureStore {
  const once = async <T>(call: (cache: FeatureCache) => Promise<T>): Promise<T> => {
    const client = createRedisClient(url, { connectionName: 'rpb-pool-e2e-per-request', lazyConnect: true });
    client.on('error', () => {});
    counts.opened += 1;
    try {
      await client.connect();
      return await call(new FeatureCache({ client, ttlSeconds }));
    } finally {
      client.disconnect();
      counts.closed += 1;
    }
  };
  return {
    get: (symbol: string, date: string) => once((cache) => cache.get(symbol, date)),
    getMany: (symbols: readonly string[], date: string) => once((cache) => cache.getMany(symbols, date)),
    set: (symbol: string, date: string, features: Float64Array) => once((cache) => cache.set(symbol, date, features)),
    setMany: (entries: readonly FeatureEntry[], date: string) => once((cache) => cache.setMany(entries, date)),
  };
}

/** The service's cachePath dependency for the per-request-connection instance. */
export function perConnectionCachePath(counts: ConnectionCounts) {
  return (client: Redis, config: ServiceConfig): CachePath => {
    if (config.redisUrl === null) throw new Error('the per-connection cache path needs REDIS_URL');
    const resilient = new ResilientFeatureCache(
      perConnectionStore(config.redisUrl, config.cacheTtlSeconds, counts),
      client,
      {
        callTimeoutMs: config.redisCommandTimeoutMs + CALL_BUDGET_HEADROOM_MS,
        breaker: { failureThreshold: config.breakerFailureThreshold, openDurationMs: config.breakerOpenMs },
        resetConnectionOnTimeout: false,
      },
    );
    return { store: resilient, health: resilient };
  };
}
