import { ManagedRedis, type ManagedRedisOptions } from './managed-redis.ts';
import type { RedisConfigOverrides } from './redis-config.ts';
import { checkRedisUrl, REDIS_URL_DEFAULTS } from './redis-url.ts';

interface TargetBase {
  /** Connection URL, credentials included: never print it, print redactedUrl. */
  readonly url: string;
  readonly redactedUrl: string;
  /** redis_version reported by the server. */
  readonly version: string;
  /** Releases the target: stops a managed instance; never touches a Redis we did not start. */
  close(): Promise<void>;
}

export type RedisTarget =
  | (TargetBase & { readonly kind: 'managed'; readonly managed: ManagedRedis })
  | (TargetBase & {
      readonly kind: 'url';
      /** Scenario overrides that were not applied: we never reconfigure a Redis we did not start. */
      readonly ignoredConfigOverrides: readonly string[];
    });

export interface OpenTargetOptions {
  /** An existing Redis (the caller reads REDIS_URL / --redis-url); otherwise a managed one starts. */
  readonly redisUrl?: string;
  readonly configOverrides?: RedisConfigOverrides;
  /** Options for the managed instance (configOverrides above wins). */
  readonly managed?: Omit<ManagedRedisOptions, 'configOverrides'>;
  readonly checkTimeoutMs?: number;
}

export async function openTarget(options: OpenTargetOptions = {}): Promise<RedisTarget> {
  const configOverrides = options.configOverrides ?? {};
  if (options.redisUrl !== undefined && options.redisUrl !== '') {
    const url = options.redisUrl;
    const { version, redactedUrl } = await checkRedisUrl(url, options.checkTimeoutMs ?? REDIS_URL_DEFAULTS.checkTimeoutMs);
    return {
      kind: 'url',
      url,
      redactedUrl,
      version,
      ignoredConfigOverrides: Object.keys(configOverrides),
      close: async () => undefined,
    };
  }
  const managed = await ManagedRedis.start({ ...options.managed, configOverrides });
  return {
    kind: 'managed',
    url: managed.url,
    redactedUrl: managed.redactedUrl,
    version: managed.version,
    managed,
    close: () => managed.stop(),
  };
}
