import { ConfigError } from '../errors.ts';

export type RedisConfigValue = string | number;
/** Per-scenario redis.conf overrides: directive name -> value (e.g. { 'maxmemory': '64mb' }). */
export type RedisConfigOverrides = Readonly<Record<string, RedisConfigValue>>;
/** An ordered redis.conf: directive name -> value. */
export type RedisConfig = Readonly<Record<string, RedisConfigValue>>;

/**
 * The document's "Production Considerations / Redis Configuration" recommendations. requirepass is
 * left out: a managed instance lives on loopback for one run; a scenario can override it.
 */
export const DEFAULT_MANAGED_REDIS_CONFIG = {
  maxmemory: '512mb',
  'maxmemory-policy': 'volatile-lru',
  save: '',
  appendonly: 'no',
  'tcp-backlog': 511,
  timeout: 0,
  'tcp-keepalive': 300,
  bind: '127.0.0.1',
  'protected-mode': 'yes',
} as const satisfies RedisConfig;

/** Directives the harness owns: changing them would lose track of the process or its files. */
const RESERVED_DIRECTIVES: Readonly<Record<string, string>> = {
  port: 'the harness picks the port and connects to it; pass the port option instead',
  dir: 'the harness owns the temp dir and removes it on stop',
  logfile: 'the harness reads the log from its temp dir to report startup errors',
  daemonize: 'a daemonized redis-server would escape the harness and outlive the run',
  pidfile: 'the harness tracks the process it spawned, not a pid file',
  include: 'an included file could override the directives the harness owns',
};

const DIRECTIVE_NAME = /^[a-z][a-z0-9-]*$/;

export interface ManagedRedisConfigInput {
  readonly port: number;
  readonly dir: string;
  readonly logfile: string;
  readonly overrides?: RedisConfigOverrides;
}

/** Checks every override and reports all problems at once. */
export function validateConfigOverrides(overrides: RedisConfigOverrides): void {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    const shownKey = JSON.stringify(key);
    if (!DIRECTIVE_NAME.test(key)) {
      problems.push(
        `config override key ${shownKey} is not a simple directive name (lowercase letters, digits and '-'; no spaces, newlines or control characters)`,
      );
      continue;
    }
    const reserved = RESERVED_DIRECTIVES[key];
    if (reserved !== undefined) {
      problems.push(`config override ${shownKey} is not allowed: ${reserved}`);
      continue;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      problems.push(`config override ${shownKey} has a non-finite number value ${String(value)}`);
    } else if (typeof value !== 'number' && typeof value !== 'string') {
      problems.push(`config override ${shownKey} must be a string or a number, got ${typeof value}`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(
      problems.length === 1 ? problems[0] : `${problems.length} invalid config overrides: ${problems.join('; ')}`,
      {
        hint: 'fix the configOverrides of the scenario (keys are redis.conf directive names, e.g. "maxmemory-policy")',
        problems,
      },
    );
  }
}

/** The full config of a managed instance: defaults, then validated overrides, then what the harness owns. */
export function buildManagedRedisConfig(input: ManagedRedisConfigInput): RedisConfig {
  const overrides = input.overrides ?? {};
  validateConfigOverrides(overrides);
  return {
    ...DEFAULT_MANAGED_REDIS_CONFIG,
    ...overrides,
    port: input.port,
    dir: input.dir,
    logfile: input.logfile,
    daemonize: 'no',
  };
}

/** The password clients need: requirepass, unless absent or empty (no auth). */
export function requirepassOf(config: RedisConfigOverrides): string | undefined {
  const requirepass = config.requirepass;
  return requirepass === undefined || requirepass === '' ? undefined : String(requirepass);
}

const SECRET_DIRECTIVES = new Set(['requirepass', 'masterauth']);

/** The config with its secrets shown as ***, for run reports. */
export function redactRedisConfig(config: RedisConfig): RedisConfig {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, SECRET_DIRECTIVES.has(key) ? '***' : value]),
  );
}

/** redis.conf text, one directive a line, each value a single argument. */
export function renderRedisConfig(config: RedisConfig): string {
  const lines = Object.entries(config).map(([key, value]) => {
    if (!DIRECTIVE_NAME.test(key)) {
      throw new ConfigError(`cannot render redis.conf: directive name ${JSON.stringify(key)} is not a simple name`);
    }
    return `${key} ${quoteConfigValue(value)}`;
  });
  return `${lines.join('\n')}\n`;
}

// Redis splits each line with sdssplitargs: a double-quoted argument takes \n \r \t \\ \" and \xHH.
const BARE_VALUE = /^[A-Za-z0-9_.:/+@%,=-]+$/;

export function quoteConfigValue(value: RedisConfigValue): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (BARE_VALUE.test(text)) return text;
  let quoted = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') quoted += `\\${char}`;
    else if (char === '\n') quoted += '\\n';
    else if (char === '\r') quoted += '\\r';
    else if (char === '\t') quoted += '\\t';
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else quoted += char;
  }
  return `${quoted}"`;
}
