import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState, CacheHealthSnapshot, CacheHealthSource } from '../cache/cache-health.ts';
import type { CacheCallObserver } from './timed-feature-store.ts';

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half-open'];

/** Request latency buckets in seconds: the document's 5 ms hit and 50 ms miss sit inside the range. */
const REQUEST_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Redis command buckets: sub-millisecond on loopback up to the 5 ms P99 the document targets, and timeouts. */
const COMMAND_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Observes one HTTP request (route is the route pattern, never the raw URL, to bound label cardinality). */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
  readonly observeCacheCall: CacheCallObserver;
  /** Prometheus text exposition format. */
  render(): Promise<string>;
  readonly contentType: string;
}

/**
 * The service's metrics in a registry of its own (not prom-client's global one, so that two
 * services in one process, as in tests and the http-signals scenario, never share counters).
 * Cache counters and states are read from the CacheHealthSource at scrape time.
 */
export function createServiceMetrics(health: CacheHealthSource, prefix = 'rpb_'): ServiceMetrics {
  const registry = new Registry();

  const requestDuration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request latency, from the request arriving to the reply being sent',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: REQUEST_BUCKETS_S,
    registers: [registry],
  });
  const commandDuration = new Histogram({
    name: `${prefix}redis_command_duration_seconds`,
    help: 'Latency of each cache call to Redis (GET, SET EX, MGET, pipelined SET EX), failures included',
    labelNames: ['operation', 'outcome'] as const,
    buckets: COMMAND_BUCKETS_S,
    registers: [registry],
  });
  registerCacheMetrics(registry, prefix, () => health.health());

  return {
    registry,
    observeRequest: (method, route, statusCode, seconds) =>
      requestDuration.observe({ method, route, status_code: String(statusCode) }, seconds),
    observeCacheCall: (operation, seconds, ok) =>
      commandDuration.observe({ operation, outcome: ok ? 'ok' : 'error' }, seconds),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/** The cache's counters and states, each read from a fresh health snapshot at scrape time. */
function registerCacheMetrics(registry: Registry, prefix: string, snapshot: () => CacheHealthSnapshot): void {
  const fromSnapshot = (name: string, help: string, read: (s: CacheHealthSnapshot) => number) =>
    new Counter({
      name: `${prefix}${name}`,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(snapshot()));
      },
    });
  const flag = (name: string, help: string, read: (s: CacheHealthSnapshot) => boolean) =>
    new Gauge({
      name: `${prefix}${name}`,
      help,
      registers: [registry],
      collect() {
        this.set(read(snapshot()) ? 1 : 0);
      },
    });
  fromSnapshot('cache_hits_total', 'Feature cache hits (usable cached vectors)', (s) => s.hits);
  fromSnapshot('cache_misses_total', 'Feature cache misses (absent or unusable values)', (s) => s.misses);
  fromSnapshot(
    'cache_fallbacks_total',
    'Cache lookups served without Redis (error, timeout, breaker open); with REDIS_ENABLED=false, every request',
    (s) => s.fallbacks,
  );
  new Counter({
    name: `${prefix}cache_errors_total`,
    help: 'Failed cache calls by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [kind, count] of Object.entries(snapshot().errorsByKind)) this.inc({ kind }, count);
    },
  });
  new Gauge({
    name: `${prefix}cache_hit_ratio`,
    help: 'hits / (hits + misses) since start; NaN before the first lookup',
    registers: [registry],
    collect() {
      const s = snapshot();
      const lookups = s.hits + s.misses;
      this.set(lookups === 0 ? Number.NaN : s.hits / lookups);
    },
  });
  new Gauge({
    name: `${prefix}cache_breaker_state`,
    help: 'Circuit breaker state: 1 for the current state, 0 for the others',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const current = snapshot().breakerState;
      for (const state of BREAKER_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  flag('redis_connected', '1 when the cache client is connected to Redis', (s) => s.connected);
  flag('redis_enabled', '1 when Redis use is switched on (REDIS_ENABLED)', (s) => s.enabled);
}
