import type { RedisOptions } from 'ioredis';
import { ConfigError, InfraError } from '../errors.ts';
import { readServerVersion, RedisProbeError, scrub, withProbeClient } from './redis-probe.ts';

export interface ParsedRedisUrl {
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
}

export const REDIS_URL_DEFAULTS = {
  port: 6379,
  db: 0,
  checkTimeoutMs: 3_000,
} as const;

const URL_HINT = 'use redis://[user:password@]host[:port][/db] or rediss://... for TLS';

/** The URL with its password replaced by ***; works on malformed URLs too, so errors can show them. */
export function redactRedisUrl(url: string): string {
  const schemeEnd = url.indexOf('://');
  const authorityStart = schemeEnd === -1 ? 0 : schemeEnd + 3;
  // The last '@' ends the userinfo: a password may itself contain '@', '/' or ':'.
  const at = url.lastIndexOf('@');
  if (at < authorityStart) return url;
  const userinfo = url.slice(authorityStart, at);
  const colon = userinfo.indexOf(':');
  if (colon === -1) return url;
  return `${url.slice(0, authorityStart)}${userinfo.slice(0, colon)}:***${url.slice(at)}`;
}

export function parseRedisUrl(url: string): ParsedRedisUrl {
  const shown = redactRedisUrl(url);
  const fail = (problem: string): never => {
    throw new ConfigError(`invalid Redis URL "${shown}": ${problem}`, { hint: URL_HINT, problems: [problem] });
  };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('it is not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return fail(`the scheme must be redis: or rediss:, not ${parsed.protocol}`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') fail('it has no host');
  if (parsed.search !== '' || parsed.hash !== '') fail('query parameters and fragments are not supported');
  const port = parsed.port === '' ? REDIS_URL_DEFAULTS.port : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(dbText)) fail(`the path must be a database number, not "/${dbText}"`);
  const decode = (text: string): string | undefined => {
    if (text === '') return undefined;
    try {
      return decodeURIComponent(text);
    } catch {
      return fail('its user or password is not valid percent-encoding');
    }
  };
  return {
    tls: parsed.protocol === 'rediss:',
    host,
    port,
    db: dbText === '' ? REDIS_URL_DEFAULTS.db : Number(dbText),
    username: decode(parsed.username),
    password: decode(parsed.password),
  };
}

/** ioredis options for the URL; rediss: turns TLS on with Node's default verification. */
export function connectOptionsFromUrl(url: string): RedisOptions {
  const p = parseRedisUrl(url);
  return {
    host: p.host,
    port: p.port,
    db: p.db,
    ...(p.username === undefined ? {} : { username: p.username }),
    ...(p.password === undefined ? {} : { password: p.password }),
    ...(p.tls ? { tls: {} } : {}),
  };
}

export interface CheckedRedisUrl {
  readonly version: string;
  readonly redactedUrl: string;
}

/** Connects once, PINGs and reads the version; an InfraError that names the fix otherwise. */
export async function checkRedisUrl(
  url: string,
  timeoutMs: number = REDIS_URL_DEFAULTS.checkTimeoutMs,
): Promise<CheckedRedisUrl> {
  const redactedUrl = redactRedisUrl(url);
  const options = connectOptionsFromUrl(url);
  try {
    const version = await withProbeClient(options, timeoutMs, async (client) => {
      await client.ping();
      return readServerVersion(client);
    });
    return { version, redactedUrl };
  } catch (error) {
    throw urlCheckFailed(error, redactedUrl, timeoutMs, options.password);
  }
}

function urlCheckFailed(error: unknown, redactedUrl: string, timeoutMs: number, password?: string): InfraError {
  // The probe already scrubs its messages; scrubbing again keeps this function safe on its own.
  const detail = scrub(error instanceof Error ? error.message : String(error), password ? [password] : []);
  const kind = error instanceof RedisProbeError ? error.kind : 'reply';
  switch (kind) {
    case 'auth':
      return new InfraError(`Redis at ${redactedUrl} refused the credentials: ${detail}`, {
        hint: 'check the user and password in the URL (redis://:password@host:port)',
      });
    case 'unreachable':
    case 'timeout':
      return new InfraError(`Redis at ${redactedUrl} is unreachable: ${detail}`, {
        hint: `check the host and port (waited ${timeoutMs} ms), or omit --redis-url to let the harness start its own Redis`,
      });
    default:
      return new InfraError(`Redis at ${redactedUrl} did not answer PING: ${detail}`, {
        hint: 'check that the URL points at a Redis server that accepts PING and INFO',
      });
  }
}
