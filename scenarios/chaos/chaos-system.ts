/** The system under test of one chaos window: the safe resilient path, or ioredis defaults and the document's loop. */
import { Redis } from 'ioredis';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import type { FeatureEntry } from '../../src/cache/feature-cache.ts';
import {
  cacheFailureKindOf,
  cacheWarningKind,
  ResilientFeatureCache,
} from '../../src/cache/resilient-feature-cache.ts';
import type { Logger, LogFields } from '../../src/logger.ts';
import { createRateLimitedLogger } from '../../src/logger.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import type { ComputeFeatures, FeatureStore } from '../../src/signals/signal-generator.ts';
import { SignalGenerator } from '../../src/signals/signal-generator.ts';
import { nowEpochMs } from '../../bench/measure/clock.ts';
import type { ChaosVariant } from './chaos-faults.ts';
import type { ChaosClientParams, ChaosWorkload, LoggedEvent } from './chaos-types.ts';

/** The safe client's warning budget: one line per kind of failure per this many ms (the log-warning-rate bound). */
export const WARNING_INTERVAL_MS = 1_000;

/**
 * The logger sink of one window: every line in memory with its time, never on the measured path's
 * stderr. Lines logged once `closing` is set (the harness closing the system) are marked atClose.
 */
export class EventLog implements Logger {
  readonly events: LoggedEvent[] = [];
  /** Warning and error lines before closing. */
  warnings = 0;
  closing = false;
  constructor(private readonly startMs: () => number) {}
  debug(): void {}
  error(message: string, fields?: LogFields): void {
    this.warn(message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.push('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    if (!this.closing) this.warnings += 1;
    this.push('warn', message, fields);
  }
  private push(level: LoggedEvent['level'], message: string, fields: LogFields | undefined): void {
    if (this.events.length < 5_000)
      this.events.push({ tMs: nowEpochMs() - this.startMs(), level, message, fields, atClose: this.closing });
  }
}

/**
 * The generator's cache seen from outside: counts every call that threw, by kind, until stopped,
 * so that which failures happened is known without reading the log.
 */
class FailureTally implements FeatureStore {
  readonly byKind: Record<string, number> = {};
  private counting = true;
  constructor(private readonly inner: FeatureStore) {}
  get(symbol: string, date: string): Promise<Float64Array | null> {
    return this.watch(this.inner.get(symbol, date));
  }
  getMany(symbols: readonly string[], date: string): Promise<(Float64Array | null)[]> {
    return this.watch(this.inner.getMany(symbols, date));
  }
  set(symbol: string, date: string, features: Float64Array): Promise<void> {
    return this.watch(this.inner.set(symbol, date, features));
  }
  setMany(entries: readonly FeatureEntry[], date: string): Promise<void> {
    return this.watch(this.inner.setMany(entries, date));
  }
  stop(): void {
    this.counting = false;
  }
  private watch<T>(call: Promise<T>): Promise<T> {
    call.catch((error: unknown) => {
      if (!this.counting) return;
      const kind = cacheFailureKindOf(error);
      this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    });
    return call;
  }
}

export interface SystemUnderTest {
  readonly generator: SignalGenerator;
  readonly client: Redis;
  readonly resilient: ResilientFeatureCache | null;
  readonly failures: FailureTally;
  /** Ends the window: stops counting failures, marks later lines atClose, closes the client (failing what it holds). */
  stop(log: EventLog): void;
  /** Writes the warning lines the rate-limited logger still holds back (once the stopped client has settled). */
  flushLog(): void;
}

export function openSystem(
  variant: ChaosVariant,
  sutUrl: string,
  workload: ChaosWorkload,
  client: ChaosClientParams,
  log: EventLog,
  computeFeatures: ComputeFeatures,
): SystemUnderTest {
  return variant === 'naive'
    ? naiveSystem(sutUrl, workload, client, log, computeFeatures)
    : safeSystem(variant, sutUrl, workload, client, log, computeFeatures);
}

/**
 * ioredis defaults, as `Redis(host=...)` in the document: no command timeout, offline queue on, 20
 * retries per request; every failed cache call logged, as the document's try/except does.
 */
function naiveSystem(
  sutUrl: string,
  workload: ChaosWorkload,
  client: ChaosClientParams,
  log: EventLog,
  computeFeatures: ComputeFeatures,
): SystemUnderTest {
  const url = new URL(sutUrl);
  const redis = new Redis({
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port || 6379),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    connectionName: 'rpb-chaos-naive',
  });
  redis.on('error', () => {});
  const failures = new FailureTally(new FeatureCache({ client: redis, ttlSeconds: client.ttlSeconds }));
  const generator = new SignalGenerator({
    model: workload.model,
    market: workload.market,
    featureCache: failures,
    computeFeatures,
    logger: log,
    coalesceMisses: false,
  });
  return { client: redis, resilient: null, failures, generator, stop: stopper(redis, failures), flushLog: () => {} };
}

/** The src/ resilient path, its warnings through the rate-limited logger (one line per kind per second). */
function safeSystem(
  variant: Exclude<ChaosVariant, 'naive'>,
  sutUrl: string,
  workload: ChaosWorkload,
  client: ChaosClientParams,
  log: EventLog,
  computeFeatures: ComputeFeatures,
): SystemUnderTest {
  const logger = createRateLimitedLogger(log, { intervalMs: WARNING_INTERVAL_MS, kindOf: cacheWarningKind });
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
  const failures = new FailureTally(resilient);
  const generator = new SignalGenerator({
    model: workload.model,
    market: workload.market,
    featureCache: failures,
    computeFeatures,
    logger,
    coalesceMisses: variant !== 'safe-no-sf',
  });
  return {
    client: redis,
    resilient,
    failures,
    generator,
    stop: stopper(redis, failures),
    flushLog: () => logger.close(),
  };
}

function stopper(redis: Redis, failures: FailureTally): (log: EventLog) => void {
  return (log) => {
    failures.stop();
    log.closing = true;
    // Requests past the cap are still pending inside the naive client: closing it fails them, then they settle.
    redis.disconnect();
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
