import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRedis } from '../test-support/start-redis.ts';
import { startTestRedis } from '../test-support/start-redis.ts';
import { createRedisClient } from './client-factory.ts';
import { checkRedisHealth } from './health-check.ts';

describe('checkRedisHealth', () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  const client = (overrides: Parameters<typeof createRedisClient>[1] = {}): Redis => {
    const c = createRedisClient(server.url, overrides);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    server?.resume();
    await server?.stop();
  });

  it('is healthy with a latency right after the client is created (it waits for ready)', async () => {
    const health = await checkRedisHealth(client(), 5_000);
    expect(health).toMatchObject({ healthy: true });
    expect(health.healthy && health.latencyNs > 0).toBe(true);
  });

  it('connects a lazy client', async () => {
    const lazy = client({ lazyConnect: true });
    expect(lazy.status).toBe('wait');
    expect((await checkRedisHealth(lazy, 5_000)).healthy).toBe(true);
  });

  it('answers unhealthy within its own deadline when the server is paused, then healthy again', async () => {
    // A deadline below the command timeout shows the check does not rely on it.
    const c = client({ commandTimeoutMs: 60_000 });
    expect((await checkRedisHealth(c, 5_000)).healthy).toBe(true);
    server.pause();
    try {
      const health = await checkRedisHealth(c, 200);
      expect(health).toEqual({ healthy: false, error: 'no PONG within 200 ms' });
    } finally {
      server.resume();
    }
    expect((await checkRedisHealth(c, 5_000)).healthy).toBe(true);
  });

  it('is unhealthy for an ended client and for a port where nothing listens', async () => {
    const ended = client();
    await checkRedisHealth(ended, 5_000);
    await ended.quit();
    expect(await checkRedisHealth(ended, 1_000)).toEqual({ healthy: false, error: expect.stringMatching(/closed/i) });

    const nowhere = createRedisClient('redis://127.0.0.1:1');
    clients.push(nowhere);
    expect((await checkRedisHealth(nowhere, 300)).healthy).toBe(false);
  });

  it('rejects a deadline that is not a positive number', async () => {
    await expect(checkRedisHealth(client({ lazyConnect: true }), 0)).rejects.toThrow(RangeError);
  });
});
