import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../logger.ts';
import type { TestRedis } from '../test-support/start-redis.ts';
import { startTestRedis } from '../test-support/start-redis.ts';
import { createRedisClient } from './client-factory.ts';
import { checkRedisHealth } from './health-check.ts';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string, fields?: object) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

async function ready(client: Redis): Promise<void> {
  const health = await checkRedisHealth(client, 5_000);
  if (!health.healthy) throw new Error(`test Redis not healthy: ${health.error}`);
}

describe('createRedisClient against a password-protected Redis', () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startTestRedis({ args: ['--requirepass', 'hunter2'] });
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server?.stop();
  });

  it('authenticates from the URL and names the connection', async () => {
    const client = createRedisClient(`redis://:hunter2@127.0.0.1:${server.port}/3`, {
      connectionName: 'rpb-test-conn',
    });
    clients.push(client);
    await ready(client);
    expect(await client.client('GETNAME')).toBe('rpb-test-conn');
    expect(await client.client('INFO')).toMatch(/ db=3 /);
  });

  it('never logs the password, even when it is refused', async () => {
    const logger = recordingLogger();
    const client = createRedisClient(`redis://:wrong-secret@127.0.0.1:${server.port}`, { logger });
    clients.push(client);
    const health = await checkRedisHealth(client, 1_000);
    expect(health.healthy).toBe(false);
    expect(logger.lines.some((l) => l.includes('WRONGPASS') || l.includes('invalid'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain('wrong-secret');
    expect(logger.lines.join('\n')).toContain('***');
  });
});

describe('createRedisClient fails fast when Redis is gone', () => {
  let server: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    server = await startTestRedis();
    client = createRedisClient(server.url);
    await ready(client);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it('rejects commands at once instead of queueing them, and keeps reconnecting', async () => {
    await client.set('k', 'v');
    const closed = new Promise((resolve) => client.once('close', resolve));
    await server.kill();
    await closed;
    const results = await Promise.allSettled([client.get('k'), client.getBuffer('k'), client.mgetBuffer(['k'])]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(String((result as PromiseRejectedResult).reason)).toMatch(/enableOfflineQueue options is false/);
    }
    // Not 'end': the retry strategy never gives up on a cache.
    expect(client.status).not.toBe('end');
  });
});

describe('createRedisClient on a fresh Redis', () => {
  let server: TestRedis;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it('connects without a single error reply (no CLIENT SETINFO, which Redis < 7.2 rejects)', async () => {
    client = createRedisClient(server.url, { connectionName: 'rpb-errorstats' });
    await ready(client);
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    const errorstats = await client.info('errorstats');
    expect(errorstats).not.toMatch(/^errorstat_/m);
    expect(await client.info('stats')).toMatch(/^total_error_replies:0\r?$/m);
    expect(await client.info('commandstats')).not.toMatch(/cmdstat_client\|setinfo/);
  });
});

describe('createRedisClient over TLS (rediss://)', () => {
  let server: TestRedis;
  let dir: string;
  let client: Redis | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rpb-test-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    server = await startTestRedis({ tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with TLS and verifies the certificate against the given CA', async () => {
    expect(server.url.startsWith('rediss://')).toBe(true);
    client = createRedisClient(server.url, { tls: { ca: readFileSync(join(dir, 'cert.pem')) } });
    await ready(client);
    await client.set('tls-key', 'over-tls');
    expect(await client.get('tls-key')).toBe('over-tls');
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    const untrusting = createRedisClient(server.url);
    try {
      const health = await checkRedisHealth(untrusting, 1_000);
      expect(health.healthy).toBe(false);
    } finally {
      untrusting.disconnect();
    }
  });
});
