/** The miss-vs-hit scenario's parameters: defaults, the --quick set and what `--set` may change. */
import { CODEC_NAMES } from '../../src/cache/codec-registry.ts';
import type { RoundPlan } from '../../bench/run/round-runner.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface MissVsHitParams extends RoundPlan {
  /** Symbols in the market data set (3 years of daily bars each). */
  readonly symbolCount: number;
  /** As-of dates are drawn from the last this-many trading days of the data set. */
  readonly asOfDateCount: number;
  /** The document's worked example: 5 symbols per request, 4 of them cached (80% hit rate). */
  readonly mixBatchSize: number;
  readonly mixCachedCount: number;
  readonly ttlSeconds: number;
  /**
   * The service's codec by name (CODEC_NAMES): json-array (compact, its default), json-object (the
   * document's dict), ...
   */
  readonly codec: string;
}

/**
 * Rounds are the trials: 9 give a 95% interval that drops the lowest and the highest round. An
 * iteration takes about 6-10 ms once the JIT is warm, so a round's floor of iterations, not its
 * length, sets the samples behind each figure; the warm-up runs until the JIT has settled
 * (the first few dozen iterations are several times slower).
 */
export const DEFAULT_MISS_VS_HIT_PARAMS: MissVsHitParams = {
  rounds: 9,
  roundDurationMs: 800,
  minIterationsPerRound: 60,
  maxIterationsPerRound: 2_000,
  warmupDurationMs: 1_500,
  warmupIterations: 60,
  symbolCount: 500,
  asOfDateCount: 250,
  mixBatchSize: 5,
  mixCachedCount: 4,
  ttlSeconds: 3_600,
  codec: 'json-array',
};

/** --quick: 6 rounds (the fewest that give a verdict) of at least 25 iterations, 60 symbols (same file size). */
export const QUICK_MISS_VS_HIT_PARAMS: MissVsHitParams = {
  ...DEFAULT_MISS_VS_HIT_PARAMS,
  rounds: 6,
  roundDurationMs: 200,
  minIterationsPerRound: 25,
  warmupDurationMs: 800,
  warmupIterations: 30,
  symbolCount: 60,
  asOfDateCount: 60,
};

/** What `--set` may change; the rest of MissVsHitParams follows from these. */
export const MISS_VS_HIT_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: { kind: 'integer', min: 3, max: 1_000, description: 'rounds (trials behind every verdict)' },
  roundDurationMs: { kind: 'integer', min: 50, max: 600_000, description: 'length of one round' },
  minIterationsPerRound: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'iterations every round runs at least, however long it takes (samples per round for the gate)',
  },
  warmupDurationMs: {
    kind: 'integer',
    min: 0,
    max: 600_000,
    description: 'warm-up before the first round (JIT), at least 30 iterations (--quick) or 60',
  },
  symbolCount: { kind: 'integer', min: 5, max: 5_000, description: 'symbols in the market data set' },
  asOfDateCount: { kind: 'integer', min: 1, max: 700, description: 'as-of dates drawn from the last N trading days' },
  mixCachedCount: {
    kind: 'integer',
    min: 0,
    max: 5,
    description: 'cached symbols of the 5-symbol batch (4 = 80% hit rate)',
  },
  ttlSeconds: { kind: 'integer', min: 1, max: 86_400 * 30, description: 'TTL of cached features' },
  codec: {
    kind: 'choice',
    values: CODEC_NAMES,
    description: "service codec (json-object is the document's dict; the compression scenario compares them all)",
  },
};
