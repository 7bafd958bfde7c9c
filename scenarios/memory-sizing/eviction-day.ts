/**
 * One simulated trading day of the documented workload replayed on one maxmemory (volatile-lru), with
 * INFO polled beside it: peak used_memory, and evictions after the warm-up against the fills.
 */
import type { Redis } from 'ioredis';
import { MS_PER_S } from '../../bench/core/units.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import type { RespConnection } from '../../bench/load/resp-connection.ts';
import type { TradingDayTrace } from '../../bench/workload/trading-day-workload.ts';
import { firstIndexAt } from '../hit-rate-curve/hit-rate-figures.ts';
import { configureRedis } from '../hit-rate-curve/hit-rate-replays.ts';
import type { SimClock } from '../hit-rate-curve/hit-rate-replays.ts';
import { ACCESS_MISS_FILL_FAILED, ACCESS_MISS_FILLED, replayTrace } from '../hit-rate-curve/trace-replay.ts';
import type { ReplayResult } from '../hit-rate-curve/trace-replay.ts';
import { peakUsedMemory, sampleAt } from './memory-figures.ts';
import type { InfoSample } from './memory-figures.ts';

/** INFO is read this often during a replay (real ms): fine enough for the peak, light on Redis. */
export const INFO_POLL_MS = 20;
/** The document's policy and Redis's default sampling. */
export const DOCUMENT_POLICY = 'volatile-lru';
const SAMPLES = 5;

/** What a day replay needs. */
export interface DayReplay {
  readonly admin: Redis;
  readonly connection: RespConnection;
  readonly clock: SimClock;
  readonly payload: (keyId: number) => Buffer;
  readonly concurrency: number;
  /** The warm-up: the first TTL of the day, simulated ms. */
  readonly warmupMs: number;
  readonly signal: AbortSignal;
}

/** The figures of one day on one maxmemory. */
export interface DayResult {
  readonly maxmemoryBytes: number;
  readonly replay: ReplayResult;
  readonly samples: readonly InfoSample[];
  readonly peakUsedMemory: number;
  /** Fills (SET after a miss) Redis accepted after the warm-up, and refused (OOM) over the day. */
  readonly fillsCounted: number;
  readonly fillsRefused: number;
  /** evicted_keys after the warm-up, and over the whole day. */
  readonly evictionsCounted: number;
  readonly evictionsTotal: number;
  /** Simulated seconds after the warm-up. */
  readonly countedSimulatedSeconds: number;
}

function field(info: string, name: string): number {
  const match = new RegExp(`^${name}:(\\d+)`, 'm').exec(info);
  return match === null ? Number.NaN : Number(match[1]);
}

async function readSample(admin: Redis, startMs: number): Promise<InfoSample> {
  const info = String(await admin.call('INFO', 'memory', 'stats'));
  return {
    atMs: performance.now() - startMs,
    usedMemory: field(info, 'used_memory'),
    evictedKeys: field(info, 'evicted_keys'),
  };
}

/** Polls INFO every INFO_POLL_MS until `done` settles; the last sample is taken after it. */
async function pollWhile(
  admin: Redis,
  startMs: number,
  done: Promise<unknown>,
  signal: AbortSignal,
): Promise<InfoSample[]> {
  let finished = false;
  const mark = (): void => {
    finished = true;
  };
  done.then(mark, mark);
  const samples: InfoSample[] = [await readSample(admin, startMs)];
  while (!finished && !signal.aborted) {
    await sleepMs(INFO_POLL_MS, signal);
    samples.push(await readSample(admin, startMs));
  }
  await done.catch(() => undefined);
  samples.push(await readSample(admin, startMs));
  return samples;
}

function countFrom(outcomes: Uint8Array, from: number, kind: number): number {
  let count = 0;
  for (let i = from; i < outcomes.length; i++) if (outcomes[i] === kind) count += 1;
  return count;
}

/** FLUSHALL, maxmemory with volatile-lru, RESETSTAT; then the day on the clock, INFO polled beside it. */
export async function replayDayWithInfo(
  replay: DayReplay,
  trace: TradingDayTrace,
  maxmemoryBytes: number,
): Promise<DayResult> {
  const { admin, clock } = replay;
  await configureRedis(admin, { label: 'memory-sizing', maxmemoryBytes, policy: DOCUMENT_POLICY, samples: SAMPLES });
  const startMs = performance.now();
  const running = replayTrace(replay.connection, {
    trace,
    acceleration: clock.acceleration,
    ttlPxMs: clock.ttlPxMs,
    payload: replay.payload,
    concurrency: replay.concurrency,
    signal: replay.signal,
  });
  const samples = await pollWhile(admin, startMs, running, replay.signal);
  const result = await running;
  const countedFrom = firstIndexAt(trace.timesMs, replay.warmupMs);
  const atWarmupEnd = sampleAt(samples, replay.warmupMs / clock.acceleration);
  const last = samples[samples.length - 1];
  return {
    maxmemoryBytes,
    replay: result,
    samples,
    peakUsedMemory: peakUsedMemory(samples),
    fillsCounted: countFrom(result.outcomes, countedFrom, ACCESS_MISS_FILLED),
    fillsRefused: countFrom(result.outcomes, 0, ACCESS_MISS_FILL_FAILED),
    evictionsCounted: last.evictedKeys - (atWarmupEnd?.evictedKeys ?? 0),
    evictionsTotal: last.evictedKeys,
    countedSimulatedSeconds: Math.max(0, trace.durationMs - replay.warmupMs) / MS_PER_S,
  };
}
