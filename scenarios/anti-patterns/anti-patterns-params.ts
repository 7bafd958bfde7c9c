/** The anti-patterns scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface AntiPatternsParams {
  /** Trials: each runs every anti-pattern once, bad and good variant back to back, the order alternating. */
  readonly trials: number;
  /** The writer moves the price this often (the document: "every millisecond"; Node timers fire at >= 1 ms). */
  readonly priceTickMs: number;
  /** Reads of each variant per trial, one every readIntervalMs. */
  readonly readsPerTrial: number;
  readonly readIntervalMs: number;
  /** Cache SETs per handler per trial under the fault. */
  readonly failedSetsPerTrial: number;
  /** Orders per path (pub/sub, HTTP) per trial. */
  readonly ordersPerTrial: number;
  /** Events published per subscriber count (0, 1, 3) per trial. */
  readonly eventsPerCount: number;
}

/**
 * 8 trials give a 95% interval that drops the lowest and the highest trial; a trial takes about
 * 2 x readsPerTrial x readIntervalMs plus a few ms for the rest.
 */
export const DEFAULT_ANTI_PATTERNS_PARAMS: AntiPatternsParams = {
  trials: 8,
  priceTickMs: 2,
  readsPerTrial: 60,
  readIntervalMs: 5,
  failedSetsPerTrial: 20,
  ordersPerTrial: 20,
  eventsPerCount: 3,
};

/** --quick: 6 trials (the fewest that give a verdict), shorter reading windows. */
export const QUICK_ANTI_PATTERNS_PARAMS: AntiPatternsParams = {
  ...DEFAULT_ANTI_PATTERNS_PARAMS,
  trials: 6,
  readsPerTrial: 25,
  failedSetsPerTrial: 10,
  ordersPerTrial: 10,
};

export const ANTI_PATTERNS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: { kind: 'integer', min: 1, max: 100, description: 'trials (each: every anti-pattern, bad and good)' },
  priceTickMs: { kind: 'integer', min: 1, max: 1_000, description: 'the writer moves the price this often' },
  readsPerTrial: { kind: 'integer', min: 3, max: 10_000, description: 'reads of each caching variant per trial' },
  readIntervalMs: { kind: 'integer', min: 1, max: 1_000, description: 'pause between two reads' },
  failedSetsPerTrial: {
    kind: 'integer',
    min: 1,
    max: 10_000,
    description: 'cache SETs per exception handler per trial, under the fault',
  },
  ordersPerTrial: { kind: 'integer', min: 1, max: 10_000, description: 'orders per path (pub/sub, HTTP) per trial' },
  eventsPerCount: {
    kind: 'integer',
    min: 1,
    max: 1_000,
    description: 'events published per subscriber count (0, 1, 3) per trial',
  },
};
