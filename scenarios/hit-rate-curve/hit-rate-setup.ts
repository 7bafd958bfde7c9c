/** The start of a hit-rate run: bytes per key on this instance, then the simulated clock's acceleration. */
import type { Redis } from 'ioredis';
import { MS_PER_S } from '../../bench/core/units.ts';
import type { RespConnection } from '../../bench/load/resp-connection.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { featurePayloads } from '../../bench/workload/feature-payloads.ts';
import { measureMemoryPerKey } from '../../bench/workload/memory-per-key.ts';
import type { MemoryPerKey } from '../../bench/workload/memory-per-key.ts';
import { scaledTtlMs } from '../../bench/workload/trading-day-workload.ts';
import type { TradingDayTrace } from '../../bench/workload/trading-day-workload.ts';
import type { HitRateParams } from './hit-rate-plan.ts';
import { lookupsPerSecond } from './hit-rate-plan.ts';
import { configureRedis, simClock } from './hit-rate-replays.ts';
import type { ReplaySetup } from './hit-rate-replays.ts';
import { replayTrace } from './trace-replay.ts';

const PAYLOAD_VARIANTS = 16;
/** Lookups of the unpaced calibration replay. */
const CALIBRATION_LOOKUPS = 20_000;

/** Rounded down to two significant digits (8,437 -> 8,400), so the stated factor reads as chosen. */
export function roundDownTwoDigits(value: number): number {
  if (!(value > 0)) return 0;
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.floor(value / unit) * unit;
}

/**
 * The acceleration that asks `headroom` of the measured lookup rate: simulated seconds per real second
 * = headroom x lookups per real second / lookups per simulated second; at least 1.
 */
export function accelerationFor(ratePerSecond: number, simulatedLookupsPerSecond: number, headroom: number): number {
  return Math.max(1, roundDownTwoDigits((headroom * ratePerSecond) / simulatedLookupsPerSecond));
}

async function measureBytesPerKey(
  admin: Redis,
  trace: TradingDayTrace,
  payload: (keyId: number) => Buffer,
  p: HitRateParams,
  signal: AbortSignal,
): Promise<MemoryPerKey> {
  await admin.config('SET', 'maxmemory', '0');
  return measureMemoryPerKey(admin, trace.keySpace, (i) => trace.keyName(i), payload, p.ttlSeconds * MS_PER_S, signal);
}

/** Unpaced lookups per real second: the first lookups of day 0 on an empty, unlimited Redis, as fast as they go. */
async function calibrate(
  context: ScenarioContext,
  connection: RespConnection,
  trace: TradingDayTrace,
  payload: (keyId: number) => Buffer,
  p: HitRateParams,
): Promise<number> {
  await configureRedis(context.admin, { label: 'calibration', maxmemoryBytes: 0, policy: 'volatile-lru', samples: 5 });
  const replay = await replayTrace(connection, {
    trace,
    acceleration: Number.POSITIVE_INFINITY,
    ttlPxMs: scaledTtlMs(p.ttlSeconds, 1),
    payload,
    concurrency: p.concurrency,
    maxLookups: CALIBRATION_LOOKUPS,
    signal: context.signal,
  });
  await context.admin.flushall();
  return replay.achievedRatePerSecond;
}

/** Values, bytes per key and the clock: everything the replays of a run share. */
export async function prepareSetup(
  context: ScenarioContext,
  connection: RespConnection,
  p: HitRateParams,
  firstDay: TradingDayTrace,
): Promise<ReplaySetup> {
  const seed = context.params.seed;
  const { payloads } = featurePayloads(p.codec, PAYLOAD_VARIANTS, seed);
  const payload = (keyId: number): Buffer => payloads[keyId % payloads.length];
  context.progress(`measuring bytes per key (${firstDay.keySpace} keys, ${p.codec} values, pipelined)`);
  const memory = await measureBytesPerKey(context.admin, firstDay, payload, p, context.signal);
  let calibratedRate: number | null = null;
  let acceleration = p.acceleration;
  if (acceleration === 0) {
    calibratedRate = await calibrate(context, connection, firstDay, payload, p);
    acceleration = accelerationFor(calibratedRate, lookupsPerSecond(p), p.headroom);
    context.progress(
      `calibrated: ${Math.round(calibratedRate)} lookups/s unpaced; simulated clock at ${acceleration}x (${Math.round(acceleration * lookupsPerSecond(p))} lookups/s paced)`,
    );
  }
  return {
    p,
    seed,
    memory,
    clock: simClock(p.ttlSeconds, acceleration),
    calibratedRate,
    warmupMs: p.ttlSeconds * MS_PER_S,
    payload,
  };
}
