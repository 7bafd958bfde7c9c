/** cache-correctness's parameters: defaults, the --quick set and what `--set` may change. */
import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface CacheCorrectnessParams {
  /** Rounds: one trial of each claim; each round is one as-of date (a step back in the history). */
  readonly rounds: number;
  /** Symbols per round: the symbol-dates every comparison and audit of the round covers. */
  readonly symbols: number;
  /** 'on': the same paths on a managed Redis Cluster (3 masters, no replicas), compared with standalone. */
  readonly cluster: 'on' | 'off';
  /** Bound on the second Node process (start with tsx, compute, read the cache). */
  readonly secondProcessTimeoutMs: number;
}

/** 8 rounds (a trial more than the minimum, and one spare) with the cluster comparison: about 15 s. */
export const DEFAULT_CACHE_CORRECTNESS_PARAMS: CacheCorrectnessParams = {
  rounds: 8,
  symbols: 10,
  cluster: 'on',
  secondProcessTimeoutMs: 30_000,
};

/** --quick: 6 rounds (the fewest for a verdict), fewer symbols, no cluster (forming one costs seconds). */
export const QUICK_CACHE_CORRECTNESS_PARAMS: CacheCorrectnessParams = {
  ...DEFAULT_CACHE_CORRECTNESS_PARAMS,
  rounds: 6,
  symbols: 4,
  cluster: 'off',
};

export const CACHE_CORRECTNESS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 1,
    max: 50,
    description: 'rounds (trials behind both verdicts), one as-of date each',
  },
  symbols: { kind: 'integer', min: 1, max: 100, description: 'symbols per round (symbol-dates compared and audited)' },
  cluster: {
    kind: 'choice',
    values: ['on', 'off'],
    description: 'also compare on a managed Redis Cluster (3 masters, no replicas); off in --quick',
  },
};
