import type { Redis } from 'ioredis';
import type { CacheHealthSnapshot, CacheHealthSource } from '../cache/cache-health.ts';
import type { FeatureCacheStats } from '../cache/feature-cache.ts';

export interface BasicCacheHealthOptions {
  /** REDIS_ENABLED. */
  readonly enabled: boolean;
  /** The cache's client; null when Redis is disabled. */
  readonly client: Pick<Redis, 'status'> | null;
  /** The FeatureCache's counters; null when Redis is disabled. */
  readonly stats: (() => FeatureCacheStats) | null;
}

/**
 * A CacheHealthSource over a plain FeatureCache and its ioredis client, for a service without the
 * resilient cache path: there is no circuit breaker, so the state is always 'closed' (every call
 * goes to Redis and fails fast on its own command timeout). The resilient cache (issue 5)
 * implements the same interface and replaces this adapter.
 */
export class BasicCacheHealth implements CacheHealthSource {
  private readonly options: BasicCacheHealthOptions;
  private fallbackCount = 0;

  constructor(options: BasicCacheHealthOptions) {
    this.options = options;
  }

  /** Counts one request served without Redis (cache disabled, or a cache call failed). */
  recordFallback(): void {
    this.fallbackCount += 1;
  }

  health(): CacheHealthSnapshot {
    const { enabled, client, stats } = this.options;
    const counters = stats?.() ?? { hits: 0, misses: 0, corrupt: 0, errors: 0, sets: 0 };
    const errorsByKind: Record<string, number> = {};
    if (counters.errors > 0) errorsByKind.redis = counters.errors;
    if (counters.corrupt > 0) errorsByKind.corrupt = counters.corrupt;
    return {
      enabled,
      connected: enabled && client !== null && client.status === 'ready',
      breakerState: 'closed',
      hits: counters.hits,
      misses: counters.misses,
      fallbacks: this.fallbackCount,
      errorsByKind,
    };
  }
}
