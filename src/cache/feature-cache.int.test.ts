import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignalInputError } from '../errors.ts';
import { recordingLogger } from '../test-support/recording-logger.ts';
import { createRedisClient } from '../redis/client-factory.ts';
import { checkRedisHealth } from '../redis/health-check.ts';
import type { TestRedis } from '../test-support/start-redis.ts';
import { startTestRedis } from '../test-support/start-redis.ts';
import type { FeatureCodec } from './codec.ts';
import { decodeValue, encodeValue } from './codec.ts';
import { CodecRegistry, createDefaultCodecRegistry } from './codec-registry.ts';
import { FeatureCache } from './feature-cache.ts';
import { jsonCodec } from './json-codec.ts';

const DATE = '2025-01-17';

function vector(seed: number): Float64Array {
  const v = Float64Array.from({ length: 158 }, (_, i) => Math.sin(seed * 1000 + i) * 10 ** ((i % 7) - 3));
  v[seed % 158] = Number.NaN;
  return v;
}

function sameBits(a: Float64Array | null, b: Float64Array): boolean {
  return (
    a !== null &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
  );
}

/** Calls per command since the last CONFIG RESETSTAT (INFO commandstats). */
async function commandCalls(admin: Redis): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z|_-]+):calls=(\d+)/gm)) calls[match[1]!] = Number(match[2]);
  return calls;
}

