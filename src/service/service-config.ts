import { z } from 'zod';
import { DEFAULT_CIRCUIT_BREAKER_OPTIONS } from '../redis/circuit-breaker.ts';
import { parseRedisUrl, RedisUrlError } from '../redis/redis-url.ts';

/** The signal service's settings, resolved: code past parseServiceConfig never applies a default again. */
export interface ServiceConfig {
  /** REDIS_ENABLED: use Redis as the feature cache (the document's switch). */
  readonly redisEnabled: boolean;
  /** REDIS_URL (may hold a password: never log it, log redactRedisUrl(redisUrl)). Null when Redis is disabled. */
  readonly redisUrl: string | null;
  readonly host: string;
  /** 0: the kernel picks a free port (tests). */
  readonly port: number;
  /**
   * MARKET_DATA_DIR: folder of one Parquet file per symbol (see rpb data generate); null: the caller
   * provides the market source.
   */
  readonly marketDataDir: string | null;
  /** CACHE_TTL_SECONDS: the document's default, 1 hour. */
  readonly cacheTtlSeconds: number;
  /** BODY_LIMIT_BYTES: larger request bodies get 413 before they are parsed. */
  readonly bodyLimitBytes: number;
  /** MAX_SYMBOLS: most symbols one request may ask for. */
  readonly maxSymbolsPerRequest: number;
  /** REDIS_COMMAND_TIMEOUT_MS: per-command budget of the cache client (a dead Redis costs this, not minutes). */
  readonly redisCommandTimeoutMs: number;
  /** REDIS_BREAKER_FAILURES: consecutive timeouts or lost connections that open the cache's circuit breaker. */
  readonly breakerFailureThreshold: number;
  /**
   * REDIS_BREAKER_OPEN_MS: how long an open breaker skips Redis before one probe call (a reconnection
   * probes at once).
   */
  readonly breakerOpenMs: number;
  /** SHUTDOWN_GRACE_MS: on SIGTERM, in-flight requests get this long before connections are cut. */
  readonly shutdownGraceMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export const SERVICE_CONFIG_DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  cacheTtlSeconds: 3_600,
  bodyLimitBytes: 16_384,
  maxSymbolsPerRequest: 100,
  redisCommandTimeoutMs: 100,
  breakerFailureThreshold: DEFAULT_CIRCUIT_BREAKER_OPTIONS.failureThreshold,
  breakerOpenMs: DEFAULT_CIRCUIT_BREAKER_OPTIONS.openDurationMs,
  shutdownGraceMs: 5_000,
  logLevel: 'info',
} as const;

/** Every problem with the environment at once, each naming the variable and what it accepts. */
export class ServiceConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid service configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ServiceConfigError';
    this.problems = problems;
  }
}

const booleanText = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'expected true or false (also 1/0, yes/no)')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const integerText = (min: number, max: number, example: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected an integer from ${min} to ${max}, e.g. ${example}`)
    .transform(Number)
    .refine((v) => v >= min && v <= max, `expected an integer from ${min} to ${max}, e.g. ${example}`);

const envSchema = z.object({
  REDIS_ENABLED: booleanText.optional(),
  REDIS_URL: z.string().trim().optional(),
  HOST: z.string().trim().min(1, 'must not be empty (e.g. 127.0.0.1, or 0.0.0.0 inside a container)').optional(),
  PORT: integerText(0, 65_535, 'PORT=8080').optional(),
  MARKET_DATA_DIR: z.string().trim().min(1, 'must not be empty').optional(),
  CACHE_TTL_SECONDS: integerText(1, 30 * 86_400, 'CACHE_TTL_SECONDS=3600').optional(),
  BODY_LIMIT_BYTES: integerText(256, 10 * 1024 * 1024, 'BODY_LIMIT_BYTES=16384').optional(),
  MAX_SYMBOLS: integerText(1, 10_000, 'MAX_SYMBOLS=100').optional(),
  REDIS_COMMAND_TIMEOUT_MS: integerText(1, 60_000, 'REDIS_COMMAND_TIMEOUT_MS=100').optional(),
  REDIS_BREAKER_FAILURES: integerText(1, 1_000, 'REDIS_BREAKER_FAILURES=3').optional(),
  REDIS_BREAKER_OPEN_MS: integerText(1, 600_000, 'REDIS_BREAKER_OPEN_MS=500').optional(),
  SHUTDOWN_GRACE_MS: integerText(0, 120_000, 'SHUTDOWN_GRACE_MS=5000').optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { message: 'expected debug, info, warn or error' }).optional(),
});

/** The environment variables the service reads, for help texts. */
export const SERVICE_ENV_VARIABLES = Object.keys(envSchema.shape);

/**
 * Reads the service's settings from the environment. Empty variables count as unset. REDIS_ENABLED
 * defaults to "true when REDIS_URL is set": there is deliberately no default URL, so a service
 * started without one never talks to whatever Redis happens to listen on the default port.
 */
export function parseServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const present = Object.fromEntries(
    SERVICE_ENV_VARIABLES.map((name) => [name, env[name]]).filter(
      ([, value]) => value !== undefined && value.trim() !== '',
    ),
  );
  const parsed = envSchema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map(
        (issue) => `${issue.path.join('.')}=${JSON.stringify(present[String(issue.path[0])] ?? '')}: ${issue.message}`,
      );
  const values = parsed.success ? parsed.data : {};
  const redisUrl = values.REDIS_URL ?? (typeof present.REDIS_URL === 'string' ? present.REDIS_URL : undefined);
  const redisEnabled = values.REDIS_ENABLED ?? redisUrl !== undefined;
  if (redisEnabled && redisUrl === undefined) {
    problems.push(
      'REDIS_ENABLED=true needs REDIS_URL (e.g. REDIS_URL=redis://:password@127.0.0.1:6380/0); or set REDIS_ENABLED=false to serve without a cache',
    );
  }
  if (redisUrl !== undefined) {
    try {
      parseRedisUrl(redisUrl);
    } catch (error) {
      if (!(error instanceof RedisUrlError)) throw error;
      problems.push(`REDIS_URL: ${error.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ServiceConfigError(problems);
  return {
    redisEnabled,
    redisUrl: redisEnabled ? (redisUrl ?? null) : null,
    host: values.HOST ?? SERVICE_CONFIG_DEFAULTS.host,
    port: values.PORT ?? SERVICE_CONFIG_DEFAULTS.port,
    marketDataDir: values.MARKET_DATA_DIR ?? null,
    cacheTtlSeconds: values.CACHE_TTL_SECONDS ?? SERVICE_CONFIG_DEFAULTS.cacheTtlSeconds,
    bodyLimitBytes: values.BODY_LIMIT_BYTES ?? SERVICE_CONFIG_DEFAULTS.bodyLimitBytes,
    maxSymbolsPerRequest: values.MAX_SYMBOLS ?? SERVICE_CONFIG_DEFAULTS.maxSymbolsPerRequest,
    redisCommandTimeoutMs: values.REDIS_COMMAND_TIMEOUT_MS ?? SERVICE_CONFIG_DEFAULTS.redisCommandTimeoutMs,
    breakerFailureThreshold: values.REDIS_BREAKER_FAILURES ?? SERVICE_CONFIG_DEFAULTS.breakerFailureThreshold,
    breakerOpenMs: values.REDIS_BREAKER_OPEN_MS ?? SERVICE_CONFIG_DEFAULTS.breakerOpenMs,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS ?? SERVICE_CONFIG_DEFAULTS.shutdownGraceMs,
    logLevel: values.LOG_LEVEL ?? SERVICE_CONFIG_DEFAULTS.logLevel,
  };
}
