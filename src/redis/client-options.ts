import type { ConnectionOptions } from 'node:tls';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';

/**
 * Settings of a Redis client used as a CACHE. A cache is an optimisation: every setting favours
 * failing fast (the caller recomputes) over waiting, queueing or retrying.
 */
export interface CacheClientOptions {
  /** A cache lookup slower than the miss path (~50 ms in the document) is worthless: give up at 2x that. */
  readonly commandTimeoutMs: number;
  /** A loopback or LAN connect takes < 10 ms; waiting longer only delays the fallback. */
  readonly connectTimeoutMs: number;
  /** No unbounded queue of commands while disconnected: fail at once, the caller computes instead. */
  readonly enableOfflineQueue: boolean;
  /** A command caught by a dropped connection is given up after one reconnection attempt, not 20. */
  readonly maxRetriesPerRequest: number;
  /** Commands in flight when the connection dropped are not replayed later: their caller has moved on. */
  readonly autoResendUnfulfilledCommands: boolean;
  /** First reconnection delay; the backoff doubles from here. */
  readonly reconnectBaseDelayMs: number;
  /**
   * Cap of the reconnection backoff: a recovered Redis is picked up within this delay. 500 ms keeps the
   * first cache hit within 1 s of Redis coming back (with 2 s, a restart during a long outage was
   * often noticed only after that bound); a dead Redis then costs two connect attempts a second.
   */
  readonly reconnectMaxDelayMs: number;
  /**
   * false: connect at construction, so the first request finds a ready connection (with the offline
   * queue off, a command sent before 'ready' fails instead of waiting), and startup health checks
   * see the real state.
   */
  readonly lazyConnect: boolean;
  /** TCP keep-alive probes find a dead peer on an idle connection; the command timeout covers busy ones. */
  readonly keepAliveMs: number;
  /**
   * A connection the client drops (after a command timeout) is destroyed if it has not closed within
   * this. Closing waits for the peer's FIN, which a paused or black-holed Redis never sends: with
   * ioredis's default of 2 s the client kept reporting itself connected for 2 s after the timeout
   * (health-detection measured /health saying so for 2.1 s); destroyed at once, it reconnects.
   */
  readonly disconnectTimeoutMs: number;
  /** Names the connection in CLIENT LIST, so an operator can tell who holds it. */
  readonly connectionName: string;
  /** Extra TLS settings (ca, cert, ...) for rediss:// URLs; the server name (SNI) is set from the URL's host. */
  readonly tls: ConnectionOptions | undefined;
  /** Where connection state changes are reported (never with the password). */
  readonly logger: Logger;
}

export const DEFAULT_CACHE_CLIENT_OPTIONS: CacheClientOptions = Object.freeze({
  commandTimeoutMs: 100,
  connectTimeoutMs: 1_000,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  reconnectBaseDelayMs: 50,
  reconnectMaxDelayMs: 500,
  lazyConnect: false,
  keepAliveMs: 10_000,
  disconnectTimeoutMs: 100,
  connectionName: 'rpb-feature-cache',
  tls: undefined,
  logger: silentLogger,
});

/** Merges caller overrides over the defaults and rejects values that cannot work, naming each. */
export function resolveCacheClientOptions(overrides: Partial<CacheClientOptions> = {}): CacheClientOptions {
  const resolved: CacheClientOptions = { ...DEFAULT_CACHE_CLIENT_OPTIONS, ...stripUndefined(overrides) };
  const problems: string[] = [];
  const positiveInt = (name: keyof CacheClientOptions, value: number): void => {
    if (!Number.isInteger(value) || value <= 0) problems.push(`${name} must be a positive integer (got ${value})`);
  };
  positiveInt('commandTimeoutMs', resolved.commandTimeoutMs);
  positiveInt('connectTimeoutMs', resolved.connectTimeoutMs);
  positiveInt('reconnectBaseDelayMs', resolved.reconnectBaseDelayMs);
  positiveInt('reconnectMaxDelayMs', resolved.reconnectMaxDelayMs);
  positiveInt('keepAliveMs', resolved.keepAliveMs);
  positiveInt('disconnectTimeoutMs', resolved.disconnectTimeoutMs);
  if (!Number.isInteger(resolved.maxRetriesPerRequest) || resolved.maxRetriesPerRequest < 0) {
    problems.push(`maxRetriesPerRequest must be an integer >= 0 (got ${resolved.maxRetriesPerRequest})`);
  }
  if (resolved.reconnectMaxDelayMs < resolved.reconnectBaseDelayMs) {
    problems.push('reconnectMaxDelayMs must be >= reconnectBaseDelayMs');
  }
  if (!/^[!-~]+$/.test(resolved.connectionName)) {
    problems.push('connectionName must be non-empty printable ASCII without spaces (CLIENT SETNAME rule)');
  }
  if (problems.length > 0) throw new RangeError(`Invalid cache client options: ${problems.join('; ')}`);
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
