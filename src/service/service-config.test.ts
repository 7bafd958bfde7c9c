import { describe, expect, it } from 'vitest';
import { parseServiceConfig, SERVICE_CONFIG_DEFAULTS, ServiceConfigError } from './service-config.ts';

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    parseServiceConfig(env);
  } catch (error) {
    if (error instanceof ServiceConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ServiceConfigError');
}

describe('parseServiceConfig', () => {
  it('defaults to loopback, port 8080 and no Redis when nothing is set (never a default Redis URL)', () => {
    const config = parseServiceConfig({});
    expect(config).toMatchObject({
      redisEnabled: false,
      redisUrl: null,
      host: '127.0.0.1',
      port: 8080,
      cacheTtlSeconds: 3_600,
    });
    expect(config.host).toBe(SERVICE_CONFIG_DEFAULTS.host);
    // The breaker defaults are the circuit breaker's own, declared once there.
    expect(config).toMatchObject({ breakerFailureThreshold: 3, breakerOpenMs: 500 });
  });

  it('enables Redis when REDIS_URL is set, unless REDIS_ENABLED=false', () => {
    expect(parseServiceConfig({ REDIS_URL: 'redis://127.0.0.1:6390' })).toMatchObject({
      redisEnabled: true,
      redisUrl: 'redis://127.0.0.1:6390',
    });
    expect(parseServiceConfig({ REDIS_URL: 'redis://127.0.0.1:6390', REDIS_ENABLED: 'false' })).toMatchObject({
      redisEnabled: false,
      redisUrl: null,
    });
    expect(parseServiceConfig({ REDIS_URL: 'redis://h:1', REDIS_ENABLED: ' YES ' }).redisEnabled).toBe(true);
  });

  it('reads every variable and treats empty ones as unset', () => {
    const config = parseServiceConfig({
      HOST: '0.0.0.0',
      PORT: '0',
      MARKET_DATA_DIR: '/data',
      CACHE_TTL_SECONDS: '60',
      BODY_LIMIT_BYTES: '4096',
      MAX_SYMBOLS: '5',
      REDIS_COMMAND_TIMEOUT_MS: '250',
      REDIS_BREAKER_FAILURES: '5',
      REDIS_BREAKER_OPEN_MS: '2000',
      SHUTDOWN_GRACE_MS: '100',
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
    });
    expect(config).toEqual({
      redisEnabled: false,
      redisUrl: null,
      host: '0.0.0.0',
      port: 0,
      marketDataDir: '/data',
      cacheTtlSeconds: 60,
      bodyLimitBytes: 4096,
      maxSymbolsPerRequest: 5,
      redisCommandTimeoutMs: 250,
      breakerFailureThreshold: 5,
      breakerOpenMs: 2000,
      shutdownGraceMs: 100,
      logLevel: 'warn',
    });
  });

  it('reports every problem at once, each naming the variable, its value and the fix', () => {
    const problems = problemsOf({
      PORT: '80a',
      REDIS_ENABLED: 'maybe',
      CACHE_TTL_SECONDS: '0',
      LOG_LEVEL: 'loud',
      MAX_SYMBOLS: '-1',
    });
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PORT="80a": expected an integer from 0 to 65535, e.g. PORT=8080/);
    expect(problems.join('\n')).toMatch(/REDIS_ENABLED="maybe": expected true or false/);
    expect(problems.join('\n')).toMatch(/CACHE_TTL_SECONDS="0"/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL="loud": expected debug, info, warn or error/);
  });

  it('refuses REDIS_ENABLED=true without a URL, and a malformed URL without showing its password', () => {
    expect(problemsOf({ REDIS_ENABLED: 'true' })[0]).toMatch(/REDIS_ENABLED=true needs REDIS_URL/);
    const [problem] = problemsOf({ REDIS_URL: 'http://:hunter2@host:6379' });
    expect(problem).toMatch(/REDIS_URL: .*scheme must be redis: or rediss:/);
    expect(problem).not.toContain('hunter2');
    expect(problemsOf({ PORT: '70000' })[0]).toMatch(/PORT="70000"/);
    expect(problemsOf({ REDIS_BREAKER_FAILURES: '0' })[0]).toMatch(
      /REDIS_BREAKER_FAILURES="0": expected an integer from 1/,
    );
  });
});
