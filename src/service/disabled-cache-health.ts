import type { CacheHealthSnapshot, CacheHealthSource } from '../cache/cache-health.ts';

/**
 * The CacheHealthSource of a service started with REDIS_ENABLED=false: no client, no breaker, no
 * lookups; every request is served without Redis and counts as a fallback.
 */
export class DisabledCacheHealth implements CacheHealthSource {
  private fallbackCount = 0;

  /** Counts one request served without Redis. */
  recordFallback(): void {
    this.fallbackCount += 1;
  }

  health(): CacheHealthSnapshot {
    return {
      enabled: false,
      connected: false,
      breakerState: 'closed',
      hits: 0,
      misses: 0,
      fallbacks: this.fallbackCount,
      errorsByKind: {},
    };
  }
}
