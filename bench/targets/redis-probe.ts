import { Redis, type RedisOptions } from 'ioredis';

/** Why a probe failed, so callers can name the problem and the fix. */
export type ProbeFailureKind = 'unreachable' | 'auth' | 'timeout' | 'reply';

/**
 * A probe failure with a message that is safe to show: built from scratch, with every secret the
 * probe knew replaced by ***. ioredis errors are never kept as a cause, because a rejected
 * HELLO/AUTH carries the password in `error.command.args`.
 */
export class RedisProbeError extends Error {
  readonly kind: ProbeFailureKind;
  readonly code: string | undefined;

  constructor(kind: ProbeFailureKind, message: string, code?: string) {
    super(message);
    this.name = 'RedisProbeError';
    this.kind = kind;
    this.code = code;
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
]);
const AUTH_REPLIES = /^(WRONGPASS|NOAUTH)\b|invalid password|without any password configured|no password is set/i;

/**
 * Runs `fn` on a fresh client that connects once (no retries, no offline queue) and is always
 * disconnected. The whole probe, connection and commands, is bounded by `timeoutMs`.
 */
export async function withProbeClient<T>(
  target: RedisOptions,
  timeoutMs: number,
  fn: (client: Redis) => Promise<T>,
): Promise<T> {
  const secrets = [target.password].filter((s): s is string => s !== undefined && s !== '');
  const client = new Redis({
    ...target,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    disableClientInfo: true,
  });
  // ioredis rejects connect() with a bare "Connection is closed."; the real reason arrives here.
  let lastError: unknown;
  client.on('error', (error: unknown) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisProbeError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([client.connect().then(() => fn(client)), timeout]);
  } catch (error) {
    throw toProbeError(lastError ?? error, error, secrets);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

export function pingOnce(target: RedisOptions, timeoutMs: number): Promise<void> {
  return withProbeClient(target, timeoutMs, async (client) => {
    await client.ping();
  });
}

/** One command on a fresh probe client (see withProbeClient): `args[0]` is the command name. */
export function probeCommand(target: RedisOptions, timeoutMs: number, ...args: (string | number)[]): Promise<unknown> {
  return withProbeClient(target, timeoutMs, (client) => client.call(String(args[0]), ...args.slice(1)));
}

/** redis_version from INFO server. */
export async function readServerVersion(client: Redis): Promise<string> {
  const info = await client.info('server');
  const match = /^redis_version:(.+)$/m.exec(info);
  return match === null ? 'unknown' : match[1].trim();
}

function toProbeError(reason: unknown, thrown: unknown, secrets: readonly string[]): RedisProbeError {
  if (thrown instanceof RedisProbeError && reason === thrown) return thrown;
  const code = errorCode(reason);
  const message = scrub(reason instanceof Error ? reason.message : String(reason), secrets);
  if (AUTH_REPLIES.test(message)) return new RedisProbeError('auth', message, code);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return new RedisProbeError('unreachable', message, code);
  if (thrown instanceof RedisProbeError)
    return new RedisProbeError(thrown.kind, `${thrown.message} (${message})`, code);
  if (/connect ETIMEDOUT|Connection is closed/i.test(message)) return new RedisProbeError('unreachable', message, code);
  if (/Command timed out/i.test(message)) return new RedisProbeError('timeout', message, code);
  return new RedisProbeError('reply', message, code);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    result = result.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) result = result.split(encoded).join('***');
  }
  return result;
}
