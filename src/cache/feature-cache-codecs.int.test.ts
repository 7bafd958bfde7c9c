import type { Redis } from 'ioredis';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../test-support/recording-logger.ts';
import { createRedisClient } from '../redis/client-factory.ts';
import type { TestRedis } from '../test-support/start-redis.ts';
import { startTestRedis } from '../test-support/start-redis.ts';
import { CODEC_NAMES, codecByName, jsonArrayGzipCodec } from './codec-registry.ts';
import { FeatureCache } from './feature-cache.ts';
import { FLOAT32_MAX_RELATIVE_ERROR, maxRelativeError } from './float32-codec.ts';

const DATE = '2025-01-17';

function vector(): Float64Array {
  const v = Float64Array.from({ length: 158 }, (_, i) => Math.cos(i + 0.5) * 10 ** ((i % 7) - 3));
  v[7] = Number.NaN;
  return v;
}

describe('FeatureCache with every shipped codec, against a real Redis', () => {
  let server: TestRedis;
  let client: Redis;

  beforeAll(async () => {
    server = await startTestRedis();
    client = createRedisClient(server.url, { commandTimeoutMs: 5_000 });
    // The cache client has no offline queue: wait until it is connected.
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it.each(CODEC_NAMES.map((name) => [name]))(
    '%s: set, then get the same vector (float32: within 2^-24)',
    async (name) => {
      const codec = codecByName(name);
      const cache = new FeatureCache({ client, codec });
      const symbol = `C${codec.tag}`;
      const input = vector();
      await cache.set(symbol, DATE, input);
      const output = await cache.get(symbol, DATE);
      expect(output).not.toBeNull();
      if (name === 'float32') expect(maxRelativeError(input, output!)).toBeLessThanOrEqual(FLOAT32_MAX_RELATIVE_ERROR);
      else expect(Buffer.from(output!.buffer).equals(Buffer.from(input.buffer))).toBe(true);
      expect(cache.stats()).toMatchObject({ hits: 1, corrupt: 0 });
      // A reader with another codec takes the value as a miss, never as its own format.
      const other = new FeatureCache({ client, codec: codecByName(name === 'json-array' ? 'float64' : 'json-array') });
      expect(await other.get(symbol, DATE)).toBeNull();
      expect(other.stats()).toMatchObject({ misses: 1, corrupt: 1 });
    },
  );

  it('takes a corrupt or oversized compressed value as a miss (and the next set repairs it)', async () => {
    const logger = recordingLogger();
    const cache = new FeatureCache({ client, codec: jsonArrayGzipCodec, logger });
    const header = Buffer.from([0xfe, 0x46, 1, jsonArrayGzipCodec.tag]);
    await client.set(
      'features:BOMB:2025-01-17',
      Buffer.concat([header, gzipSync(Buffer.alloc(8 * 1024 * 1024), { level: 9 })]),
    );
    await client.set(
      'features:TRUNC:2025-01-17',
      Buffer.concat([header, jsonArrayGzipCodec.encode(vector()).subarray(0, 40)]),
    );
    expect(await cache.get('BOMB', DATE)).toBeNull();
    expect(await cache.get('TRUNC', DATE)).toBeNull();
    expect(cache.stats()).toMatchObject({ corrupt: 2, misses: 2, hits: 0 });
    expect(logger.warnings.map((w) => w.reason)).toEqual(['malformed', 'malformed']);
    expect(String(logger.warnings[0]?.detail)).toMatch(/inflates beyond/);
    await cache.set('BOMB', DATE, vector());
    expect(await cache.get('BOMB', DATE)).not.toBeNull();
  });
});
