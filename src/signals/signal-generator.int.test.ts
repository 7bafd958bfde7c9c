import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDefaultCodecRegistry } from '../cache/codec-registry.ts';
import { decodeValue, encodeValue } from '../cache/codec.ts';
import { FeatureCache } from '../cache/feature-cache.ts';
import { jsonCodec } from '../cache/json-codec.ts';
import { computeAlpha158 } from '../features/alpha158.ts';
import type { MarketDataSource } from '../market/market-data-source.ts';
import { createRedisClient } from '../redis/client-factory.ts';
import { checkRedisHealth } from '../redis/health-check.ts';
import type { TestRedis } from '../test-support/start-redis.ts';
import { startTestRedis } from '../test-support/start-redis.ts';
import { inMemoryMarket as testMarket } from '../test-support/test-markets.ts';
import type { LinearModel } from './linear-model.ts';
import { ModelRegistry } from './model-registry.ts';
import type { Signal, SignalBatch } from './signal-generator.ts';
import { SignalGenerator } from './signal-generator.ts';

const DATE = '2025-01-17';
const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'TSLA'];

const inMemoryMarket = (symbols: readonly string[]): MarketDataSource => testMarket(symbols, DATE, 20250117);

/** Same symbols and bit-identical scores (Object.is also tells 0 from -0). */
function expectIdenticalScores(actual: readonly Signal[], expected: readonly Signal[]): void {
  expect(actual.map((s) => s.symbol)).toEqual(expected.map((s) => s.symbol));
  actual.forEach((signal, i) => expect(Object.is(signal.score, expected[i]!.score)).toBe(true));
}

async function readyClient(url: string): Promise<Redis> {
  const client = createRedisClient(url);
  const health = await checkRedisHealth(client, 5_000);
  if (!health.healthy) {
    client.disconnect();
    throw new Error(`test Redis not healthy: ${health.error}`);
  }
  return client;
}

describe('SignalGenerator with a real Redis, real Alpha158 and the committed model', () => {
  let server: TestRedis;
  let client: Redis;
  let model: LinearModel;
  const market = inMemoryMarket(SYMBOLS);
  let baseline: SignalBatch;

  beforeAll(async () => {
    model = await ModelRegistry.load();
    server = await startTestRedis();
    client = await readyClient(server.url);
    baseline = await new SignalGenerator({ model, market, featureCache: null }).generate(SYMBOLS, DATE);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    await client.flushdb(); // our own throwaway server
  });

  it('computes finite scores without a cache', () => {
    expect(baseline.signals.every((s) => s.source === 'computed' && Number.isFinite(s.score))).toBe(true);
    expect(baseline.cache).toEqual({ enabled: false, hits: 0, misses: 0, errors: 0 });
    expect(baseline).toMatchObject({ asOfDate: DATE, modelName: 'alpha158-linear', modelVersion: '1.0.0' });
  });

  it.each(['per-symbol', 'batched'] as const)(
    'gives identical signals from the cache (%s reads)',
    async (cacheReads) => {
      const featureCache = new FeatureCache({ client });
      const generator = new SignalGenerator({ model, market, featureCache, cacheReads });
      const cold = await generator.generate(SYMBOLS, DATE);
      expect(cold.cache).toEqual({ enabled: true, hits: 0, misses: 5, errors: 0 });
      const warm = await generator.generate(SYMBOLS, DATE);
      expect(warm.cache).toEqual({ enabled: true, hits: 5, misses: 0, errors: 0 });
      expect(warm.signals.every((s) => s.source === 'cache')).toBe(true);
      expectIdenticalScores(cold.signals, baseline.signals);
      expectIdenticalScores(warm.signals, baseline.signals);
      expect(await client.dbsize()).toBe(5);
    },
  );

  it('treats corrupt values as misses and repairs them', async () => {
    const good = encodeValue(jsonCodec, new Float64Array(158).fill(1));
    await client.set(`features:AAPL:${DATE}`, 'garbage');
    await client.set(`features:MSFT:${DATE}`, good.subarray(0, good.length / 2));
    await client.hset(`features:GOOGL:${DATE}`, 'KMID', '0.1');
    await client.set(`features:AMZN:${DATE}`, encodeValue(jsonCodec, new Float64Array(157)));
    const featureCache = new FeatureCache({ client });
    const generator = new SignalGenerator({ model, market, featureCache });

    const repaired = await generator.generate(SYMBOLS, DATE);
    expect(repaired.cache).toEqual({ enabled: true, hits: 0, misses: 5, errors: 0 });
    expect(featureCache.stats()).toMatchObject({ corrupt: 4, misses: 5, sets: 5 });
    expectIdenticalScores(repaired.signals, baseline.signals);

    for (const symbol of SYMBOLS) {
      const key = `features:${symbol}:${DATE}`;
      expect(await client.type(key)).toBe('string');
      const decoded = decodeValue(createDefaultCodecRegistry(), (await client.getBuffer(key))!);
      const expected = computeAlpha158(await market.readSeries(symbol), DATE);
      expect(decoded.ok && Buffer.from(decoded.features.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    }
    const after = await generator.generate(SYMBOLS, DATE);
    expect(after.cache.hits).toBe(5);
  });

  describe('when Redis fails', () => {
    let doomedServer: TestRedis;
    let doomed: Redis;
    beforeEach(async () => {
      doomedServer = await startTestRedis();
      doomed = await readyClient(doomedServer.url);
    });
    afterAll(async () => {
      doomed?.disconnect();
      await doomedServer?.stop();
    });

    it.each(['per-symbol', 'batched'] as const)(
      'completes with identical signals after Redis is killed (%s reads)',
      async (cacheReads) => {
        try {
          const generator = new SignalGenerator({
            model,
            market,
            featureCache: new FeatureCache({ client: doomed }),
            cacheReads,
          });
          await generator.generate(SYMBOLS.slice(0, 2), DATE); // warm part of the cache, then lose it
          await doomedServer.kill();
          const batch = await generator.generate(SYMBOLS, DATE);
          expectIdenticalScores(batch.signals, baseline.signals);
          expect(batch.signals.every((s) => s.source === 'computed')).toBe(true);
          expect(batch.cache).toEqual({ enabled: true, hits: 0, misses: 5, errors: cacheReads === 'batched' ? 2 : 10 });
        } finally {
          doomed.disconnect();
          await doomedServer.stop();
        }
      },
    );

    it('completes with identical signals while Redis is paused (command timeouts, no hang)', async () => {
      try {
        const generator = new SignalGenerator({ model, market, featureCache: new FeatureCache({ client: doomed }) });
        doomedServer.pause();
        const batch = await generator.generate(SYMBOLS, DATE);
        expectIdenticalScores(batch.signals, baseline.signals);
        expect(batch.cache.errors).toBe(10);
      } finally {
        doomed.disconnect();
        await doomedServer.stop();
      }
    });
  });
});
