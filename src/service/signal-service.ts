import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { CacheHealthSource } from '../cache/cache-health.ts';
import { createRateLimitedLogger } from '../logger.ts';
import type { Logger } from '../logger.ts';
import { cacheWarningKind } from '../cache/resilient-feature-cache.ts';
import type { MarketDataSource } from '../market/market-data-source.ts';
import { ParquetStore } from '../market/parquet-store.ts';
import { createRedisClient } from '../redis/client-factory.ts';
import { checkRedisHealth } from '../redis/health-check.ts';
import { redactRedisUrl } from '../redis/redis-url.ts';
import type { LinearModel } from '../signals/linear-model.ts';
import { ModelRegistry } from '../signals/model-registry.ts';
import { SignalGenerator } from '../signals/signal-generator.ts';
import type { FeatureStore } from '../signals/signal-generator.ts';
import { DisabledCacheHealth } from './disabled-cache-health.ts';
import type { CachePath } from './resilient-cache-path.ts';
import { resilientCachePath } from './resilient-cache-path.ts';
import type { ServiceConfig } from './service-config.ts';
import { createServiceMetrics } from './service-metrics.ts';
import { buildSignalApp } from './signal-app.ts';
import type { CacheCallObserver } from './timed-feature-store.ts';

export type { CachePath } from './resilient-cache-path.ts';

export interface SignalServiceDeps {
  readonly logger: Logger;
  /** Default: a ParquetStore over config.marketDataDir (required then). */
  readonly market?: MarketDataSource;
  /** Default: ModelRegistry.load() (the committed model); a failure leaves the service up but unhealthy. */
  readonly loadModel?: () => Promise<LinearModel>;
  /**
   * Builds the cache path over the service's Redis client (wrap its store with timedFeatureStore and
   * observeCacheCall for the command latency metric); default: resilientCachePath.
   */
  readonly cachePath?: (client: Redis, config: ServiceConfig, observeCacheCall: CacheCallObserver) => CachePath;
  /** How long the startup PING may take before the service starts anyway (the document: "continuing without cache"). */
  readonly startupCheckMs?: number;
}

export interface SignalService {
  readonly app: FastifyInstance;
  /** http://host:port actually bound (PORT=0 picks a free port). */
  readonly url: string;
  readonly port: number;
  /** What the cache path reports (the same source /health and /metrics render). */
  readonly cacheHealth: CacheHealthSource;
  /** Stops accepting, lets in-flight requests finish (bounded by shutdownGraceMs), closes Redis. Idempotent. */
  close(): Promise<void>;
}

/**
 * The document's signal service: cache-aside signals (Pattern 1) that keep working without Redis
 * (Pattern 3), with the health check and metrics of Pattern 4. A Redis that is down at startup is
 * not fatal: the client keeps reconnecting in the background, and meanwhile the resilient cache
 * path's circuit breaker refuses cache calls at once (a few failures open it, instead of one timeout
 * per request), so the cache comes back by itself instead of staying off until a restart.
 */
