import { Redis } from 'ioredis';
import { decodeValue, encodeValue } from '../../src/cache/codec.ts';
import { createDefaultCodecRegistry } from '../../src/cache/codec-registry.ts';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { jsonCodec } from '../../src/cache/json-codec.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import { generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysBetween } from '../../src/market/trading-calendar.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { waitUntilReady } from '../run/signal-system.ts';
import { ManagedRedis } from '../targets/managed-redis.ts';
import { DEFAULT_MICROBENCH_OPTIONS, runMicroBench } from './run-bench.ts';
import type { MicroBenchOptions, MicroResult } from './run-bench.ts';

/**
 * The hit path (FeatureCache.get: GET + decode) against a bare GET of the same value on the same
 * connection, on a Redis this suite starts. Target: hit p50 within 1.5x of the bare GET p50.
 */
export async function hitPathSuite(options: MicroBenchOptions = DEFAULT_MICROBENCH_OPTIONS): Promise<MicroResult[]> {
  const redis = await ManagedRedis.start();
  let client: Redis | undefined;
  try {
    client = createRedisClient(redis.url, { connectionName: 'rpb-microbench', commandTimeoutMs: 5_000 });
    client.on('error', () => {});
    await waitUntilReady(client, 5_000);
    const series = generateOhlcv({ symbol: 'AAPL', dates: tradingDaysBetween('2023-01-01', '2025-12-31'), seed: 42 });
    const date = series.dates[series.dates.length - 1];
    const features = computeAlpha158(series, date);
    const key = featureKey('AAPL', date);
    const value = encodeValue(jsonCodec, features);
    await client.set(key, value, 'EX', 3_600);
    const cache = new FeatureCache({ client, codec: jsonCodec });
    const registry = createDefaultCodecRegistry();
    const c = client;
    return await runMicroBench(
      'hit-path',
      [
        { id: 'bare-get', name: `bare GET (${value.length} B value)`, fn: () => c.getBuffer(key) },
        { id: 'hit', name: 'FeatureCache.get hit (GET + decode)', fn: () => cache.get('AAPL', date) },
        { id: 'decode', name: 'decode only (json-array, 158 floats)', fn: () => decodeValue(registry, value) },
      ],
      options,
    );
  } finally {
    client?.disconnect();
    await redis.stop();
  }
}
