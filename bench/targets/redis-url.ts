import type { RedisOptions } from 'ioredis';
import { endpointOptions } from '../../src/redis/endpoint-options.ts';
import { parseRedisUrl, redactRedisUrl, RedisUrlError } from '../../src/redis/redis-url.ts';
import type { RedisEndpoint } from '../../src/redis/redis-url.ts';
import { ConfigError, InfraError } from '../errors.ts';
import { readServerVersion, RedisProbeError, scrub, withProbeClient } from './redis-probe.ts';

export const REDIS_URL_DEFAULTS = {
  checkTimeoutMs: 3_000,
} as const;

const URL_HINT = 'use redis://[user:password@]host[:port][/db] or rediss://... for TLS';

/**
 * A --redis-url / REDIS_URL value checked by src's parseRedisUrl (the one parser), a bad one reported
 * as the harness's ConfigError (exit code 2) with a hint.
 */
export function validateRedisUrl(url: string): RedisEndpoint {
  try {
    return parseRedisUrl(url);
  } catch (error) {
    if (error instanceof RedisUrlError)
      throw new ConfigError(error.message, { hint: URL_HINT, problems: [error.problem] });
    throw error;
  }
}

/** ioredis options for the URL (src's endpointOptions); rediss: turns TLS on with Node's default verification. */
export function connectOptionsFromUrl(url: string): RedisOptions {
  return endpointOptions(validateRedisUrl(url));
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
