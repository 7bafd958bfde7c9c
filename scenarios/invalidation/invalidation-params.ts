import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface InvalidationParams {
  readonly rounds: number;
  /** Keys in the database (the target symbol's included). */
  readonly keys: number;
  /** Dates per symbol: the target symbol holds this many keys, all of which are invalidated. */
  readonly datesPerSymbol: number;
  readonly valueBytes: number;
  /** Open-loop GETs of random other keys, running through each invalidation. */
  readonly loadRate: number;
  readonly maxInFlight: number;
  /** Load before the invalidation starts, and after it ends. */
  readonly leadMs: number;
  readonly tailMs: number;
  /** Bound on one invalidation's load window (the load stops by then even if the invalidation has not). */
  readonly maxInvalidationMs: number;
  readonly warmupDurationMs: number;
  /** FeatureCache.invalidateSymbol's SCAN COUNT and UNLINK batch. */
  readonly scanCount: number;
  readonly unlinkBatchSize: number;
  readonly fillBatch: number;
  readonly ttlSeconds: number;
}

export const DEFAULT_INVALIDATION_PARAMS: InvalidationParams = {
  rounds: 5,
  keys: 100_000,
  datesPerSymbol: 250,
  valueBytes: 100,
  loadRate: 1_000,
  maxInFlight: 2_000,
  leadMs: 300,
  tailMs: 300,
  maxInvalidationMs: 60_000,
  warmupDurationMs: 500,
  scanCount: 500,
  unlinkBatchSize: 500,
  fillBatch: 1_000,
  ttlSeconds: 3_600,
};

/** --quick: 20k keys, 3 rounds. */
export const QUICK_INVALIDATION_PARAMS: InvalidationParams = {
  ...DEFAULT_INVALIDATION_PARAMS,
  rounds: 3,
  keys: 20_000,
  leadMs: 200,
  tailMs: 200,
  warmupDurationMs: 200,
};

export const INVALIDATION_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 1,
    max: 50,
    description: 'rounds; each invalidates the target symbol once with every method, in alternating order',
  },
  // The ranges keep datesPerSymbol below keys and the keyspace under ~1.3 GB of Redis memory (2M x (512 + ~120) bytes).
  keys: {
    kind: 'integer',
    min: 2_000,
    max: 2_000_000,
    description: 'keys in the database (100k by default, 1M for a large cache)',
  },
  datesPerSymbol: {
    kind: 'integer',
    min: 1,
    max: 1_000,
    description: 'keys of the invalidated symbol (one per cached date)',
  },
  valueBytes: {
    kind: 'integer',
    min: 1,
    max: 512,
    description: 'bytes of every value (KEYS and SCAN cost depends on key count, not value size)',
  },
  loadRate: { kind: 'number', min: 1, max: 100_000, description: 'GETs per second of the concurrent open-loop load' },
  maxInFlight: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'in-flight bound of the load (sends wait beyond it; latency still counts from the intended time)',
  },
  leadMs: { kind: 'integer', min: 0, max: 60_000, description: 'load before each invalidation' },
  tailMs: { kind: 'integer', min: 0, max: 60_000, description: 'load after each invalidation' },
  maxInvalidationMs: { kind: 'integer', min: 100, max: 600_000, description: 'bound on one invalidation load window' },
  warmupDurationMs: {
    kind: 'integer',
    min: 0,
    max: 60_000,
    description: 'load warm-up before the first round (not recorded)',
  },
  scanCount: {
    kind: 'integer',
    min: 1,
    max: 1_000_000,
    description: 'SCAN COUNT of FeatureCache.invalidateSymbol (its default: 500)',
  },
  unlinkBatchSize: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'keys per UNLINK of FeatureCache.invalidateSymbol',
  },
};
