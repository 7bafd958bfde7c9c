/** The pipelining scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { RoundPlan } from '../../bench/run/round-runner.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

/**
 * An iteration of the round runner is one visit of one cell (batch size x added round trip), which
 * times the four fetch modes once each. The per-round counts below are per cell.
 */
export interface PipeliningParams extends RoundPlan {
  readonly batchSizes: readonly number[];
  /**
   * Added round trips in ms; 0 is the direct connection, the others go through the fault proxy.
   * 1 ms is the document's premise ("5 × 1ms = 5ms"): its three claims are judged there.
   */
  readonly addedRttsMs: readonly number[];
  /** TTL of the keys written, so that a Redis given by URL does not keep them if the run dies. */
  readonly ttlSeconds: number;
}

export const DEFAULT_PIPELINING_PARAMS: PipeliningParams = {
  rounds: 7,
  // 500 GETs one by one take over a second per visit at +2 ms and over half a second at +1 ms: the
  // two visits each such cell is owed take over 3 s of a round, and the cheap cells share the rest.
  roundDurationMs: 10_000,
  minIterationsPerRound: 2,
  maxIterationsPerRound: 20_000,
  warmupDurationMs: 1_000,
  warmupIterations: 1,
  batchSizes: [1, 5, 10, 50, 100, 500],
  // No 0.5 ms: the proxy's timers wait at least 1 ms, so it would add what 1 ms adds.
  addedRttsMs: [0, 1, 2],
  ttlSeconds: 3_600,
};

/**
 * --quick: 3 rounds (the fewest that give a verdict), three batch sizes, no added RTT and the
 * document's 1 ms (2 ms is left to the full run, so --quick takes as long as before).
 */
export const QUICK_PIPELINING_PARAMS: PipeliningParams = {
  ...DEFAULT_PIPELINING_PARAMS,
  rounds: 3,
  roundDurationMs: 1_000,
  warmupDurationMs: 200,
  batchSizes: [1, 5, 50],
  addedRttsMs: [0, 1],
};

/** What `--set` may change. */
export const PIPELINING_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: { kind: 'integer', min: 3, max: 1_000, description: 'rounds (trials behind every verdict)' },
  roundDurationMs: {
    kind: 'integer',
    min: 50,
    max: 600_000,
    description: 'length of one round, shared equally in time by every batch size x round trip',
  },
  minIterationsPerRound: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'visits of every batch size x round trip per round at least (each visit times the four modes once)',
  },
  warmupDurationMs: { kind: 'integer', min: 0, max: 600_000, description: 'warm-up before the first round' },
};
