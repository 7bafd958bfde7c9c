import { isIP } from 'node:net';
import { Redis } from 'ioredis';
import type { CacheClientOptions } from './client-options.ts';
import { resolveCacheClientOptions } from './client-options.ts';
import { reconnectDelayMs } from './reconnect-backoff.ts';
import { parseRedisUrl, redactRedisUrl } from './redis-url.ts';

/**
 * A Redis client configured for use as a cache (see CacheClientOptions for each choice).
 * The caller owns it: `quit()` or `disconnect()` it on shutdown.
 */
export function createRedisClient(url: string, options: Partial<CacheClientOptions> = {}): Redis {
  const resolved = resolveCacheClientOptions(options);
  const endpoint = parseRedisUrl(url);
  const shownUrl = redactRedisUrl(url);
  const client = new Redis({
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    username: endpoint.username,
    password: endpoint.password,
    // SNI carries host names only (RFC 6066 §3); for an IP the certificate is checked against its IP SAN.
    tls: endpoint.tls ? { ...(isIP(endpoint.host) === 0 ? { servername: endpoint.host } : {}), ...resolved.tls } : undefined,
    commandTimeout: resolved.commandTimeoutMs,
    connectTimeout: resolved.connectTimeoutMs,
    enableOfflineQueue: resolved.enableOfflineQueue,
    maxRetriesPerRequest: resolved.maxRetriesPerRequest,
    autoResendUnfulfilledCommands: resolved.autoResendUnfulfilledCommands,
    // Always a number: a cache that stops reconnecting stays degraded until the process restarts.
    retryStrategy: (attempt) => reconnectDelayMs(attempt, resolved.reconnectBaseDelayMs, resolved.reconnectMaxDelayMs),
    lazyConnect: resolved.lazyConnect,
    keepAlive: resolved.keepAliveMs,
    connectionName: resolved.connectionName,
    // CLIENT SETINFO exists from Redis 7.2 on: older servers answer it with two error replies per
    // connection, which count in INFO errorstats and fire "error replies" alerts for no fault of ours.
    disableClientInfo: true,
  });
  watchConnection(client, shownUrl, resolved);
  return client;
}

/**
 * Reports connection state changes once each, not every failed reconnection attempt (which would
 * flood the log while Redis is down). The listener also keeps ioredis from printing "Unhandled
 * error event" on stderr.
 */
function watchConnection(client: Redis, shownUrl: string, options: CacheClientOptions): void {
  const { logger } = options;
  let down = false;
  client.on('error', (error: Error) => {
    if (down) {
      logger.debug('Redis still unreachable', { url: shownUrl, error: error.message });
      return;
    }
    down = true;
    logger.warn('Redis connection error; cache calls fail fast until it reconnects', { url: shownUrl, error: error.message });
  });
  client.on('ready', () => {
    if (down) logger.info('Redis connection restored', { url: shownUrl });
    else logger.debug('Redis connection ready', { url: shownUrl });
    down = false;
  });
}
