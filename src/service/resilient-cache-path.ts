import type { Redis } from 'ioredis';
import type { CacheHealthSource } from '../cache/cache-health.ts';
import { FeatureCache } from '../cache/feature-cache.ts';
import { ResilientFeatureCache } from '../cache/resilient-feature-cache.ts';
import type { Logger } from '../logger.ts';
import type { FeatureStore } from '../signals/signal-generator.ts';
import type { ServiceConfig } from './service-config.ts';
import type { CacheCallObserver } from './timed-feature-store.ts';
import { timedFeatureStore } from './timed-feature-store.ts';

/** What the service's SignalGenerator reads through, and what /health and /metrics report. */
export interface CachePath {
  readonly store: FeatureStore;
  readonly health: CacheHealthSource;
}

/**
 * Room above the client's command timeout for the resilient cache's own budget per call: the
 * client gives up first (a clean "timed out"), the budget only catches what the client misses
 * (e.g. a loaded event loop). 100 ms + 50 ms is ResilientFeatureCache's default pair.
 */
export const CALL_BUDGET_HEADROOM_MS = 50;

/**
 * The production cache path (the chaos scenarios' "safe" client): FeatureCache under the
 * ResilientFeatureCache (per-call budget, circuit breaker, connection reset after a timeout).
 * Command latency is timed below the breaker, so the metric holds real Redis round trips only,
 * never the instant refusals of an open circuit.
 */
export function resilientCachePath(
  client: Redis,
  config: ServiceConfig,
  observeCacheCall: CacheCallObserver,
  logger: Logger,
): CachePath {
  const cache = new FeatureCache({ client, ttlSeconds: config.cacheTtlSeconds, logger });
  const resilient = new ResilientFeatureCache(timedFeatureStore(cache, observeCacheCall), client, {
    callTimeoutMs: config.redisCommandTimeoutMs + CALL_BUDGET_HEADROOM_MS,
    breaker: { failureThreshold: config.breakerFailureThreshold, openDurationMs: config.breakerOpenMs },
    resetConnectionOnTimeout: true,
    logger,
  });
  return { store: resilient, health: resilient };
}
