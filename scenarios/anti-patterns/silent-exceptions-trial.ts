/**
 * Anti-pattern 3, catching all exceptions silently: the same cache SETs under the same fault (the
 * connection reset, every reconnect refused with an RST), once through the document's bad handler
 * (`except: pass`) and once through its good one (catch Redis errors, log a warning, continue),
 * which logs through the service's rate-limited logger. What the log shows is counted.
 */
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { cacheWarningKind, classifyCacheError } from '../../src/cache/resilient-feature-cache.ts';
import type { LogFields, Logger } from '../../src/logger.ts';
import { createRateLimitedLogger } from '../../src/logger.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import type { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import { waitFor } from '../../bench/run/scenario-kit.ts';
import type { LogTrace } from './anti-pattern-figures.ts';

export type ExceptionHandler = 'bare-except' | 'logged';

/** The log of one handler run: warn and error lines, the suppressed counts they carry, a sample line. */
export class CountingLog implements Logger {
  lines = 0;
  suppressed = 0;
  sample: string | null = null;
  debug(): void {}
  info(): void {}
  warn(message: string, fields?: LogFields): void {
    this.lines += 1;
    if (typeof fields?.suppressed === 'number') this.suppressed += fields.suppressed;
    this.sample ??= `${message} ${JSON.stringify(fields ?? {})}`;
  }
  error(message: string, fields?: LogFields): void {
    this.warn(message, fields);
  }
}

/** The document's `except RedisError`: errors of the Redis client (connection, timeout, server replies). */
export function isRedisError(error: unknown): boolean {
  return classifyCacheError(error) !== 'other';
}

/**
 * One cache SET under one handler, as the document writes them. The bad one swallows everything;
 * the good one logs Redis errors and lets anything else (a bug) propagate.
 */
export async function guardedSet(
  handler: ExceptionHandler,
  set: () => Promise<void>,
  symbol: string,
  logger: Logger,
): Promise<void> {
  if (handler === 'bare-except') {
    try {
      await set();
    } catch {
      // pass  # Silent failure, no logging
    }
    return;
  }
  try {
    await set();
  } catch (error) {
    if (!isRedisError(error)) throw error;
    const text = error instanceof Error ? error.message : String(error);
    logger.warn(`Cache SET failed for ${symbol}: ${text}`, { symbol, error: text });
    // Continue gracefully
  }
}

export interface FaultedSetsOptions {
  readonly proxy: FaultProxy;
  /** The target's URL with the proxy's address (password and database kept). */
  readonly url: string;
  readonly sets: number;
  readonly features: Float64Array;
  readonly date: string;
  readonly signal: AbortSignal;
}

/**
 * A fresh cache client through the fault proxy, ready; then the fault (reset-peer on every
 * connection, the open one reset) and `sets` SETs through the handler. Failures are counted by
 * wrapping the cache call, before the handler sees them. The fault is lifted and the client closed
 * on every path.
 */
export async function runFaultedSets(
  handler: ExceptionHandler,
  options: FaultedSetsOptions,
): Promise<LogTrace & { readonly sample: string | null }> {
  const { proxy } = options;
  const log = new CountingLog();
  const logger = createRateLimitedLogger(log, { kindOf: cacheWarningKind });
  // The client's own connection-state lines are left out for both handlers: only the handler's lines count.
  const client = createRedisClient(options.url, { connectionName: `rpb-anti-patterns-${handler}` });
  client.on('error', () => {});
  const cache = new FeatureCache({ client, ttlSeconds: 3_600 });
  let failures = 0;
  try {
    await waitUntilReady(client, 5_000);
    proxy.setToxics([{ kind: 'reset-peer' }]);
    proxy.resetAllConnections();
    await waitFor(() => client.status !== 'ready', 2_000, options.signal, 1);
    for (let i = 0; i < options.sets && !options.signal.aborted; i++) {
      const symbol = `ERR${i}`;
      const set = async (): Promise<void> => {
        try {
          await cache.set(symbol, options.date, options.features);
        } catch (error) {
          failures += 1;
          throw error;
        }
      };
      await guardedSet(handler, set, symbol, logger);
    }
  } finally {
    logger.close();
    proxy.clearToxics();
    client.disconnect();
  }
  return { failures, lines: log.lines, suppressed: log.suppressed, sample: log.sample };
}
