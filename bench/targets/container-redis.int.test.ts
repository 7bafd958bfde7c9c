import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, InfraError } from '../errors.ts';
import { resolveRunParams } from '../run/run-params.ts';
import { runCli } from '../test-support/run-cli.ts';
import { checkDockerEngine, startContainerRedis } from './container-redis.ts';

const engine = await checkDockerEngine();
if (!engine.reachable)
  console.log(`container target tests that need Docker are skipped: no Docker engine reachable (${engine.reason})`);

const tmpDirs: string[] = [];
afterAll(async () => {
  for (const dir of tmpDirs) await rm(dir, { recursive: true, force: true });
});

describe('--target container', () => {
  it('is validated with the other run options', () => {
    const out = path.join(os.tmpdir(), `rpb-never-created-${process.pid}`);
    expect(resolveRunParams({ target: 'container', out }, {}).target).toBe('container');
    expect(resolveRunParams({ out }, {}).target).toBeUndefined();
    const problems = (raw: Parameters<typeof resolveRunParams>[0]): readonly string[] => {
      try {
        resolveRunParams(raw, {});
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    };
    expect(problems({ target: 'vm', out }).join('\n')).toMatch(/--target "vm": expected managed .* or container/);
    expect(problems({ target: 'container', redisUrl: 'redis://127.0.0.1:1', out }).join('\n')).toMatch(
      /--target container cannot be combined with --redis-url/,
    );
  });

  it.skipIf(engine.reachable)(
    'without a Docker engine: InfraError (exit 3) naming the problem and the fix',
    async () => {
      const error = await startContainerRedis().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InfraError);
      expect((error as InfraError).exitCode).toBe(ExitCode.infrastructure);
      expect((error as InfraError).message).toMatch(/needs a Docker engine, and none is reachable/);
      expect((error as InfraError).hint).toMatch(/run without --target container/);
    },
  );

  it.skipIf(engine.reachable)(
    'without a Docker engine: `rpb run --target container` exits 3 with the message',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-container-'));
      tmpDirs.push(dir);
      const result = await runCli([
        'run',
        'connections',
        '--quick',
        '--target',
        'container',
        '--out',
        path.join(dir, 'out'),
      ]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/rpb: --target container needs a Docker engine/);
      expect(result.stderr).not.toMatch(/internal error/);
    },
  );

  it.skipIf(!engine.reachable)(
    'starts a redis:7.0 container with the document config, answers, and stops it',
    async () => {
      const container = await startContainerRedis({ 'maxmemory-policy': 'volatile-lru' });
      const client = new Redis(container.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      client.on('error', () => {});
      try {
        await client.connect();
        expect(await client.ping()).toBe('PONG');
        expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'volatile-lru']);
      } finally {
        client.disconnect();
        await container.stop();
      }
      const after = new Redis(container.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      after.on('error', () => {});
      await expect(after.connect()).rejects.toThrow();
      after.disconnect();
    },
    120_000,
  );
});
