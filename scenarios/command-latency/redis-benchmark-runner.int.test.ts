import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import type { TestRedis } from '../../src/test-support/start-redis.ts';
import { RecorderSet } from '../../bench/measure/recorder-set.ts';
import { liveChildPids } from '../../bench/core/cleanup-registry.ts';
import { COMMAND_OPERATION_DEFAULTS, commandKey, preloadCommandKeys } from '../../bench/load/command-operation.ts';
import type { CommandOperationSpec } from '../../bench/load/command-operation.ts';
import { compareWithRedisBenchmark, redisBenchmarkCommand } from './redis-benchmark-comparison.ts';
import { findRedisBenchmark, runRedisBenchmark } from './redis-benchmark-runner.ts';

const PASSWORD = 'int-test-secret-9f3';
const executable = findRedisBenchmark();
let redis: TestRedis;
let admin: Redis;

const spec: CommandOperationSpec = {
  ...COMMAND_OPERATION_DEFAULTS,
  command: 'GET',
  keyCount: 20,
  valueBase64: Buffer.alloc(300, 7).toString('base64'),
  seed: 1,
};

beforeAll(async () => {
  redis = await startTestRedis({ args: ['--requirepass', PASSWORD] });
  admin = new Redis({ port: redis.port, host: '127.0.0.1', password: PASSWORD, lazyConnect: true });
  await admin.connect();
  await preloadCommandKeys(spec, admin);
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});

describe.skipIf(executable === null)('redis-benchmark against a managed server', () => {
  it('runs GET, MGET and SET on our preloaded keys, with the password, and returns its CSV row', async () => {
    const target = { host: '127.0.0.1', port: redis.port, db: 0, password: PASSWORD };
    const base = {
      executable: executable as string,
      target,
      clients: 2,
      pipeline: 4,
      requests: 2_000,
      keyspace: spec.keyCount,
      timeoutMs: 20_000,
    };
    const before = Number((await admin.info('stats')).match(/keyspace_misses:(\d+)/)?.[1]);
    const get = await runRedisBenchmark({ ...base, command: redisBenchmarkCommand(spec) });
    expect(get.test).toBe(`GET ${spec.keyPrefix}__rand_int__${spec.keySuffix}`);
    expect(get.rps).toBeGreaterThan(0);
    expect(get.p50Ms).toBeLessThanOrEqual(get.maxMs);
    const mget = await runRedisBenchmark({ ...base, command: redisBenchmarkCommand({ ...spec, command: 'MGET' }) });
    expect(mget.test.split(' ')).toHaveLength(1 + spec.mgetSize);
    // Every GET and MGET hit a preloaded key: the comparison reads what we read.
    const after = Number((await admin.info('stats')).match(/keyspace_misses:(\d+)/)?.[1]);
    expect(after).toBe(before);
    await runRedisBenchmark({ ...base, command: redisBenchmarkCommand({ ...spec, command: 'SET' }) });
    expect(await admin.strlen(commandKey(spec, 3))).toBe(300);
    expect(await admin.ttl(commandKey(spec, 3))).toBeGreaterThan(3_000);
    expect(liveChildPids()).toEqual([]);
  });

  it('a wrong password is an InfraError that never shows the password', async () => {
    const wrong = 'wrong-pass-77aa';
    const error = await runRedisBenchmark({
      executable: executable as string,
      target: { host: '127.0.0.1', port: redis.port, db: 0, password: wrong },
      clients: 1,
      pipeline: 1,
      requests: 100,
      keyspace: 10,
      command: ['GET', 'x'],
      timeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('InfraError');
    expect((error as Error).message).not.toContain(wrong);
    expect(liveChildPids()).toEqual([]);
  });
});

describe('comparison without redis-benchmark', () => {
  it('is a clear note, not a failure', async () => {
    const result = await compareWithRedisBenchmark({
      redisUrl: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`,
      targetKind: 'managed',
      mode: 'managed',
      commands: [{ label: 'GET', spec }],
      drivers: [{ driver: 'ioredis', clients: [admin] }],
      pipelineDepth: 1,
      durationMs: 100,
      warmupDurationMs: 0,
      rounds: 1,
      recorders: new RecorderSet(),
      signal: new AbortController().signal,
      progress: () => {},
      env: { PATH: '' },
    });
    expect(result.ran).toBe(false);
    expect(result.notes.join(' ')).toMatch(/redis-benchmark is not on PATH/);
    expect(result.values).toEqual({});
  });

  it('is not run against a --redis-url target unless opted in, nor on port 6379', async () => {
    const common = {
      commands: [{ label: 'GET', spec }],
      drivers: [{ driver: 'ioredis' as const, clients: [admin] }],
      pipelineDepth: 1,
      durationMs: 100,
      warmupDurationMs: 0,
      rounds: 1,
      recorders: new RecorderSet(),
      signal: new AbortController().signal,
      progress: () => {},
    };
    const url = await compareWithRedisBenchmark({
      ...common,
      redisUrl: `redis://127.0.0.1:${redis.port}`,
      targetKind: 'url',
      mode: 'managed',
    });
    expect(url.notes.join(' ')).toMatch(/--set redisBenchmark=always/);
    const shared = await compareWithRedisBenchmark({
      ...common,
      redisUrl: 'redis://127.0.0.1:6379',
      targetKind: 'url',
      mode: 'always',
      env: { PATH: process.env.PATH },
    });
    expect(shared.ran).toBe(false);
    expect(shared.notes.join(' ')).toMatch(/6379/);
  });
});
