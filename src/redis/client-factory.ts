import { Redis } from 'ioredis';
import type { CacheClientOptions } from './client-options.ts';
import { resolveCacheClientOptions } from './client-options.ts';
import { endpointOptions } from './endpoint-options.ts';
import { reconnectDelayMs } from './reconnect-backoff.ts';
import { redactRedisUrl } from './redis-url.ts';

/**
 * A Redis client configured for use as a cache (see CacheClientOptions for each choice).
 * The caller owns it: `quit()` or `disconnect()` it on shutdown.
 */
export function createRedisClient(url: string, options: Partial<CacheClientOptions> = {}): Redis {
  const resolved = resolveCacheClientOptions(options);
  const shownUrl = redactRedisUrl(url);
  const client = new Redis({
    ...endpointOptions(url, resolved.tls),
    commandTimeout: resolved.commandTimeoutMs,
    connectTimeout: resolved.connectTimeoutMs,
    enableOfflineQueue: resolved.enableOfflineQueue,
    maxRetriesPerRequest: resolved.maxRetriesPerRequest,
    autoResendUnfulfilledCommands: resolved.autoResendUnfulfilledCommands,
    // Always a number: a cache that stops reconnecting stays degraded until the process restarts.
    retryStrategy: (attempt) => reconnectDelayMs(attempt, resolved.reconnectBaseDelayMs, resolved.reconnectMaxDelayMs),
    lazyConnect: resolved.lazyConnect,
    keepAlive: resolved.keepAliveMs,
    disconnectTimeout: resolved.disconnectTimeoutMs,
    connectionName: resolved.connectionName,
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
    logger.warn('Redis connection error; cache calls fail fast until it reconnects', {
      url: shownUrl,
      error: error.message,
    });
  });
  client.on('ready', () => {
    if (down) logger.info('Redis connection restored', { url: shownUrl });
    else logger.debug('Redis connection ready', { url: shownUrl });
    down = false;
  });
}
