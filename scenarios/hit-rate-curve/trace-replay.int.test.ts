import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RespConnection, encodeCommand } from '../../bench/load/resp-connection.ts';
import type { TradingDayTrace } from '../../bench/workload/trading-day-workload.ts';
import { DEFAULT_TRADING_DAY } from '../../bench/workload/trading-day-workload.ts';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import type { TestRedis } from '../../src/test-support/start-redis.ts';
import { ACCESS_HIT, ACCESS_MISS_FILLED, replayTrace } from './trace-replay.ts';
import type { ReplayOptions } from './trace-replay.ts';

let redis: TestRedis;
let connection: RespConnection;
const value = Buffer.concat([Buffer.from([0, 13, 10, 255]), Buffer.alloc(100, 0x41)]);

/** A hand-made day: key ids and simulated times. */
function trace(keys: number[], timesMs: number[]): TradingDayTrace {
  return {
    workload: DEFAULT_TRADING_DAY,
    day: 0,
    date: '2025-01-13',
    durationMs: Math.max(...timesMs) + 1,
    keys: Int32Array.from(keys),
    timesMs: Float64Array.from(timesMs),
    keySpace: 4,
    keyName: (id) => `replay-test:${id}`,
  };
}

const replay = (t: TradingDayTrace, options: Partial<ReplayOptions>) =>
  replayTrace(connection, {
    trace: t,
    acceleration: Number.POSITIVE_INFINITY,
    ttlPxMs: 60_000,
    payload: () => value,
    concurrency: 8,
    signal: new AbortController().signal,
    ...options,
  });

beforeAll(async () => {
  redis = await startTestRedis();
  connection = await RespConnection.open(redis.url, { connectTimeoutMs: 2_000, commandTimeoutMs: 5_000 });
});

beforeEach(async () => {
  await connection.send(encodeCommand(['FLUSHALL']));
});

afterAll(async () => {
  connection?.close();
  await redis?.stop();
});

describe('trace replay', () => {
  it("keeps each key's lookups in order with many in flight: a repeat after a miss sees its fill", async () => {
    const result = await replay(trace([0, 0, 1, 0, 1, 2], [0, 0, 0, 0, 0, 0]), {});
    expect(Array.from(result.outcomes)).toEqual([
      ACCESS_MISS_FILLED,
      ACCESS_HIT,
      ACCESS_MISS_FILLED,
      ACCESS_HIT,
      ACCESS_HIT,
      ACCESS_MISS_FILLED,
    ]);
  });

  it('lets keys expire on the scaled TTL: 1 simulated hour at 10,000x is 360 real ms', async () => {
    // Key 0 is looked up again 1,800 simulated s (180 ms) and 4,000 simulated s (400 ms) after its fill.
    const result = await replay(trace([0, 0, 0], [0, 1_800_000, 4_000_000]), {
      acceleration: 10_000,
      ttlPxMs: 360,
    });
    expect(Array.from(result.outcomes)).toEqual([ACCESS_MISS_FILLED, ACCESS_HIT, ACCESS_MISS_FILLED]);
    expect(result.wallMs).toBeGreaterThanOrEqual(399);
  });
});
