import type { TunableSpec } from '../../bench/core/tunables.ts';
import { DEFAULT_TRADING_DAY } from '../../bench/workload/trading-day-workload.ts';
import type { TradingDayWorkload } from '../../bench/workload/trading-day-workload.ts';

/**
 * Parameters of the hit-rate scenario: the trading-day workload (bench/workload/trading-day-workload.ts),
 * the simulated clock, the trials and the maxmemory sweep.
 */
export interface HitRateParams extends Omit<TradingDayWorkload, 'seed'> {
  /** The document's TTL (3600 s), in simulated seconds; the first TTL of every day is the warm-up. */
  readonly ttlSeconds: number;
  /** Trials behind every verdict: one simulated trading day each, from a flushed Redis. */
  readonly trials: number;
  /** Simulated seconds per real second; 0: as fast as this machine allows (calibrated at the start). */
  readonly acceleration: number;
  /** Share of the calibrated lookup rate the paced replays ask for (room for hiccups of a shared machine). */
  readonly headroom: number;
  /** Lookups in flight at once on the replay connection (one key's lookups stay in order). */
  readonly concurrency: number;
  readonly codec: string;
  /** Which sweep replays run besides the trials. */
  readonly sweep: 'maxmemory' | 'none';
  /** maxmemory points of the sweep (allkeys-lru, samples 10), as shares of the working set's bytes. */
  readonly memoryFractions: readonly number[];
  /** The sweep replays the first this many simulated seconds of day 0 (the warm-up TTL included). */
  readonly sweepSeconds: number;
  /** Signal requests per simulated second of the predicted hit rate by request rate (no replay). */
  readonly requestRates: readonly number[];
}

/** The workload's defaults; each trial gets its own seed. */
const { seed: _workloadSeed, ...TRADING_DAY } = DEFAULT_TRADING_DAY;

export const DEFAULT_HIT_RATE_PARAMS: HitRateParams = {
  ...TRADING_DAY,
  ttlSeconds: 3_600,
  trials: 6,
  acceleration: 0,
  headroom: 0.5,
  concurrency: 32,
  codec: 'json-array',
  sweep: 'maxmemory',
  memoryFractions: [0.1, 0.25, 0.75],
  sweepSeconds: 10_800,
  requestRates: [0.1, 0.25, 0.5, 1, 2, 4],
};

/** --quick: a smaller universe, a 2-hour day (the warm-up hour and one counted hour), one sweep point. */
export const QUICK_HIT_RATE_PARAMS: HitRateParams = {
  ...DEFAULT_HIT_RATE_PARAMS,
  symbols: 100,
  lookbackDates: 10,
  signalRequestsPerSecond: 0.4,
  sessionSeconds: 7_200,
  memoryFractions: [0.25],
  sweepSeconds: 7_200,
  requestRates: [0.1, 0.4, 1],
};

export const HIT_RATE_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  symbols: { kind: 'integer', min: 5, max: 5_000, description: 'universe of symbols' },
  lookbackDates: {
    kind: 'integer',
    min: 1,
    max: 250,
    description: "trading dates a request may ask for, ending at the simulated day's own date",
  },
  symbolTheta: { kind: 'number', min: 0.01, max: 3, description: 'zipfian constant over symbols (not 1)' },
  dateTheta: {
    kind: 'number',
    min: 0.01,
    max: 3,
    description: "zipfian constant over a date's age in trading days (not 1; age 0 the most requested)",
  },
  signalRequestsPerSecond: {
    kind: 'number',
    min: 0.01,
    max: 100,
    description:
      'signal requests per simulated second during the session (a harness assumption: the document gives none)',
  },
  symbolsPerRequest: {
    kind: 'integer',
    min: 1,
    max: 50,
    description: "symbols per signal request (the document's example: 5)",
  },
  sessionSeconds: {
    kind: 'integer',
    min: 600,
    max: 86_400,
    description: 'simulated length of the trading day (the first TTL of it is the warm-up)',
  },
  ttlSeconds: {
    kind: 'integer',
    min: 60,
    max: 86_400,
    description:
      "TTL of every fill in simulated seconds (the document's 3600; Redis sees it divided by the acceleration)",
  },
  trials: {
    kind: 'integer',
    min: 1,
    max: 30,
    description: 'simulated trading days, one trial each (6 or more for a verdict)',
  },
  acceleration: {
    kind: 'number',
    min: 0,
    max: 1_000_000,
    description: 'simulated seconds per real second; 0 = as fast as the machine allows (calibrated)',
  },
  concurrency: { kind: 'integer', min: 1, max: 256, description: 'lookups in flight on the replay connection' },
  codec: {
    kind: 'choice',
    values: ['json-array', 'json-object', 'json-array-gzip', 'json-object-gzip'],
    description: 'codec of the stored feature vectors (json-array: the service default)',
  },
  sweep: {
    kind: 'choice',
    values: ['maxmemory', 'none'],
    description: 'replay the maxmemory sweep (allkeys-lru) beside the trials, or not',
  },
};

/** The trading-day workload of a parameter set, under the run's seed. */
export function workloadOf(p: HitRateParams, seed: number): TradingDayWorkload {
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

/** Lookups per simulated second of a parameter set. */
export function lookupsPerSecond(p: HitRateParams): number {
  return p.signalRequestsPerSecond * p.symbolsPerRequest;
}