describe('FeatureCache against a real Redis', () => {
  let server: TestRedis;
  let client: Redis;
  let admin: Redis;
  let logger: ReturnType<typeof recordingLogger>;
  let cache: FeatureCache;

  beforeAll(async () => {
    server = await startTestRedis();
    client = createRedisClient(server.url, { connectionName: 'rpb-test-cache' });
    admin = createRedisClient(server.url, { connectionName: 'rpb-test-admin', commandTimeoutMs: 5_000 });
    for (const c of [client, admin]) {
      const health = await checkRedisHealth(c, 5_000);
      if (!health.healthy) throw new Error(health.error);
    }
  });
  afterAll(async () => {
    client?.disconnect();
    admin?.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    await admin.flushdb(); // our own throwaway server, never the shared one
    await admin.config('RESETSTAT');
    logger = recordingLogger();
    cache = new FeatureCache({ client, codec: jsonCodec, logger });
  });

  it('misses, then hits with the exact vector at the documented key', async () => {
    expect(await cache.get('AAPL', DATE)).toBeNull();
    await cache.set('AAPL', DATE, vector(1));
    expect(await admin.exists('features:AAPL:2025-01-17')).toBe(1);
    expect(sameBits(await cache.get('AAPL', DATE), vector(1))).toBe(true);
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, corrupt: 0, errors: 0, sets: 1, ttlRepairs: 0 });
  });

  it('always sets the TTL, with set and with setMany', async () => {
    await cache.set('AAPL', DATE, vector(1));
    await cache.setMany(
      [
        { symbol: 'MSFT', features: vector(2) },
        { symbol: 'GOOGL', features: vector(3) },
      ],
      DATE,
    );
    for (const symbol of ['AAPL', 'MSFT', 'GOOGL']) {
      const ttl = await admin.ttl(`features:${symbol}:${DATE}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3600);
    }
    const short = new FeatureCache({ client, ttlSeconds: 30 });
    await short.set('TSLA', DATE, vector(4));
    const ttl = await admin.ttl(`features:TSLA:${DATE}`);
    expect(ttl > 0 && ttl <= 30).toBe(true);
    expect(cache.stats().sets).toBe(3);
  });

  describe('a value found without a TTL is given one on its next read', () => {
    const key = (symbol: string): string => `features:${symbol}:${DATE}`;
    const plant = (symbol: string, seed: number): Promise<unknown> =>
      admin.set(key(symbol), encodeValue(jsonCodec, vector(seed)));
    const ttlInRange = async (symbol: string): Promise<boolean> => {
      // TTL, not PTTL: the counts of PTTL calls below are the cache's own.
      const seconds = await admin.ttl(key(symbol));
      return seconds > 0 && seconds <= 3_600;
    };

    it('on get: the value is a hit and its TTL is set, once', async () => {
      await plant('AAPL', 1);
      expect(await admin.ttl(key('AAPL'))).toBe(-1);
      expect(sameBits(await cache.get('AAPL', DATE), vector(1))).toBe(true);
      expect(await ttlInRange('AAPL')).toBe(true);
      expect(sameBits(await cache.get('AAPL', DATE), vector(1))).toBe(true);
      expect(cache.stats()).toMatchObject({ hits: 2, ttlRepairs: 1, errors: 0 });
      const calls = await commandCalls(admin);
      expect(calls.get).toBe(2);
      expect(calls.pttl).toBe(2);
      expect(calls.expire).toBe(1);
      expect(logger.warnings[0]).toMatchObject({ key: key('AAPL'), foundTtlMs: -1 });
    });

    it('on getMany: only the values without a TTL (or with a longer one) are repaired', async () => {
      await cache.set('MSFT', DATE, vector(2));
      await plant('AAPL', 1);
      await admin.set(key('AMZN'), encodeValue(jsonCodec, vector(3)), 'EX', 7_200);
      await admin.set(key('TSLA'), 'garbage!'); // corrupt: a miss, overwritten by the caller's set, not EXPIREd
      const got = await cache.getMany(['AAPL', 'MSFT', 'AMZN', 'TSLA', 'NVDA'], DATE);
      expect(sameBits(got[0]!, vector(1)) && sameBits(got[1]!, vector(2)) && sameBits(got[2]!, vector(3))).toBe(true);
      expect(got[3]).toBeNull();
      for (const symbol of ['AAPL', 'MSFT', 'AMZN']) expect(await ttlInRange(symbol)).toBe(true);
      expect(await admin.ttl(key('TSLA'))).toBe(-1);
      expect(cache.stats()).toMatchObject({ hits: 3, ttlRepairs: 2, corrupt: 1 });
      expect((await commandCalls(admin)).expire).toBe(2);
    });

    it('a hit with its TTL costs one PTTL beside the GET and no EXPIRE', async () => {
      await cache.set('AAPL', DATE, vector(1));
      await admin.config('RESETSTAT');
      await cache.get('AAPL', DATE);
      await cache.getMany(['AAPL'], DATE);
      const calls = await commandCalls(admin);
      expect(calls).toMatchObject({ get: 1, mget: 1, pttl: 2 });
      expect(calls.expire).toBeUndefined();
      expect(cache.stats().ttlRepairs).toBe(0);
    });

    it('not with repairTtlOnRead off', async () => {
      const plain = new FeatureCache({ client, repairTtlOnRead: false });
      await plant('AAPL', 1);
      expect(sameBits(await plain.get('AAPL', DATE), vector(1))).toBe(true);
      expect((await plain.getMany(['AAPL'], DATE))[0]).not.toBeNull();
      expect(await admin.ttl(key('AAPL'))).toBe(-1);
      expect((await commandCalls(admin)).pttl).toBeUndefined();
    });
  });

  it('rejects a TTL that is not a positive integer', () => {
    for (const ttlSeconds of [0, -1, 1.5, Number.NaN])
      expect(() => new FeatureCache({ client, ttlSeconds })).toThrow(/ttlSeconds/);
  });

  it('reads many symbols in exactly one MGET, aligned with the input', async () => {
    await cache.setMany(
      ['AAPL', 'MSFT', 'AMZN'].map((symbol, i) => ({ symbol, features: vector(i) })),
      DATE,
    );
    await admin.config('RESETSTAT');
    const result = await cache.getMany(['MSFT', 'NVDA', 'AAPL', 'AMZN'], DATE);
    const calls = await commandCalls(admin);
    expect(calls.mget).toBe(1);
    expect(calls.get).toBeUndefined();
    expect(result[1]).toBeNull();
    expect(sameBits(result[0]!, vector(1)) && sameBits(result[2]!, vector(0)) && sameBits(result[3]!, vector(2))).toBe(
      true,
    );
    expect(cache.stats()).toMatchObject({ hits: 3, misses: 1 });
    expect(await cache.getMany([], DATE)).toEqual([]);
  });

  it('writes many symbols with SET EX in one pipeline', async () => {
    await cache.setMany(
      ['AAPL', 'MSFT', 'AMZN'].map((symbol, i) => ({ symbol, features: vector(i) })),
      DATE,
    );
    const calls = await commandCalls(admin);
    expect(calls.set).toBe(3);
    expect(calls.expire).toBeUndefined();
  });

  it('validates every key before sending anything', async () => {
    await expect(cache.getMany(['AAPL', 'bad symbol'], DATE)).rejects.toBeInstanceOf(SignalInputError);
    await expect(cache.setMany([{ symbol: 'AAPL', features: vector(1) }], '2025-02-30')).rejects.toBeInstanceOf(
      SignalInputError,
    );
    await expect(cache.set('AAPL', DATE, new Float64Array(157))).rejects.toThrow(/157 features, expected 158/);
    const calls = await commandCalls(admin);
    expect(calls.mget ?? 0).toBe(0);
    expect(calls.set ?? 0).toBe(0);
  });

  it('invalidates one key, reporting whether it existed', async () => {
    await cache.set('AAPL', DATE, vector(1));
    expect(await cache.invalidate('AAPL', DATE)).toBe(true);
    expect(await cache.get('AAPL', DATE)).toBeNull();
    expect(await cache.invalidate('AAPL', DATE)).toBe(false);
    expect((await commandCalls(admin)).unlink).toBe(2);
  });

  it("invalidates only one symbol's keys, with SCAN and batched UNLINK, never KEYS", async () => {
    const small = new FeatureCache({ client, scanCount: 7, unlinkBatchSize: 4 });
    const dates = Array.from(
      { length: 30 },
      (_, i) => `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + i).padStart(2, '0')}`,
    );
    for (const date of dates) await small.set('AAPL', date, vector(1));
    await small.set('AAPLX', DATE, vector(2)); // shares the prefix "AAPL"
    await small.set('MSFT', DATE, vector(3));
    await admin.set('other:AAPL:2025-01-17', 'not ours');
    await admin.config('RESETSTAT');

    expect(await small.invalidateSymbol('AAPL')).toBe(30);
    const calls = await commandCalls(admin);
    expect(calls.scan).toBeGreaterThanOrEqual(1);
    expect(calls.keys).toBeUndefined();
    // Batches of at most 4 (SCAN may repeat a key while rehashing).
    expect(calls.unlink).toBeGreaterThanOrEqual(Math.ceil(30 / 4));
    expect((await admin.keys('*')).sort()).toEqual([
      `features:AAPLX:${DATE}`,
      `features:MSFT:${DATE}`,
      'other:AAPL:2025-01-17',
    ]);
    expect(await small.invalidateSymbol('AAPL')).toBe(0);
  });

  describe('an unusable value is a counted, logged miss, then overwritten', () => {
    const key = `features:AAPL:${DATE}`;
    const good = encodeValue(jsonCodec, vector(1));
    const otherCodec: FeatureCodec = {
      name: 'test-other',
      tag: 201,
      encode: () => Buffer.from('x'),
      decode: () => new Float64Array(158),
    };

    it.each<[string, (admin: Redis) => Promise<unknown>, string]>([
      ['garbage', (a) => a.set(key, 'garbage!'), 'bad-header'],
      ['a bare JSON array (no header)', (a) => a.set(key, JSON.stringify(Array.from(vector(1)))), 'bad-header'],
      ['a truncated value', (a) => a.set(key, good.subarray(0, good.length - 20)), 'malformed'],
      ['a vector of the wrong length', (a) => a.set(key, encodeValue(jsonCodec, new Float64Array(10))), 'wrong-length'],
      ["another codec's value", (a) => a.set(key, encodeValue(otherCodec, vector(1))), 'wrong-codec'],
      ['a hash (WRONGTYPE)', (a) => a.hset(key, 'f', 'v'), 'wrong-type'],
      ['a list (WRONGTYPE)', (a) => a.rpush(key, 'a', 'b'), 'wrong-type'],
    ])('%s', async (_, plant, reason) => {
      const reader = new FeatureCache({
        client,
        logger,
        codec: jsonCodec,
        registry: new CodecRegistry([jsonCodec, otherCodec]),
      });
      await plant(admin);
      expect(await reader.get('AAPL', DATE)).toBeNull();
      expect((await reader.getMany(['AAPL'], DATE))[0]).toBeNull();
      expect(reader.stats()).toMatchObject({ hits: 0, misses: 2, errors: 0 });
      expect(reader.stats().corrupt).toBe(reason === 'wrong-type' ? 1 : 2); // MGET answers nil for another type
      expect(logger.warnings[0]).toMatchObject({ key, reason });

      await reader.set('AAPL', DATE, vector(1));
      expect(await admin.type(key)).toBe('string');
      expect((await admin.ttl(key)) > 0).toBe(true);
      const stored = decodeValue(createDefaultCodecRegistry(), (await admin.getBuffer(key))!);
      expect(stored.ok && sameBits(stored.features, vector(1))).toBe(true);
      expect(sameBits(await reader.get('AAPL', DATE), vector(1))).toBe(true);
    });
  });

  it('propagates Redis errors and counts them', async () => {
    const other = await startTestRedis();
    const doomed = createRedisClient(other.url);
    try {
      const health = await checkRedisHealth(doomed, 5_000);
      expect(health.healthy).toBe(true);
      const doomedCache = new FeatureCache({ client: doomed });
      await other.kill();
      await expect(doomedCache.get('AAPL', DATE)).rejects.toThrow();
      await expect(doomedCache.getMany(['AAPL'], DATE)).rejects.toThrow();
      await expect(doomedCache.set('AAPL', DATE, vector(1))).rejects.toThrow();
      await expect(doomedCache.setMany([{ symbol: 'AAPL', features: vector(1) }], DATE)).rejects.toThrow();
      await expect(doomedCache.invalidate('AAPL', DATE)).rejects.toThrow();
      await expect(doomedCache.invalidateSymbol('AAPL')).rejects.toThrow();
      expect(doomedCache.stats()).toEqual({ hits: 0, misses: 0, corrupt: 0, errors: 6, sets: 0, ttlRepairs: 0 });
    } finally {
      doomed.disconnect();
      await other.stop();
    }
  });
});
