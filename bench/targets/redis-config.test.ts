import { describe, expect, it } from 'vitest';
import { configError } from '../test-support/config-error.ts';
import {
  buildManagedRedisConfig,
  DEFAULT_MANAGED_REDIS_CONFIG,
  quoteConfigValue,
  renderRedisConfig,
  validateConfigOverrides,
} from './redis-config.ts';

describe('DEFAULT_MANAGED_REDIS_CONFIG', () => {
  it('carries the document recommendations', () => {
    expect(DEFAULT_MANAGED_REDIS_CONFIG).toMatchObject({
      maxmemory: '512mb',
      'maxmemory-policy': 'volatile-lru',
      save: '',
      appendonly: 'no',
      bind: '127.0.0.1',
      'protected-mode': 'yes',
      'tcp-backlog': 511,
      timeout: 0,
      'tcp-keepalive': 300,
    });
  });
});

describe('renderRedisConfig', () => {
  it('renders one directive a line, quoting where needed', () => {
    const text = renderRedisConfig({
      save: '',
      maxmemory: '512mb',
      timeout: 0,
      dir: '/tmp/a b',
      logfile: '/tmp/x/redis.log',
    });
    expect(text).toBe('save ""\nmaxmemory 512mb\ntimeout 0\ndir "/tmp/a b"\nlogfile /tmp/x/redis.log\n');
  });

  it('escapes quotes, backslashes and control characters so a value stays one argument on one line', () => {
    expect(quoteConfigValue('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteConfigValue('x\nport 6379')).toBe('"x\\nport 6379"');
    expect(quoteConfigValue('\u0001')).toBe('"\\x01"');
    expect(renderRedisConfig({ requirepass: 'p w\nport 1' }).split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('buildManagedRedisConfig', () => {
  it('applies overrides over the defaults and keeps the harness-owned directives', () => {
    const config = buildManagedRedisConfig({
      port: 1234,
      dir: '/tmp/d',
      logfile: '/tmp/d/redis.log',
      overrides: { 'maxmemory-policy': 'allkeys-lru', maxmemory: '64mb' },
    });
    expect(config).toMatchObject({
      'maxmemory-policy': 'allkeys-lru',
      maxmemory: '64mb',
      appendonly: 'no',
      port: 1234,
      dir: '/tmp/d',
      logfile: '/tmp/d/redis.log',
      daemonize: 'no',
    });
  });
});

describe('validateConfigOverrides', () => {
  it.each(['port', 'dir', 'logfile', 'daemonize', 'pidfile', 'include'])(
    'rejects an override of %s, saying why',
    (key) => {
      const error = configError(() => validateConfigOverrides({ [key]: 'x' }));
      expect(error.message).toContain(`"${key}"`);
      expect(error.message).toMatch(/not allowed: .+/);
    },
  );

  it('rejects keys with newlines or control characters, naming the key', () => {
    const error = configError(() => validateConfigOverrides({ 'maxmemory\nport': 1 }));
    expect(error.message).toContain('"maxmemory\\nport"');
    expect(configError(() => validateConfigOverrides({ 'a\u0000b': 1 })).message).toContain('"a\\u0000b"');
    expect(configError(() => validateConfigOverrides({ 'max memory': 1 })).message).toContain('"max memory"');
  });

  it('reports every problem at once', () => {
    const error = configError(() =>
      validateConfigOverrides({ port: 1, dir: '/', 'bad key': 1, maxmemory: Number.NaN }),
    );
    expect(error.problems).toHaveLength(4);
  });

  it('accepts simple directives', () => {
    expect(() => validateConfigOverrides({ 'maxmemory-policy': 'allkeys-lru', hz: 100, save: '3600 1' })).not.toThrow();
  });
});
