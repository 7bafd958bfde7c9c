import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface HttpSignalsParams {
  readonly symbolCount: number;
  readonly asOfDateCount: number;
  /** Keep-alive connections of the throughput phases (warm, no cache, cold, Redis killed). */
  readonly connections: number;
  /** Length and request cap of each throughput phase. */
  readonly phaseDurationMs: number;
  readonly maxRequestsPerPhase: number;
  /** Distinct 5-symbol requests the warm phase cycles over (all cached beforehand). */
  readonly warmSetSize: number;
  /** Rounds (trials) of the document's 5-symbol / 80%-hit example, and requests per round and variant. */
  readonly mixRounds: number;
  readonly mixRequestsPerRound: number;
  /** The Redis-killed phase: its length, and when the kill lands (fraction of it). */
  readonly killPhaseDurationMs: number;
  readonly killAtFraction: number;
}

/**
 * The throughput phases (warm, no cache, cold, Redis killed) give figures without a claim; the
 * 80%-hit example's rounds are the trials of the three claims: 9 rounds give a 95% interval that
 * drops the lowest and the highest round.
 */
export const DEFAULT_HTTP_SIGNALS_PARAMS: HttpSignalsParams = {
  symbolCount: 500,
  asOfDateCount: 250,
  connections: 4,
  phaseDurationMs: 3_000,
  maxRequestsPerPhase: 200_000,
  warmSetSize: 50,
  mixRounds: 9,
  mixRequestsPerRound: 60,
  killPhaseDurationMs: 5_000,
  killAtFraction: 1 / 3,
};

/** --quick: short throughput phases (smoke figures), and 6 rounds of the example (the fewest that give a verdict). */
export const QUICK_HTTP_SIGNALS_PARAMS: HttpSignalsParams = {
  ...DEFAULT_HTTP_SIGNALS_PARAMS,
  symbolCount: 60,
  asOfDateCount: 120,
  phaseDurationMs: 500,
  maxRequestsPerPhase: 20_000,
  warmSetSize: 10,
  mixRounds: 6,
  mixRequestsPerRound: 20,
  killPhaseDurationMs: 1_200,
};

export const HTTP_SIGNALS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  symbolCount: { kind: 'integer', min: 10, max: 5_000, description: 'symbols in the market data set' },
  connections: { kind: 'integer', min: 1, max: 64, description: 'keep-alive connections of the throughput phases' },
  phaseDurationMs: { kind: 'integer', min: 200, max: 600_000, description: 'length of each throughput phase' },
  maxRequestsPerPhase: { kind: 'integer', min: 10, max: 10_000_000, description: 'request cap of each phase' },
  warmSetSize: {
    kind: 'integer',
    min: 1,
    max: 10_000,
    description: 'distinct cached requests the warm and no-cache phases cycle over',
  },
  mixRounds: {
    kind: 'integer',
    min: 3,
    max: 100,
    description: "rounds of the document's 5-symbol / 80%-hit example (trials behind its verdicts)",
  },
  mixRequestsPerRound: {
    kind: 'integer',
    min: 3,
    max: 10_000,
    description: 'requests per round in the 80%-hit example, each sent to both services back to back',
  },
  killPhaseDurationMs: { kind: 'integer', min: 500, max: 600_000, description: 'length of the Redis-killed phase' },
};
