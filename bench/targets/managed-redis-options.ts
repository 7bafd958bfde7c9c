import { ConfigError } from '../errors.ts';
import { validateConfigOverrides, type RedisConfigOverrides } from './redis-config.ts';

export interface ManagedRedisOptions {
  /** redis.conf directives applied over DEFAULT_MANAGED_REDIS_CONFIG. */
  readonly configOverrides?: RedisConfigOverrides;
  /** Default: a free loopback port picked by the kernel. */
  readonly port?: number;
  /** Default: env RPB_REDIS_SERVER, else 'redis-server' on PATH. */
  readonly redisServerPath?: string;
  /** How long to wait for the first PONG. */
  readonly startTimeoutMs?: number;
  /** Pause between readiness attempts. */
  readonly readyPollMs?: number;
  /** Bound on each readiness PING, INFO and SHUTDOWN attempt. */
  readonly commandTimeoutMs?: number;
  /** Bound on each step of stop(): SHUTDOWN, then SIGTERM, then SIGKILL. */
  readonly stopStepTimeoutMs?: number;
}

export const MANAGED_REDIS_DEFAULTS = {
  configOverrides: {},
  redisServerPath: 'redis-server',
  startTimeoutMs: 10_000,
  readyPollMs: 50,
  commandTimeoutMs: 1_000,
  stopStepTimeoutMs: 2_000,
  /** Attempts with a fresh free port when another process took the one we picked. */
  freePortAttempts: 3,
} as const;

export interface ResolvedManagedRedisOptions {
  readonly configOverrides: RedisConfigOverrides;
  readonly port: number | undefined;
  readonly redisServerPath: string;
  readonly startTimeoutMs: number;
  readonly readyPollMs: number;
  readonly commandTimeoutMs: number;
  readonly stopStepTimeoutMs: number;
}

export function resolveManagedRedisOptions(
  options: ManagedRedisOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedManagedRedisOptions {
  const configOverrides = options.configOverrides ?? MANAGED_REDIS_DEFAULTS.configOverrides;
  validateConfigOverrides(configOverrides);
  const problems: string[] = [];
  const positive = (name: keyof ManagedRedisOptions, value: number): number => {
    if (!Number.isFinite(value) || value <= 0)
      problems.push(`${name} must be a positive number of milliseconds, got ${value}`);
    return value;
  };
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)) {
    problems.push(`port must be an integer from 1 to 65535, got ${options.port}`);
  }
  const resolved: ResolvedManagedRedisOptions = {
    configOverrides,
    port: options.port,
    redisServerPath: resolveRedisServerPath(options.redisServerPath, env),
    startTimeoutMs: positive('startTimeoutMs', options.startTimeoutMs ?? MANAGED_REDIS_DEFAULTS.startTimeoutMs),
    readyPollMs: positive('readyPollMs', options.readyPollMs ?? MANAGED_REDIS_DEFAULTS.readyPollMs),
    commandTimeoutMs: positive('commandTimeoutMs', options.commandTimeoutMs ?? MANAGED_REDIS_DEFAULTS.commandTimeoutMs),
    stopStepTimeoutMs: positive(
      'stopStepTimeoutMs',
      options.stopStepTimeoutMs ?? MANAGED_REDIS_DEFAULTS.stopStepTimeoutMs,
    ),
  };
  if (problems.length > 0) {
    throw new ConfigError(`invalid managed Redis options: ${problems.join('; ')}`, {
      hint: 'fix the managed Redis options of the run',
      problems,
    });
  }
  return resolved;
}

/** The redis-server binary: the one given, else env RPB_REDIS_SERVER, else 'redis-server' on PATH. */
export function resolveRedisServerPath(given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const envPath = env.RPB_REDIS_SERVER;
  return given ?? (envPath !== undefined && envPath !== '' ? envPath : MANAGED_REDIS_DEFAULTS.redisServerPath);
}
