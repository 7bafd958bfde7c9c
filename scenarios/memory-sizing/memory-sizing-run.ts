/** The measurements of memory-sizing, in order: fills, the clock, the days, the sweep, the no-TTL pairs. */
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { MS_PER_S } from '../../bench/core/units.ts';
import { RespConnection } from '../../bench/load/resp-connection.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { generateTradingDayTrace } from '../../bench/workload/trading-day-workload.ts';
import type { TradingDayTrace } from '../../bench/workload/trading-day-workload.ts';
import { configureRedis, simClock } from '../hit-rate-curve/hit-rate-replays.ts';
import type { SimClock } from '../hit-rate-curve/hit-rate-replays.ts';
import { accelerationFor } from '../hit-rate-curve/hit-rate-setup.ts';
import { replayTrace } from '../hit-rate-curve/trace-replay.ts';
import { DOCUMENT_POLICY, replayDayWithInfo } from './eviction-day.ts';
import type { DayReplay, DayResult } from './eviction-day.ts';
import { featureValues, fillKeySpace } from './memory-fill.ts';
import type { FeatureValues, FillResult } from './memory-fill.ts';
import { scaledMaxmemoryBytes, streamTtlPxMs, sweepMaxmemoryBytes } from './memory-figures.ts';
import type { MemorySizingParams } from './memory-sizing-params.ts';
import { workloadOf } from './memory-sizing-params.ts';
import { DEFAULT_HZ, runStreamPair } from './no-ttl-stream.ts';
import type { StreamPlan, StreamResult } from './no-ttl-stream.ts';

/** Lookups of the unpaced calibration replay. */
const CALIBRATION_LOOKUPS = 20_000;

export interface SweepRun {
  readonly fraction: number;
  readonly day: DayResult;
}

export interface MemoryMeasurement {
  readonly p: MemorySizingParams;
  readonly values: FeatureValues;
  readonly traces: readonly TradingDayTrace[];
  readonly fills: readonly FillResult[];
  readonly calibratedRate: number;
  readonly clock: SimClock;
  /** The run's maxmemory: 512mb scaled to its key space (512mb itself for the documented universe). */
  readonly maxmemoryBytes: number;
  readonly days: readonly DayResult[];
  readonly sweep: readonly SweepRun[];
  readonly stream: StreamPlan;
  readonly pairs: readonly { readonly bad: StreamResult; readonly good: StreamResult }[];
}

function lookupsPerSimulatedSecond(p: MemorySizingParams): number {
  return p.signalRequestsPerSecond * p.symbolsPerRequest;
}

/** Unpaced lookups per real second on an empty, unlimited Redis: what the clock's acceleration is set from. */
async function calibrate(
  context: ScenarioContext,
  connection: RespConnection,
  trace: TradingDayTrace,
  values: FeatureValues,
  p: MemorySizingParams,
): Promise<number> {
  await configureRedis(context.admin, { label: 'calibration', maxmemoryBytes: 0, policy: DOCUMENT_POLICY, samples: 5 });
  const replay = await replayTrace(connection, {
    trace,
    acceleration: Number.POSITIVE_INFINITY,
    ttlPxMs: p.ttlSeconds * MS_PER_S,
    payload: (id) => values.value(id),
    concurrency: p.concurrency,
    maxLookups: CALIBRATION_LOOKUPS,
    signal: context.signal,
  });
  await context.admin.flushall();
  return replay.achievedRatePerSecond;
}

