import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import type { TestRedis } from '../../src/test-support/start-redis.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import {
  COMMAND_OPERATION_DEFAULTS,
  commandKey,
  createCommandOperation,
  preloadCommandKeys,
} from './command-operation.ts';
import type { CommandOperationSpec } from './command-operation.ts';
import { classifyFailure } from './load-operation.ts';
import { openRespConnections } from './load-clients.ts';
import { encodeCommand, RespCommandTimeoutError, RespConnection, RespReplyError } from './resp-connection.ts';
import { ReplyKind } from './resp-reply-scanner.ts';
import { runShardedLoad } from './sharded-load.ts';

const PASSWORD = 'resp-int-pass-41c';
const DB = 3;
let redis: TestRedis;
let admin: Redis;
let url: string;
const OPTIONS = { connectTimeoutMs: 2_000, commandTimeoutMs: 5_000 };
const value = Buffer.concat([Buffer.from([0, 13, 10, 255]), Buffer.alloc(2_700, 0x41)]);
const spec = (command: CommandOperationSpec['command']): CommandOperationSpec => ({
  ...COMMAND_OPERATION_DEFAULTS,
  command,
  keyCount: 50,
  valueBase64: value.toString('base64'),
  seed: 5,
  keyPrefix: 'resp:S',
});

beforeAll(async () => {
  redis = await startTestRedis({ args: ['--requirepass', PASSWORD] });
  url = `redis://:${PASSWORD}@127.0.0.1:${redis.port}/${DB}`;
  admin = new Redis({ port: redis.port, host: '127.0.0.1', password: PASSWORD, db: DB, lazyConnect: true });
  await admin.connect();
  await preloadCommandKeys(spec('GET'), admin);
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});

async function namedConnections(name: string): Promise<number> {
  return String(await admin.client('LIST'))
    .split('\n')
    .filter((line) => line.includes(`name=${name} `)).length;
}

