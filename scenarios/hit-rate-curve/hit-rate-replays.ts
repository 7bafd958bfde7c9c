/** One replay of a trading day on one Redis setting: configure, replay on the simulated clock, read the figures. */
import type { Redis } from 'ioredis';
import type { HitRatioPredictor } from '../../bench/analysis/miss-ratio-curve.ts';
import { buildPredictor } from '../../bench/analysis/miss-ratio-curve.ts';
import { MS_PER_S } from '../../bench/core/units.ts';
import type { RespConnection } from '../../bench/load/resp-connection.ts';
import type { MemoryPerKey } from '../../bench/workload/memory-per-key.ts';
import { scaledTtlMs } from '../../bench/workload/trading-day-workload.ts';
import type { TradingDayTrace } from '../../bench/workload/trading-day-workload.ts';
import type { HitRateParams } from './hit-rate-plan.ts';
import { fillSuccessPercent, firstIndexAt, hitRatePercent } from './hit-rate-figures.ts';
import { replayTrace } from './trace-replay.ts';
import type { ReplayResult } from './trace-replay.ts';

export const MB = 1024 * 1024;
/** The document's `maxmemory 512mb`. */
export const DOCUMENT_MAXMEMORY_BYTES = 512 * 1024 * 1024;

/** The simulated clock a replay runs on. */
export interface SimClock {
  /** Simulated seconds per real second. */
  readonly acceleration: number;
  /** SET PX of every fill: the simulated TTL / acceleration, real ms. */
  readonly ttlPxMs: number;
}

/** The clock at `acceleration` for a TTL of `ttlSeconds` simulated seconds. */
export function simClock(ttlSeconds: number, acceleration: number): SimClock {
  return { acceleration, ttlPxMs: scaledTtlMs(ttlSeconds, acceleration) };
}

/** What every replay of a run shares: parameters, measured bytes per key, the starting clock, the values. */
export interface ReplaySetup {
  readonly p: HitRateParams;
  readonly seed: number;
  readonly memory: MemoryPerKey;
  /** The clock the trials start on (calibrated, or the `acceleration` parameter). */
  readonly clock: SimClock;
  /** Unpaced lookups per real second measured at the start; null when the acceleration was given. */
  readonly calibratedRate: number | null;
  /** The warm-up: the first TTL of every day, simulated ms. */
  readonly warmupMs: number;
  payload(keyId: number): Buffer;
}

/** What the trials and the sweep replay with: the admin and replay connections, the setup, abort and progress. */
export interface Replayer {
  readonly admin: Redis;
  readonly connection: RespConnection;
  readonly setup: ReplaySetup;
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
}

/** A Redis configuration a day is replayed on; maxmemory 0 means unlimited. */
export interface RedisSetting {
  readonly label: string;
  readonly maxmemoryBytes: number;
  readonly policy: string;
  readonly samples: number;
}

/** The figures of one day replayed on one setting. */
export interface ReplayRun {
  readonly setting: RedisSetting;
  readonly clock: SimClock;
  /** Keys that fit under maxmemory (the LRU model's size); the key space when unlimited. */
  readonly capacityKeys: number;
  readonly replay: ReplayResult;
  /** Hit rate (%) of the lookups after the warm-up. */
  readonly hitRate: number;
  /** Share (%) of the misses after the warm-up whose fill Redis accepted. */
  readonly fillSuccess: number;
  /** Exact TTL-aware LRU hit rate (%) of the same lookups at capacityKeys. */
  readonly predictedHitRate: number;
  readonly evictedKeys: number;
  readonly expiredKeys: number;
}

/** A day's trace with its LRU predictor (stack distances computed once) and its warm-up index. */
export interface PreparedDay {
  readonly trace: TradingDayTrace;
  readonly predictor: HitRatioPredictor;
  /** Index of the first lookup after the warm-up. */
  readonly countedFrom: number;
}

/** Day `trace` with its exact LRU model and the index where counting starts (after the first TTL). */
export function prepareDay(setup: ReplaySetup, trace: TradingDayTrace): PreparedDay {
  const countedFrom = firstIndexAt(trace.timesMs, setup.warmupMs);
  const predictor = buildPredictor(trace, {
    ttlMs: setup.p.ttlSeconds * MS_PER_S,
    warmupAccesses: countedFrom,
    method: { kind: 'exact' },
  });
  return { trace, predictor, countedFrom };
}

/** Keys that fit under maxmemory: (maxmemory - the empty instance's used_memory) / measured bytes per key. */
export function capacityKeys(maxmemoryBytes: number, memory: MemoryPerKey, keySpace: number): number {
  if (maxmemoryBytes === 0) return keySpace;
  const fit = Math.floor((maxmemoryBytes - memory.baselineUsedMemory) / memory.usedMemoryPerKey);
  return Math.max(0, Math.min(keySpace, fit));
}

function statsField(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return match === null ? Number.NaN : Number(match[1]);
}

/** FLUSHALL (the defined start: an empty cache at the open), then the setting, then zeroed stats. */
export async function configureRedis(admin: Redis, setting: RedisSetting): Promise<void> {
  await admin.flushall();
  await admin.config('SET', 'maxmemory', String(setting.maxmemoryBytes));
  await admin.config('SET', 'maxmemory-policy', setting.policy);
  await admin.config('SET', 'maxmemory-samples', String(setting.samples));
  await admin.config('RESETSTAT');
}

/** Share of the scaled TTL the replay ran behind its schedule at the 99th percentile. */
export function lagShareOfTtl(run: ReplayRun): number {
  return run.replay.lagP99Ms / run.clock.ttlPxMs;
}

/** Replays one day on one setting and clock from an empty Redis and reads its figures after the warm-up. */
export async function replayDay(
  replayer: Replayer,
  clock: SimClock,
  day: PreparedDay,
  setting: RedisSetting,
): Promise<ReplayRun> {
  const { admin, setup } = replayer;
  await configureRedis(admin, setting);
  const replay = await replayTrace(replayer.connection, {
    trace: day.trace,
    acceleration: clock.acceleration,
    ttlPxMs: clock.ttlPxMs,
    payload: (keyId) => setup.payload(keyId),
    concurrency: setup.p.concurrency,
    signal: replayer.signal,
  });
  const stats = await admin.info('stats');
  const capacity = capacityKeys(setting.maxmemoryBytes, setup.memory, day.trace.keySpace);
  return {
    setting,
    clock,
    capacityKeys: capacity,
    replay,
    hitRate: hitRatePercent(replay.outcomes, day.countedFrom),
    fillSuccess: fillSuccessPercent(replay.outcomes, day.countedFrom),
    predictedHitRate: 100 * day.predictor.hitRatioAt(capacity),
    evictedKeys: statsField(stats, 'evicted_keys'),
    expiredKeys: statsField(stats, 'expired_keys'),
  };
}
