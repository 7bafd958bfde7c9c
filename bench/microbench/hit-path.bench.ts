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
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import { elapsedNs, nowNs } from '../measure/clock.ts';
import { MetricRecorder } from '../measure/metric-recorder.ts';
import { waitUntilReady } from '../run/signal-system.ts';
import { ManagedRedis } from '../targets/managed-redis.ts';
import { DEFAULT_MICROBENCH_OPTIONS } from './run-bench.ts';
import type { MicroBenchOptions, MicroResult } from './run-bench.ts';

/**
 * The hit path (FeatureCache.get: GET + decode) against a bare GET of the same value on the same
 * connection, on a Redis this suite starts. Target: hit p50 within 1.5x of the bare GET p50.
 * The three operations alternate in one loop rather than run as separate tinybench tasks: a ratio
 * of two tasks timed seconds apart on a shared machine moves with whatever else ran meanwhile.
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
    const key = featureKey('AAPL', date);
    const value = encodeValue(jsonCodec, computeAlpha158(series, date));
    await client.set(key, value, 'EX', 3_600);
    const cache = new FeatureCache({ client, codec: jsonCodec });
    const registry = createDefaultCodecRegistry();

    const tasks = [
      {
        id: 'bare-get',
        name: `bare GET (${value.length} B value)`,
        recorder: new MetricRecorder('bare-get', 0),
        run: (c: Redis) => c.getBuffer(key),
      },
      {
        id: 'hit',
        name: 'FeatureCache.get hit (GET + decode)',
        recorder: new MetricRecorder('hit', 0),
        run: () => cache.get('AAPL', date),
      },
      {
        id: 'decode',
        name: `decode only (${jsonCodec.name}, 158 floats)`,
        recorder: new MetricRecorder('decode', 0),
        run: () => decodeValue(registry, value),
      },
    ];
    const loop = async (durationMs: number, record: boolean): Promise<void> => {
      const deadline = performance.now() + durationMs;
      while (performance.now() < deadline) {
        for (const task of tasks) {
          const start = nowNs();
          await task.run(client as Redis);
          if (record) task.recorder.recordNs(elapsedNs(start));
        }
      }
    };
    await loop(options.warmupTimeMs, false);
    await loop(options.timeMs * tasks.length, true);
    return tasks.map((task) => {
      const summary = summarizeHistogram(task.recorder.total());
      return {
        suite: 'hit-path',
        id: task.id,
        task: `${task.name}, interleaved`,
        samples: summary.count,
        medianNs: summary.p50Ns ?? Number.NaN,
        meanNs: summary.meanNs ?? Number.NaN,
        p99Ns: summary.p99Ns ?? Number.NaN,
      };
    });
  } finally {
    client?.disconnect();
    await redis.stop();
  }
}