describe('RespConnection against a real redis-server', () => {
  it('authenticates, selects the database, names itself, and matches replies in order', async () => {
    const connection = await RespConnection.open(url, { ...OPTIONS, connectionName: 'rpb-resp-test' });
    try {
      expect(await namedConnections('rpb-resp-test')).toBe(1);
      // Many in flight at once: replies come back in order, each with its own kind.
      const kinds = await Promise.all([
        connection.send(encodeCommand(['GET', commandKey(spec('GET'), 1)])),
        connection.send(encodeCommand(['GET', 'resp:absent'])),
        connection.send(encodeCommand(['SET', 'resp:x', 'v'])),
        connection.send(encodeCommand(['MGET', commandKey(spec('GET'), 2), 'resp:absent'])),
      ]);
      expect(kinds).toEqual([ReplyKind.Value, ReplyKind.Nil, ReplyKind.Value, ReplyKind.Nil]);
      // db 3: the key written is there, not in db 0.
      expect(await admin.get('resp:x')).toBe('v');
      const error = await connection.send(encodeCommand(['INCR', commandKey(spec('GET'), 1)])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RespReplyError);
      expect((error as Error).message).toMatch(/not an integer/);
      // An error reply fails one command, not the connection.
      expect(await connection.send(encodeCommand(['PING']))).toBe(ReplyKind.Value);
    } finally {
      connection.close();
    }
    expect(connection.closed).toBe(true);
    await expect(connection.send(encodeCommand(['PING']))).rejects.toThrow(/closed/);
  });

  it('the command operations read and write the same keys as with ioredis, and a miss is an error', async () => {
    const [connection] = await openRespConnections(
      url,
      { ...OPTIONS, connectionsPerWorker: 1, batchWrites: true },
      'rpb-resp-ops',
    );
    try {
      const set = createCommandOperation({ ...spec('SET'), keyPrefix: 'resp:W' }, connection);
      for (let i = 0; i < 20; i++) await set(i);
      const written = await admin.keys('resp:W*');
      expect(written.length).toBeGreaterThan(5);
      expect((await admin.getBuffer(written[0]))?.equals(value)).toBe(true);
      expect(await admin.ttl(written[0])).toBeGreaterThan(3_000);
      const get = createCommandOperation(spec('GET'), connection);
      const mget = createCommandOperation(spec('MGET'), connection);
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? get(i) : mget(i))));
      const missing = createCommandOperation({ ...spec('GET'), keyPrefix: 'resp:none' }, connection);
      await expect(missing(0)).rejects.toThrow(/found no value/);
      const missingMget = createCommandOperation({ ...spec('MGET'), keyPrefix: 'resp:none' }, connection);
      await expect(missingMget(0)).rejects.toThrow(/MGET found no value/);
    } finally {
      connection.close();
    }
  });

  it('a closed connection is passed over; when all are closed, commands fail with why', async () => {
    const connections = await openRespConnections(
      url,
      { ...OPTIONS, connectionsPerWorker: 3, batchWrites: false },
      'rpb-resp-closed',
    );
    try {
      const get = createCommandOperation(spec('GET'), connections);
      connections[1].close();
      // Many in flight at once: the live connections always have some pending, the closed one none.
      const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => get(i)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      connections[0].close();
      connections[2].close();
      await expect(get(61)).rejects.toThrow(/Connection is closed/);
    } finally {
      for (const connection of connections) connection.close();
    }
  });

  it('a reply later than the command timeout fails every pending command as a timeout and closes the connection', async () => {
    const connection = await RespConnection.open(url, {
      ...OPTIONS,
      commandTimeoutMs: 300,
      connectionName: 'rpb-resp-timeout',
    });
    const started = Date.now();
    // BLPOP on an empty list answers only after 2 s.
    const blocked = connection.send(encodeCommand(['BLPOP', 'resp:empty', '2'])).catch((e: unknown) => e);
    const behind = connection.send(encodeCommand(['PING'])).catch((e: unknown) => e);
    const [first, second] = await Promise.all([blocked, behind]);
    expect(first).toBeInstanceOf(RespCommandTimeoutError);
    expect(second).toBeInstanceOf(RespCommandTimeoutError);
    expect(classifyFailure(first)).toBe('timeout');
    // Never before the timeout; within two 100 ms checks after it (plus a loaded machine's slack).
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(connection.closed).toBe(true);
    for (let i = 0; i < 20 && (await namedConnections('rpb-resp-timeout')) > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await namedConnections('rpb-resp-timeout')).toBe(0);
  });

  it('a wrong password or a closed port is an InfraError that never shows the password', async () => {
    const wrong = 'wrong-resp-pass-9d';
    const error = await RespConnection.open(`redis://:${wrong}@127.0.0.1:${redis.port}`, OPTIONS).catch(
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('InfraError');
    expect((error as Error).message).toMatch(/setup failed/);
    expect((error as Error).message).not.toContain(wrong);
    const refused = await RespConnection.open('redis://127.0.0.1:1', OPTIONS).catch((e: unknown) => e);
    expect((refused as Error).name).toBe('InfraError');
    expect((refused as Error).message).toMatch(/cannot connect/);
    await expect(RespConnection.open(`rediss://127.0.0.1:${redis.port}`, OPTIONS)).rejects.toThrow(/plain TCP only/);
  });

  it('runs in worker threads (driver=resp), every command reaching Redis, and leaves no connection open', async () => {
    const getCalls = async (): Promise<number> =>
      Number((await admin.info('commandstats')).match(/cmdstat_get:calls=(\d+)/)?.[1] ?? 0);
    const before = await getCalls();
    const recorders = new RecorderSet();
    const result = await runShardedLoad(
      {
        redisUrl: url,
        factory: {
          module: new URL('./command-operation.ts', import.meta.url),
          exportName: 'commandOperationFactory',
          args: spec('GET'),
        },
        load: {
          kind: 'closed-loop',
          options: { workers: 4, durationMs: 600, warmupDurationMs: 100, metricName: 'resp-get' },
        },
        client: { driver: 'resp', connectionsPerWorker: 2, connectionName: 'rpb-resp-pool' },
      },
      { shard: null, workers: 2, seed: 1 },
      recorders,
    );
    recorders.cutAll();
    expect(result.errors + result.timeouts + result.abandoned).toBe(0);
    expect(result.sent).toBeGreaterThan(100);
    expect(recorders.metric('resp-get').total().totalCount).toBe(result.ok);
    // The warm-up's GETs come on top of the measured ones.
    expect((await getCalls()) - before).toBeGreaterThanOrEqual(result.sent);
    for (
      let i = 0;
      i < 20 && (await namedConnections('rpb-resp-pool-1')) + (await namedConnections('rpb-resp-pool-2')) > 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    expect((await namedConnections('rpb-resp-pool-1')) + (await namedConnections('rpb-resp-pool-2'))).toBe(0);
  });
});