async function measureDays(
  context: ScenarioContext,
  connection: RespConnection,
  base: Omit<MemoryMeasurement, 'days' | 'sweep' | 'pairs' | 'stream'>,
): Promise<{ days: DayResult[]; sweep: SweepRun[] }> {
  const { p, clock, values, traces } = base;
  const replay: DayReplay = {
    admin: context.admin,
    connection,
    clock,
    payload: (id) => values.value(id),
    concurrency: p.concurrency,
    warmupMs: p.ttlSeconds * MS_PER_S,
    signal: context.signal,
  };
  const days: DayResult[] = [];
  for (const trace of traces) {
    if (context.signal.aborted) break;
    days.push(await replayDayWithInfo(replay, trace, base.maxmemoryBytes));
    context.progress(
      `day ${days.length}/${traces.length} (${trace.date}) at maxmemory ${(base.maxmemoryBytes / 2 ** 20).toFixed(1)} MB: ${days[days.length - 1].evictionsTotal} evictions`,
    );
  }
  const baseline = medianOf(base.fills.map((f) => f.baselineUsedMemory));
  const peak = medianOf(days.map((d) => d.peakUsedMemory));
  const sweep: SweepRun[] = [];
  for (const fraction of p.sweepFractions) {
    if (context.signal.aborted) break;
    const maxmemory = sweepMaxmemoryBytes(baseline, peak, fraction);
    sweep.push({ fraction, day: await replayDayWithInfo(replay, traces[0], maxmemory) });
    context.progress(
      `sweep: maxmemory at ${fraction * 100}% of the peak working set, ${sweep[sweep.length - 1].day.evictionsCounted} evictions after the warm-up`,
    );
  }
  return { days, sweep };
}

/** Every measurement of the scenario on a managed Redis; it is flushed and unlimited again afterwards. */
export async function measureMemory(context: ScenarioContext, p: MemorySizingParams): Promise<MemoryMeasurement> {
  const { admin } = context;
  const seed = context.params.seed;
  const workload = workloadOf(p, seed);
  const traces = Array.from({ length: p.trials }, (_, day) => generateTradingDayTrace(workload, day));
  const values = featureValues(seed);
  let connection: RespConnection | null = null;
  try {
    context.progress(
      `filling ${Math.min(p.fillKeys, traces[0].keySpace)} feature keys through FeatureCache, ${p.trials} times`,
    );
    const fills: FillResult[] = [];
    for (const trace of traces)
      if (!context.signal.aborted) fills.push(await fillKeySpace(admin, trace, values, p.fillKeys));
    connection = await RespConnection.open(context.target.url, {
      connectTimeoutMs: 10_000,
      commandTimeoutMs: 10_000,
      connectionName: 'rpb-memory-replay',
      batchWrites: true,
    });
    const calibratedRate = await calibrate(context, connection, traces[0], values, p);
    const clock = simClock(p.ttlSeconds, accelerationFor(calibratedRate, lookupsPerSimulatedSecond(p), p.headroom));
    context.progress(`calibrated: ${Math.round(calibratedRate)} lookups/s unpaced; clock at ${clock.acceleration}x`);
    const base = {
      p,
      values,
      traces,
      fills,
      calibratedRate,
      clock,
      maxmemoryBytes: scaledMaxmemoryBytes(traces[0].keySpace),
    };
    const { days, sweep } = await measureDays(context, connection, base);
    const perKey = medianOf(fills.map((f) => f.usedMemoryPerKey));
    const stream: StreamPlan = {
      symbols: p.streamSymbols,
      dates: p.streamDates,
      firstDate: p.firstDate,
      maxmemoryBytes: Math.round(
        medianOf(fills.map((f) => f.baselineUsedMemory)) + p.streamCapacityDates * p.streamSymbols * perKey,
      ),
      dateIntervalMs: p.dateIntervalMs,
      ttlPxMs: streamTtlPxMs(p.ttlSeconds, p.dateIntervalMs),
      value: (id) => values.value(id),
    };
    const pairs = [];
    for (let trial = 0; trial < p.trials && !context.signal.aborted; trial++)
      pairs.push(await runStreamPair(admin, connection, stream, trial, context.signal));
    context.progress(
      `anti-pattern 2: ${pairs.length} pairs of streams (${p.streamDates} dates of ${p.streamSymbols} symbols)`,
    );
    return { ...base, days, sweep, stream, pairs };
  } finally {
    connection?.close();
    await admin.config('SET', 'maxmemory', '0').catch(() => undefined);
    await admin.config('SET', 'hz', String(DEFAULT_HZ)).catch(() => undefined);
    await admin.flushall().catch(() => undefined);
  }
}
