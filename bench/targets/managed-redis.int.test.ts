import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InfraError } from '../errors.ts';
import { isPortFree } from './free-port.ts';
import { ManagedRedis } from './managed-redis.ts';
import { pingOnce } from './redis-probe.ts';
import { processStatus, withTestClient } from './test-support.ts';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('ManagedRedis lifecycle', () => {
  let redis: ManagedRedis;

  beforeAll(async () => {
    redis = await ManagedRedis.start({ configOverrides: { 'tcp-keepalive': 60 } });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('answers PING and runs the document defaults, with the override winning', async () => {
    expect(redis.state).toBe('running');
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(redis.version).toMatch(/^\d+\.\d+\.\d+/);
    const config = await withTestClient(redis.port, async (client) => {
      expect(await client.ping()).toBe('PONG');
      const pairs = (await client.config('GET', '*')) as string[];
      return Object.fromEntries(pairs.flatMap((value, i) => (i % 2 === 0 ? [[value, pairs[i + 1]]] : [])));
    });
    expect(config).toMatchObject({
      maxmemory: '536870912',
      'maxmemory-policy': 'volatile-lru',
      save: '',
      appendonly: 'no',
      'protected-mode': 'yes',
      'tcp-backlog': '511',
      timeout: '0',
      bind: '127.0.0.1',
      port: String(redis.port),
      daemonize: 'no',
      'tcp-keepalive': '60',
    });
    expect(redis.config['tcp-keepalive']).toBe(60);
    expect(await redis.logTail(5)).toMatch(/Ready to accept connections/);
  });

  it('pause stops answers, resume brings them back', async () => {
    await redis.pause();
    expect(redis.state).toBe('paused');
    const error = await rejection(pingOnce({ host: '127.0.0.1', port: redis.port }, 300));
    expect(error).toMatchObject({ kind: 'timeout' });
    await expect(redis.pause()).rejects.toThrow(/cannot pause .* it is paused/);
    await redis.resume();
    expect(redis.state).toBe('running');
    await expect(pingOnce({ host: '127.0.0.1', port: redis.port }, 2_000)).resolves.toBeUndefined();
    await expect(redis.resume()).rejects.toThrow(/cannot resume .* it is running/);
  });

  it('kill ends the process; restart brings up an empty server on the same port', async () => {
    await withTestClient(redis.port, (client) => client.set('survivor', '1'));
    const oldPid = redis.pid;
    await redis.kill();
    expect(redis.state).toBe('killed');
    expect(redis.lastExit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(() => process.kill(oldPid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    await expect(redis.pause()).rejects.toThrow(/cannot pause .* it is killed/);
    await expect(redis.kill()).rejects.toThrow(/cannot kill .* it is killed/);
    expect(existsSync(redis.dir)).toBe(true);

    const port = redis.port;
    await redis.restart();
    expect(redis.state).toBe('running');
    expect(redis.port).toBe(port);
    expect(redis.pid).not.toBe(oldPid);
    expect(await withTestClient(port, (client) => client.get('survivor'))).toBeNull();
  });

  it('restart while running replaces the process', async () => {
    const oldPid = redis.pid;
    await redis.restart();
    expect(redis.pid).not.toBe(oldPid);
    expect(processStatus(oldPid)).toBe('gone');
    expect(await withTestClient(redis.port, (client) => client.ping())).toBe('PONG');
  });

  it('tracks a process that exits by itself', async () => {
    await withTestClient(redis.port, (client) => client.call('SHUTDOWN', 'NOSAVE')).catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (redis.state === 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(redis.state).toBe('exited');
    expect(redis.lastExit?.code).toBe(0);
    await expect(redis.resume()).rejects.toThrow(/it is exited/);
    await redis.restart();
    expect(redis.state).toBe('running');
  });

  it('stop removes the temp dir and the process, and is idempotent', async () => {
    const pid = redis.pid;
    await Promise.all([redis.stop(), redis.stop()]);
    expect(redis.state).toBe('stopped');
    expect(existsSync(redis.dir)).toBe(false);
    expect(processStatus(pid)).toBe('gone');
    await redis.stop();
    await expect(redis.kill()).rejects.toThrow(/cannot kill .* it is stopped/);
    await expect(redis.pause()).rejects.toThrow(/it is stopped/);
  });

  it('restart after stop recreates the dir on the same port', async () => {
    await redis.restart();
    expect(redis.state).toBe('running');
    expect(existsSync(redis.dir)).toBe(true);
    await redis.stop();
    expect(existsSync(redis.dir)).toBe(false);
  });
});

describe('ManagedRedis extras', () => {
  it('stops a paused instance, and works with await using', async () => {
    let dir: string;
    let pid: number;
    {
      await using redis = await ManagedRedis.start();
      dir = redis.dir;
      pid = redis.pid;
      await redis.pause();
    }
    expect(existsSync(dir)).toBe(false);
    expect(processStatus(pid)).toBe('gone');
  });

  it('uses the password from requirepass for its own commands and hides it in url and config', async () => {
    const redis = await ManagedRedis.start({ configOverrides: { requirepass: 'pw-for-managed' } });
    try {
      expect(redis.url).toBe(`redis://:pw-for-managed@127.0.0.1:${redis.port}`);
      expect(redis.redactedUrl).toBe(`redis://:***@127.0.0.1:${redis.port}`);
      expect(redis.config.requirepass).toBe('***');
      expect(await withTestClient(redis.port, (c) => c.ping(), 'pw-for-managed')).toBe('PONG');
    } finally {
      await redis.stop();
    }
    expect(redis.state).toBe('stopped');
    expect(redis.lastExit?.code).toBe(0);
  });
});

describe('ManagedRedis errors', () => {
  it('names the install fix when redis-server is missing', async () => {
    const error = await rejection(ManagedRedis.start({ redisServerPath: '/nonexistent/redis-server' }));
    expect(error).toBeInstanceOf(InfraError);
    expect((error as InfraError).message).toMatch(/redis-server not found.*\/nonexistent\/redis-server/);
    expect((error as InfraError).hint).toContain('apt-get install redis-server');
    expect((error as InfraError).hint).toContain('brew install redis');
    expect((error as InfraError).hint).toContain('--redis-url');
  });

  it('refuses a port somebody else holds, naming it', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const error = await rejection(ManagedRedis.start({ port }));
      expect(error).toBeInstanceOf(InfraError);
      expect((error as InfraError).message).toContain(`port ${port}`);
      expect((error as InfraError).message).toMatch(/already in use/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  // The machine's own Redis holds 6379: we only check that starting there fails and leaves it listening.
  it('fails cleanly on 6379 when it is taken, leaving it alone', async () => {
    // Never start anything on 6379 on a machine where it happens to be free.
    if (await isPortFree(6379)) return;
    const error = await rejection(ManagedRedis.start({ port: 6379 }));
    expect(error).toBeInstanceOf(InfraError);
    expect((error as InfraError).message).toMatch(/port 6379 .*already in use/);
    expect(await isPortFree(6379)).toBe(false);
  });

  it('reports a config value redis-server rejects with its log lines', async () => {
    const error = await rejection(ManagedRedis.start({ configOverrides: { 'maxmemory-policy': 'not-a-policy' } }));
    expect(error).toBeInstanceOf(InfraError);
    const message = (error as InfraError).message;
    expect(message).toMatch(/rejected its configuration/);
    expect(message).toContain('not-a-policy');
    expect(message).toMatch(/last log lines/);
  });

  it('rejects an override of port with a ConfigError before starting anything', async () => {
    const error = await rejection(ManagedRedis.start({ configOverrides: { port: 7000 } }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/"port" is not allowed/);
  });

  it('reports a server that never answers within the start timeout, with its log', async () => {
    // A shell script that writes a log line and sleeps stands in for a hung redis-server.
    const { mkdtemp, writeFile, chmod, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const scratch = await mkdtemp(path.join(tmpdir(), 'rpb-fake-redis-'));
    try {
      const fake = path.join(scratch, 'fake-redis-server');
      await writeFile(fake, '#!/bin/sh\necho "fake server starting" >&2\nexec sleep 30\n');
      await chmod(fake, 0o755);
      const error = await rejection(ManagedRedis.start({ redisServerPath: fake, startTimeoutMs: 300 }));
      expect(error).toBeInstanceOf(InfraError);
      expect((error as InfraError).message).toMatch(/did not answer PING within 300 ms/);
      expect((error as InfraError).message).toContain('fake server starting');
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
