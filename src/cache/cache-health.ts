/**
 * What the cache path reports about itself, for the health endpoint, /metrics and `rpb monitor`.
 * A contract between the resilient cache path (circuit breaker, fallbacks) and its readers: the
 * service renders it, chaos scenarios sample it over time.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CacheHealthSnapshot {
  /** Redis use switched on by configuration (REDIS_ENABLED); false: every request computes. */
  readonly enabled: boolean;
  /** The client's connection is up right now. */
  readonly connected: boolean;
  /** Circuit breaker state; 'closed' when calls go to Redis. */
  readonly breakerState: BreakerState;
  readonly hits: number;
  readonly misses: number;
  /** Cache lookups given up (error, timeout, breaker open); with the cache disabled, every request. */
  readonly fallbacks: number;
  /** Redis call failures by kind, e.g. { timeout: 3, connection: 1, 'breaker-open': 40 }. */
  readonly errorsByKind: Readonly<Record<string, number>>;
}

/** Anything that can report a CacheHealthSnapshot (the resilient cache, a test double). */
export interface CacheHealthSource {
  health(): CacheHealthSnapshot;
  /** Asks Redis (PING within a deadline), as the document's health_check() does; absent: `connected` is used. */
  checkConnection?(): Promise<boolean>;
}

/** hits / (hits + misses), or null before the first lookup. */
export function hitRate(snapshot: Pick<CacheHealthSnapshot, 'hits' | 'misses'>): number | null {
  const lookups = snapshot.hits + snapshot.misses;
  return lookups === 0 ? null : snapshot.hits / lookups;
}
