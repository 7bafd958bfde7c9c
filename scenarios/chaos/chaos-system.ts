/** The system under test of one chaos variant: the safe resilient path, or ioredis defaults and the document's loop. */
import { Redis } from 'ioredis';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { ResilientFeatureCache } from '../../src/cache/resilient-feature-cache.ts';
import type { Logger, LogFields } from '../../src/logger.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import type { ComputeFeatures } from '../../src/signals/signal-generator.ts';
import { SignalGenerator } from '../../src/signals/signal-generator.ts';
import { nowEpochMs } from '../../bench/measure/clock.ts';
import type { ChaosVariant } from './chaos-faults.ts';
import type { ChaosClientParams, ChaosWorkload, LoggedEvent } from './chaos-types.ts';

/** Logs into memory with times (breaker transitions, warnings), never on the measured path's stderr. */
export class EventLog implements Logger {
  readonly events: LoggedEvent[] = [];
  warnings = 0;
  constructor(private readonly startMs: () => number) {}
  debug(): void {}
  error(message: string, fields?: LogFields): void {
    this.warn(message, fields);
  }
  info(message: string, fields?: LogFields): void {
    if (this.events.length < 5_000)
      this.events.push({ tMs: nowEpochMs() - this.startMs(), level: 'info', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.warnings += 1;
    if (this.events.length < 5_000)
      this.events.push({ tMs: nowEpochMs() - this.startMs(), level: 'warn', message, fields });
  }
}

export interface SystemUnderTest {
  readonly generator: SignalGenerator;
  readonly client: Redis;
  readonly resilient: ResilientFeatureCache | null;
}

export function openSystem(
  variant: ChaosVariant,
  sutUrl: string,
  workload: ChaosWorkload,
  client: ChaosClientParams,
  logger: Logger,
  computeFeatures: ComputeFeatures,
): SystemUnderTest {
  const { market, model } = workload;
  if (variant === 'naive') {
    // ioredis defaults, as `Redis(host=...)` in the document: no command timeout, offline queue on,
    // 20 retries per request.
    const url = new URL(sutUrl);
    const redis = new Redis({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(url.port || 6379),
      password: url.password === '' ? undefined : decodeURIComponent(url.password),
      connectionName: 'rpb-chaos-naive',
    });
    redis.on('error', () => {});
    const cache = new FeatureCache({ client: redis, ttlSeconds: client.ttlSeconds });
    return {
      client: redis,
      resilient: null,
      generator: new SignalGenerator({
        model,
        market,
        featureCache: cache,
        computeFeatures,
        logger,
        coalesceMisses: false,
      }),
    };
  }
  const redis = createRedisClient(sutUrl, {
    connectionName: `rpb-chaos-${variant}`,
    commandTimeoutMs: client.commandTimeoutMs,
    reconnectMaxDelayMs: Math.max(client.reconnectMaxDelayMs, 50),
    logger,
  });
  redis.on('error', () => {});
  const cache = new FeatureCache({
    client: redis,
    ttlSeconds: client.ttlSeconds,
    ttlJitterFraction: client.ttlJitterFraction,
  });
  const resilient = new ResilientFeatureCache(cache, redis, {
    callTimeoutMs: client.callTimeoutMs,
    breaker: { failureThreshold: client.failureThreshold, openDurationMs: client.openDurationMs },
    resetConnectionOnTimeout: variant !== 'safe-no-reset',
    logger,
  });
  return {
    client: redis,
    resilient,
    generator: new SignalGenerator({
      model,
      market,
      featureCache: resilient,
      computeFeatures,
      logger,
      coalesceMisses: variant !== 'safe-no-sf',
    }),
  };
}

export function waitForReady(client: Redis, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      signal.removeEventListener('abort', onAbort);
      resolve(ready);
    };
    const onReady = (): void => done(true);
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
