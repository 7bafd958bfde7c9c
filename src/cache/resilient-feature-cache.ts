import type { LineKindOf, Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { CircuitBreaker } from '../redis/circuit-breaker.ts';
import type { CircuitBreakerOptions } from '../redis/circuit-breaker.ts';
import type { FeatureStore } from '../signals/signal-generator.ts';
import type { BreakerState, CacheHealthSnapshot, CacheHealthSource } from './cache-health.ts';
import type { FeatureEntry } from './feature-cache.ts';

/** Why a cache call was given up; only 'timeout' and 'connection' count against the circuit breaker. */
export type CacheFailureKind = 'timeout' | 'connection' | 'oom' | 'server' | 'breaker-open' | 'other';

const FAILURE_KINDS: readonly string[] = ['timeout', 'connection', 'oom', 'server', 'breaker-open', 'other'];

/**
 * Thrown by every call the resilient cache gives up: the caller computes instead. Its message starts
 * with the kind in brackets ("[timeout] cache get gave up after 150 ms"), so that a log line that
 * carries only the message still says which kind of failure it was (see cacheWarningKind).
 */
export class CacheUnavailableError extends Error {
  readonly kind: CacheFailureKind;

  constructor(kind: CacheFailureKind, message: string, options?: { cause?: unknown }) {
    super(`[${kind}] ${message}`, options);
    this.name = 'CacheUnavailableError';
    this.kind = kind;
  }
}

/** The kind of any error a cache call threw: the resilient cache's own, or sorted from the client's. */
export function cacheFailureKindOf(error: unknown): CacheFailureKind {
  return error instanceof CacheUnavailableError ? error.kind : classifyCacheError(error);
}

/**
 * The kind a cache warning is rate-limited under (createRateLimitedLogger's kindOf): its `kind`
 * field, else the kind of the error text in its `error` field (the "[kind]" tag of a
 * CacheUnavailableError, or the client's message sorted by classifyCacheError); undefined for a line
 * about no error.
 */
export const cacheWarningKind: LineKindOf = (_message, fields) => {
  if (typeof fields?.kind === 'string' && FAILURE_KINDS.includes(fields.kind)) return fields.kind;
  if (typeof fields?.error !== 'string') return undefined;
  const tagged = /^\[([a-z-]+)\] /.exec(fields.error)?.[1];
  return tagged !== undefined && FAILURE_KINDS.includes(tagged)
    ? tagged
    : classifyCacheError({ message: fields.error });
};

/** What the resilient cache needs of the Redis connection: its state, and a way to drop it. */
export interface CacheConnection {
  /** ioredis status: 'ready' means commands are sent now. */
  readonly status: string;
  /** Closes the socket (failing its pending commands) and reconnects with the client's backoff. */
  disconnect(reconnect?: boolean): void;
  on(event: 'ready', listener: () => void): unknown;
  /** PING, for the health check (an ioredis client has it; a connection without it is judged by status). */
  ping?(): Promise<unknown>;
}

export interface ResilientFeatureCacheOptions {
  /** Hard bound on one cache call, whatever the client does (its own commandTimeout should be below it). */
  readonly callTimeoutMs: number;
  readonly breaker: Partial<Omit<CircuitBreakerOptions, 'onTransition'>>;
  /**
   * Drop the connection after a timed-out command. ioredis keeps a timed-out command in its reply
   * queue; if its reply never comes (a network black hole), every later reply is matched to the
   * command before it: GET a would return b's value. Reconnecting empties the queue.
   */
  readonly resetConnectionOnTimeout: boolean;
  readonly logger: Logger;
}

export const DEFAULT_RESILIENT_FEATURE_CACHE_OPTIONS: ResilientFeatureCacheOptions = Object.freeze({
  // The client's commandTimeout (100 ms) plus room for a loaded event loop.
  callTimeoutMs: 150,
  breaker: {},
  resetConnectionOnTimeout: true,
  logger: silentLogger,
});

/**
 * The cache path that never waits on Redis longer than a per-call budget: each call is bounded,
 * refused at once while the circuit is open, and its failure is classified and counted. Wraps a
 * FeatureStore (FeatureCache); the SignalGenerator falls back to computing on every throw.
 * Reconnection is the client's (backoff with jitter, see client-factory.ts).
 */
export class ResilientFeatureCache implements FeatureStore, CacheHealthSource {
  private readonly options: ResilientFeatureCacheOptions;
  private readonly breaker: CircuitBreaker;
  private hits = 0;
  private misses = 0;
  private fallbacks = 0;
  private connectionResets = 0;
  /** A reset is under way until the client is ready again: one reset per connection, however many calls time out. */
  private resetPending = false;
  private readonly errorsByKind: Record<string, number> = {};

  constructor(
    private readonly store: FeatureStore,
    private readonly connection: CacheConnection,
    options: Partial<ResilientFeatureCacheOptions> = {},
  ) {
    const resolved: ResilientFeatureCacheOptions = {
      ...DEFAULT_RESILIENT_FEATURE_CACHE_OPTIONS,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
    if (!Number.isFinite(resolved.callTimeoutMs) || resolved.callTimeoutMs <= 0) {
      throw new RangeError(
        `Invalid resilient cache options: callTimeoutMs must be a positive number (got ${resolved.callTimeoutMs})`,
      );
    }
    this.options = resolved;
    this.breaker = new CircuitBreaker({
      ...resolved.breaker,
      onTransition: (from: BreakerState, to: BreakerState) => {
        const log = to === 'open' ? resolved.logger.warn : resolved.logger.info;
        log.call(resolved.logger, 'Cache circuit breaker state change', { from, to });
      },
    });
    // A fresh connection is the best evidence Redis is back: probe now rather than after the open wait.
    connection.on('ready', () => {
      this.resetPending = false;
      this.breaker.probeNow();
    });
  }

  async get(symbol: string, date: string): Promise<Float64Array | null> {
    const value = await this.call('get', () => this.store.get(symbol, date), true);
    if (value === null) this.misses += 1;
    else this.hits += 1;
    return value;
  }

  async getMany(symbols: readonly string[], date: string): Promise<(Float64Array | null)[]> {
    const values = await this.call('getMany', () => this.store.getMany(symbols, date), true);
    for (const value of values) {
      if (value === null) this.misses += 1;
      else this.hits += 1;
    }
    return values;
  }

  set(symbol: string, date: string, features: Float64Array): Promise<void> {
    return this.call('set', () => this.store.set(symbol, date, features), false);
  }

  setMany(entries: readonly FeatureEntry[], date: string): Promise<void> {
    return this.call('setMany', () => this.store.setMany(entries, date), false);
  }

  health(): CacheHealthSnapshot {
    return {
      enabled: true,
      connected: this.connection.status === 'ready',
      breakerState: this.breaker.state,
      hits: this.hits,
      misses: this.misses,
      fallbacks: this.fallbacks,
      errorsByKind: { ...this.errorsByKind },
    };
  }

  /**
   * The document's `redis_client.health_check()`: true when a PING is answered within the call
   * timeout. The connection's status alone misses a paused or black-holed Redis: the socket stays
   * open and nothing says otherwise until a command times out. Bypasses the breaker: it asks Redis.
   */
  async checkConnection(): Promise<boolean> {
    const { connection } = this;
    if (connection.status !== 'ready') return false;
    if (connection.ping === undefined) return true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.callTimeoutMs);
    });
    try {
      return await Promise.race([
        connection.ping().then(
          (reply) => reply === 'PONG',
          () => false,
        ),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counts beyond the health snapshot: breaker transitions and connections dropped after a timeout. */
  stats(): { readonly breakerTransitions: number; readonly connectionResets: number } {
    return { breakerTransitions: this.breaker.transitions, connectionResets: this.connectionResets };
  }

  private async call<T>(operation: string, work: () => Promise<T>, isRead: boolean): Promise<T> {
    const permit = this.breaker.tryAcquire();
    if (permit === null)
      throw this.failed(
        isRead,
        new CacheUnavailableError('breaker-open', `cache ${operation} skipped: circuit breaker open`),
      );
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CacheUnavailableError('timeout', `cache ${operation} gave up after ${this.options.callTimeoutMs} ms`),
          ),
        this.options.callTimeoutMs,
      );
    });
    const attempt = work();
    // The losing side of the race must not become an unhandled rejection.
    attempt.catch(() => {});
    try {
      const result = await Promise.race([attempt, budget]);
      permit.success();
      return result;
    } catch (error) {
      const kind = cacheFailureKindOf(error);
      // An error reply (OOM, WRONGTYPE) proves the connection works: only silence and lost
      // connections trip the breaker.
      if (kind === 'timeout' || kind === 'connection') permit.failure();
      else permit.success();
      if (kind === 'timeout') this.resetConnection();
      const message = error instanceof Error ? error.message : String(error);
      throw this.failed(
        isRead,
        error instanceof CacheUnavailableError
          ? error
          : new CacheUnavailableError(kind, `cache ${operation} failed: ${message}`, { cause: error }),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private resetConnection(): void {
    if (!this.options.resetConnectionOnTimeout || this.resetPending || this.connection.status !== 'ready') return;
    this.resetPending = true;
    this.connectionResets += 1;
    this.options.logger.warn(
      'Cache command timed out; dropping the connection so that no late reply is matched to a later command',
    );
    this.connection.disconnect(true);
  }

  private failed(isRead: boolean, error: CacheUnavailableError): CacheUnavailableError {
    this.errorsByKind[error.kind] = (this.errorsByKind[error.kind] ?? 0) + 1;
    if (isRead) this.fallbacks += 1;
    return error;
  }
}

/** Sorts what ioredis throws: its messages and Node's socket error codes are the only signal. */
export function classifyCacheError(error: unknown): CacheFailureKind {
  if (typeof error !== 'object' || error === null) return 'other';
  const { message, code, name } = error as { message?: unknown; code?: unknown; name?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (/timed out/i.test(text) || (typeof code === 'string' && /TIMEDOUT/.test(code))) return 'timeout';
  if (text.startsWith('OOM ')) return 'oom';
  if (name === 'ReplyError') return 'server';
  if (
    (typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|EPIPE|ENOTCONN|EHOSTUNREACH|ENETUNREACH|ECONNABORTED)$/.test(code)) ||
    /Connection is closed|Stream isn't writeable|enableOfflineQueue|max retries per request|Reached the max retries|connect E|ECONNRESET|ECONNREFUSED/i.test(
      text,
    ) ||
    name === 'MaxRetriesPerRequestError'
  ) {
    return 'connection';
  }
  return 'other';
}