export async function startSignalService(config: ServiceConfig, given: SignalServiceDeps): Promise<SignalService> {
  // A failing Redis logs one warning line per kind of failure per second, with a count, never one per request.
  const logger = createRateLimitedLogger(given.logger, { kindOf: cacheWarningKind });
  const deps: SignalServiceDeps = { ...given, logger };
  const market = marketOf(config, deps);
  const model = await loadModelOrNull(deps);
  // The metrics read the cache path's health at scrape time (after `cache` is set); the path is
  // built next, with their observer.
  const metrics = createServiceMetrics({ health: () => cache.health.health() });
  const cache = await setUpCache(config, deps, metrics.observeCacheCall);
  const { store, disabled, health } = cache;
  let { client } = cache;

  const generator = model === null ? null : new SignalGenerator({ model, market, featureCache: store, logger });
  const app = buildSignalApp({
    generator,
    model,
    health,
    metrics,
    maxSymbolsPerRequest: config.maxSymbolsPerRequest,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    // With Redis on, the cache path counts its own fallbacks (each lookup given up).
    onBatch: () => disabled?.recordFallback(),
  });

  const closeRedis = async (): Promise<void> => {
    const c = client;
    client = null;
    // QUIT when connected (polite); a client still reconnecting to a dead server is just dropped.
    if (c !== null && c.status === 'ready') await c.quit().catch(() => c.disconnect());
    else c?.disconnect();
    // Writes the warnings still held back (with their counts) and stops the limiter's timers.
    logger.close();
  };
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await closeRedis();
    await app.close().catch(() => {});
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostInUrl}:${address.port}`;
  logger.info('Signal service listening', { url, redisEnabled: config.redisEnabled });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      logger.info('Shutting down: no new connections, waiting for in-flight requests', {
        graceMs: config.shutdownGraceMs,
      });
      // Requests still running after the grace period are cut, so shutdown always ends.
      const force = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs);
      // A keep-alive connection that was busy when close began turns idle after its answer; Node only
      // closes idle connections once, at the start, so sweep until the server is closed.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearTimeout(force);
        clearInterval(sweep);
        await closeRedis();
      }
      logger.info('Signal service stopped');
    })());
  return { app, url, port: address.port, cacheHealth: health, close };
}

function marketOf(config: ServiceConfig, deps: SignalServiceDeps): MarketDataSource {
  if (deps.market !== undefined) return deps.market;
  if (config.marketDataDir === null) throw new Error('MARKET_DATA_DIR is not set and no market data source was given');
  return new ParquetStore(config.marketDataDir);
}

/** The model, or null when it fails to load: the service stays up and /health says unhealthy. */
async function loadModelOrNull(deps: SignalServiceDeps): Promise<LinearModel | null> {
  try {
    return await (deps.loadModel ?? (() => ModelRegistry.load()))();
  } catch (error) {
    deps.logger.error('Model failed to load; serving /health as unhealthy', {
      error: error instanceof Error ? error.message : String(error),
    });
    return null;
  }
}

/** The service's cache, on Redis or switched off. */
interface CacheSetup {
  readonly client: Redis | null;
  readonly store: FeatureStore | null;
  readonly health: CacheHealthSource;
  /** Set when Redis is switched off: it counts every request as a fallback. */
  readonly disabled: DisabledCacheHealth | null;
}

/** Builds the cache path; a Redis that does not answer at startup is logged, never fatal. */
async function setUpCache(
  config: ServiceConfig,
  deps: SignalServiceDeps,
  observeCacheCall: CacheCallObserver,
): Promise<CacheSetup> {
  const { logger } = deps;
  if (!config.redisEnabled || config.redisUrl === null) {
    logger.info('Redis disabled (REDIS_ENABLED=false): every request computes its features');
    const disabled = new DisabledCacheHealth();
    return { client: null, store: null, health: disabled, disabled };
  }
  // The client factory's settings are the chaos scenarios' "safe" client: command timeout, no
  // offline queue, one retry per command, reconnection forever with capped backoff and jitter.
  const client = createRedisClient(config.redisUrl, {
    commandTimeoutMs: config.redisCommandTimeoutMs,
    connectionName: 'rpb-signal-service',
    logger,
  });
  const { store, health } =
    deps.cachePath !== undefined
      ? deps.cachePath(client, config, observeCacheCall)
      : resilientCachePath(client, config, observeCacheCall, logger);
  const check = await checkRedisHealth(client, deps.startupCheckMs ?? 1_000);
  const shown = redactRedisUrl(config.redisUrl);
  if (check.healthy) logger.info('Redis enabled', { url: shown });
  else logger.warn('Redis unreachable, continuing without cache until it answers', { url: shown, error: check.error });
  return { client, store, health, disabled: null };
}
