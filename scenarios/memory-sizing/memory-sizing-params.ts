/** The memory-sizing scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { TunableSpec } from '../../bench/core/tunables.ts';
import { DEFAULT_TRADING_DAY } from '../../bench/workload/trading-day-workload.ts';
import type { TradingDayWorkload } from '../../bench/workload/trading-day-workload.ts';

/** The document's `maxmemory 512mb` (redis.conf recommendations). */
export const DOCUMENT_MAXMEMORY_BYTES = 512 * 1024 * 1024;

/**
 * The documented universe the sizing is judged for: the trading-day workload's defaults (500 symbols,
 * the document's DBSIZE 500, x 20 lookback dates). A run on another universe scales maxmemory by its
 * share of this key space, so it keeps the same keys-to-capacity ratio as 512mb here.
 */
export const DOCUMENT_KEY_SPACE = DEFAULT_TRADING_DAY.symbols * DEFAULT_TRADING_DAY.lookbackDates;

export interface MemorySizingParams extends Omit<TradingDayWorkload, 'seed'> {
  /** Trials behind every verdict: one fill, one simulated day and one no-TTL pair each. */
  readonly trials: number;
  /** Keys written through FeatureCache per fill (at least 500, the document's DBSIZE example). */
  readonly fillKeys: number;
  /** The document's TTL (3600 s) in simulated seconds; the first TTL of a day is its warm-up. */
  readonly ttlSeconds: number;
  /** Share of the calibrated (unpaced) lookup rate the paced replays ask for. */
  readonly headroom: number;
  /** Lookups in flight on the replay connection. */
  readonly concurrency: number;
  /** maxmemory points of the eviction sweep, as shares of the measured peak working set (above the empty instance). */
  readonly sweepFractions: readonly number[];
  /** Anti-pattern 2: symbols written per new date. */
  readonly streamSymbols: number;
  /** Anti-pattern 2: new dates in one stream. */
  readonly streamDates: number;
  /** Anti-pattern 2: maxmemory holds this many dates' keys above the empty instance. */
  readonly streamCapacityDates: number;
  /** Anti-pattern 2: real ms between two dates (one trading session of 23,400 simulated s). */
  readonly dateIntervalMs: number;
}

const { seed: _workloadSeed, ...TRADING_DAY } = DEFAULT_TRADING_DAY;

/**
 * The documented workload for 1.5 TTLs (the warm-up hour and 30 counted minutes), 6 trials, a sweep of
 * two maxmemory points; anti-pattern 2 streams 10 dates of the document's 500 symbols into room for 3.
 */
export const DEFAULT_MEMORY_SIZING_PARAMS: MemorySizingParams = {
  ...TRADING_DAY,
  sessionSeconds: 5_400,
  trials: 6,
  fillKeys: 1_000,
  ttlSeconds: 3_600,
  headroom: 0.5,
  concurrency: 32,
  sweepFractions: [1, 0.5],
  streamSymbols: 500,
  streamDates: 10,
  streamCapacityDates: 3,
  dateIntervalMs: 40,
};

/** --quick: hit-rate-curve's smaller universe at a quarter of its request rate, one sweep point, a shorter stream. */
export const QUICK_MEMORY_SIZING_PARAMS: MemorySizingParams = {
  ...DEFAULT_MEMORY_SIZING_PARAMS,
  symbols: 100,
  lookbackDates: 10,
  signalRequestsPerSecond: 0.1,
  fillKeys: 500,
  sweepFractions: [0.5],
  streamDates: 5,
  streamCapacityDates: 2,
  dateIntervalMs: 30,
};

export const MEMORY_SIZING_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: { kind: 'integer', min: 1, max: 30, description: 'trials (6 or more for a verdict)' },
  fillKeys: {
    kind: 'integer',
    min: 500,
    max: 50_000,
    description: 'feature keys written through FeatureCache per fill (bytes per key; at least the 500 of the example)',
  },
  symbols: {
    kind: 'integer',
    min: 5,
    max: 5_000,
    description: 'universe of symbols (maxmemory scales with the key space against 500 x 20)',
  },
  lookbackDates: { kind: 'integer', min: 1, max: 250, description: 'trading dates a request may ask for' },
  signalRequestsPerSecond: {
    kind: 'number',
    min: 0.01,
    max: 100,
    description: 'signal requests per simulated second (a harness assumption: the document gives none)',
  },
  sessionSeconds: {
    kind: 'integer',
    min: 600,
    max: 86_400,
    description: 'simulated length of a day (the first TTL is its warm-up)',
  },
  concurrency: { kind: 'integer', min: 1, max: 256, description: 'lookups in flight on the replay connection' },
  streamSymbols: { kind: 'integer', min: 10, max: 5_000, description: 'anti-pattern 2: symbols per new date' },
  streamDates: { kind: 'integer', min: 2, max: 250, description: 'anti-pattern 2: new dates per stream' },
  streamCapacityDates: {
    kind: 'integer',
    min: 1,
    max: 100,
    description: "anti-pattern 2: dates' keys that fit under the small maxmemory",
  },
  dateIntervalMs: {
    kind: 'integer',
    min: 5,
    max: 10_000,
    description: 'anti-pattern 2: real ms between dates (one trading session; the TTL is 3600/23400 of it)',
  },
};

/** The trading-day workload of a parameter set, under the run's seed. */
export function workloadOf(p: MemorySizingParams, seed: number): TradingDayWorkload {
  return {
    symbols: p.symbols,
    lookbackDates: p.lookbackDates,
    symbolTheta: p.symbolTheta,
    dateTheta: p.dateTheta,
    signalRequestsPerSecond: p.signalRequestsPerSecond,
    symbolsPerRequest: p.symbolsPerRequest,
    sessionSeconds: p.sessionSeconds,
    firstDate: p.firstDate,
    seed,
  };
}
