import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { parseRedisUrl } from './redis-url.ts';
import type { RedisEndpoint } from './redis-url.ts';

/** The ioredis options that say where a client connects and as whom; timeouts and retries stay the caller's. */
export interface EndpointOptions {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Set for rediss:// only. */
  readonly tls: ConnectionOptions | undefined;
  readonly disableClientInfo: true;
}

/**
 * Connection fields of an ioredis client for a redis[s]:// URL (parsed with parseRedisUrl, which
 * throws RedisUrlError) or an endpoint parsed already. `tls` adds settings (ca, cert, ...) for rediss://.
 */
export function endpointOptions(url: string | RedisEndpoint, tls?: ConnectionOptions): EndpointOptions {
  const endpoint = typeof url === 'string' ? parseRedisUrl(url) : url;
  return {
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    username: endpoint.username,
    password: endpoint.password,
    // ioredis sets no SNI itself. SNI carries host names only (RFC 6066 §3); for an IP the
    // certificate is checked against its IP SAN.
    tls: endpoint.tls ? { ...(isIP(endpoint.host) === 0 ? { servername: endpoint.host } : {}), ...tls } : undefined,
    // CLIENT SETINFO exists from Redis 7.2 on: older servers answer it with two error replies per
    // connection, which count in INFO errorstats and fire "error replies" alerts for no fault of ours.
    disableClientInfo: true,
  };
}
