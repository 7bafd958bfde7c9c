/** Bytes per feature key, measured: real vectors written by src FeatureCache into a flushed Redis. */
import type { Redis } from 'ioredis';
import { encodeValue } from '../../src/cache/codec.ts';
import { DEFAULT_FEATURE_CACHE_OPTIONS, FeatureCache } from '../../src/cache/feature-cache.ts';
import { computeAlpha158AtIndex } from '../../src/features/alpha158.ts';
import { defaultSymbols, generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import type { TradingDayTrace } from '../../bench/workload/trading-day-workload.ts';

/** Alpha158 needs 61 bars; each synthetic symbol gives vectors at this many consecutive as-of dates. */
const HISTORY_BARS = 61;
const DATES_PER_SYMBOL = 20;
/** Distinct real vectors; key id k stores vector k % VECTORS (sizes vary as real vectors do). */
export const DISTINCT_VECTORS = 500;
/** The document's example keyspace (`DBSIZE` (integer) 500). */
export const EXAMPLE_KEYS = 500;
const BATCH = 500;

/** Real Alpha158 vectors and their bytes in the service's default codec (what FeatureCache stores). */
export interface FeatureValues {
  vector(keyId: number): Float64Array;
  value(keyId: number): Buffer;
  readonly meanValueBytes: number;
}

export function featureValues(seed: number, count: number = DISTINCT_VECTORS): FeatureValues {
  const dates = tradingDaysEndingAt('2025-01-17', HISTORY_BARS + DATES_PER_SYMBOL);
  const vectors: Float64Array[] = [];
  for (const symbol of defaultSymbols(Math.ceil(count / DATES_PER_SYMBOL))) {
    const series = generateOhlcv({ symbol, dates, seed });
    for (let i = 0; i < DATES_PER_SYMBOL && vectors.length < count; i++)
      vectors.push(computeAlpha158AtIndex(series, HISTORY_BARS + i - 1));
  }
  const values = vectors.map((v) => encodeValue(DEFAULT_FEATURE_CACHE_OPTIONS.codec, v));
  return {
    vector: (keyId) => vectors[keyId % vectors.length],
    value: (keyId) => values[keyId % values.length],
    meanValueBytes: values.reduce((sum, v) => sum + v.length, 0) / values.length,
  };
}

/** One fill's figures. */
export interface FillResult {
  readonly keys: number;
  /** used_memory of the empty instance (the admin client connected). */
  readonly baselineUsedMemory: number;
  /** used_memory when DBSIZE was exactly EXAMPLE_KEYS (NaN when the key space is smaller). */
  readonly usedMemoryAtExample: number;
  /** (used_memory after the fill - baseline) / keys: what maxmemory counts per key. */
  readonly usedMemoryPerKey: number;
  /** Mean of MEMORY USAGE key SAMPLES 0 over every key: Redis's own per-key estimate. */
  readonly memoryUsagePerKey: number;
}

export async function usedMemory(admin: Redis): Promise<number> {
  const match = /^used_memory:(\d+)/m.exec(await admin.info('memory'));
  if (match === null) throw new Error('INFO memory has no used_memory field');
  return Number(match[1]);
}

/** Key ids date by date (all symbols of the oldest date first), as the service fills a day's keys. */
function idsByDate(trace: TradingDayTrace): number[] {
  const { symbols, lookbackDates } = trace.workload;
  const ids: number[] = [];
  for (let d = 0; d < lookbackDates; d++) for (let s = 0; s < symbols; s++) ids.push(s * lookbackDates + d);
  return ids;
}

/**
 * FLUSHALL, then the first `maxKeys` keys (at least EXAMPLE_KEYS) of the day's key space through
 * FeatureCache.setMany (EX 3600, default codec), batches of one date; used_memory is read at exactly
 * EXAMPLE_KEYS keys and at the end, then MEMORY USAGE of every key written (pipelined), then FLUSHALL.
 * For a Redis the harness started (the caller checks).
 */
export async function fillKeySpace(
  admin: Redis,
  trace: TradingDayTrace,
  values: FeatureValues,
  maxKeys: number,
): Promise<FillResult> {
  const { symbols, lookbackDates } = trace.workload;
  const names = defaultSymbols(symbols);
  const dates = tradingDaysEndingAt(trace.date, lookbackDates);
  const cache = new FeatureCache({ client: admin });
  await admin.config('SET', 'maxmemory', '0');
  await admin.flushall();
  const baseline = await usedMemory(admin);
  const ids = idsByDate(trace).slice(0, Math.max(EXAMPLE_KEYS, maxKeys));
  let atExample = Number.NaN;
  for (let start = 0; start < ids.length;) {
    const date = ids[start] % lookbackDates;
    let end = start;
    // A batch holds one date, at most BATCH keys, and ends at EXAMPLE_KEYS so DBSIZE can be exactly 500 there.
    while (end < ids.length && end - start < BATCH && ids[end] % lookbackDates === date) {
      end += 1;
      if (end === EXAMPLE_KEYS) break;
    }
    const entries = ids
      .slice(start, end)
      .map((id) => ({ symbol: names[Math.floor(id / lookbackDates)], features: values.vector(id) }));
    await cache.setMany(entries, dates[date]);
    start = end;
    if (start === EXAMPLE_KEYS && Number(await admin.dbsize()) === EXAMPLE_KEYS) atExample = await usedMemory(admin);
  }
  const keys = Number(await admin.dbsize());
  const after = await usedMemory(admin);
  const usage = admin.pipeline();
  for (const id of ids) usage.call('MEMORY', 'USAGE', trace.keyName(id), 'SAMPLES', '0');
  const replies = (await usage.exec()) ?? [];
  const usages = replies.map(([, n]) => n).filter((n): n is number => typeof n === 'number');
  await admin.flushall();
  return {
    keys,
    baselineUsedMemory: baseline,
    usedMemoryAtExample: atExample,
    usedMemoryPerKey: keys > 0 ? (after - baseline) / keys : Number.NaN,
    memoryUsagePerKey: usages.length > 0 ? usages.reduce((a, b) => a + b, 0) / usages.length : Number.NaN,
  };
}
