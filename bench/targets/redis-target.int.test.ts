import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { ManagedRedis } from './managed-redis.ts';
import { openTarget } from './redis-target.ts';
import { withTestClient } from './test-support.ts';

describe('openTarget', () => {
  it('starts a managed Redis with the overrides when no URL is given, and close stops it', async () => {
    const target = await openTarget({ configOverrides: { 'maxmemory-policy': 'allkeys-lru' } });
    try {
      expect(target.kind).toBe('managed');
      if (target.kind !== 'managed') return;
      expect(target.url).toBe(target.managed.url);
      const policy = await withTestClient(target.managed.port, (c) => c.config('GET', 'maxmemory-policy'));
      expect(policy).toEqual(['maxmemory-policy', 'allkeys-lru']);
    } finally {
      await target.close();
    }
    expect(target.kind === 'managed' && target.managed.state).toBe('stopped');
  });

  describe('with a URL', () => {
    let existing: ManagedRedis;
    beforeAll(async () => {
      existing = await ManagedRedis.start({ configOverrides: { requirepass: 'target-pw' } });
    });
    afterAll(async () => {
      await existing?.stop();
    });

    it('checks the URL and never stops a Redis it did not start', async () => {
      const target = await openTarget({ redisUrl: existing.url, configOverrides: { maxmemory: '1mb' } });
      expect(target.kind).toBe('url');
      expect(target.redactedUrl).toBe(existing.redactedUrl);
      expect(target.version).toBe(existing.version);
      expect(target.kind === 'url' && target.ignoredConfigOverrides).toEqual(['maxmemory']);
      await target.close();
      expect(await withTestClient(existing.port, (c) => c.ping(), 'target-pw')).toBe('PONG');
      expect(existing.state).toBe('running');
    });

    it('rejects a malformed URL with a ConfigError', async () => {
      await expect(openTarget({ redisUrl: 'http://:target-pw@localhost' })).rejects.toBeInstanceOf(ConfigError);
    });
  });
});
