/** The connections scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { RoundPlan } from '../../bench/run/round-runner.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface ConnectionsParams extends RoundPlan {
  /** Long-lived clients used round-robin: the document's ConnectionPool(max_connections=10). */
  readonly poolSize: number;
  readonly readyTimeoutMs: number;
}

/**
 * Rounds are the trials: 9 give a 95% interval that drops the lowest and the highest round. An
 * iteration takes about 2-4 ms, so a round's floor of iterations sets the pairs behind its figure.
 * Every new connection leaves a socket in TIME_WAIT for 60 s, and loopback has ~28k ephemeral
 * ports: the iteration cap and the rounds limit keep a whole run (at most 20 x 1000 + warm-up)
 * below that, so the scenario never measures port exhaustion instead of connection set-up.
 */
export const DEFAULT_CONNECTIONS_PARAMS: ConnectionsParams = {
  rounds: 9,
  roundDurationMs: 700,
  minIterationsPerRound: 100,
  maxIterationsPerRound: 1_000,
  warmupDurationMs: 500,
  warmupIterations: 20,
  poolSize: 10,
  readyTimeoutMs: 5_000,
};

/** --quick: 6 rounds (the fewest that give a verdict) of at least 40 iterations. */
export const QUICK_CONNECTIONS_PARAMS: ConnectionsParams = {
  ...DEFAULT_CONNECTIONS_PARAMS,
  rounds: 6,
  roundDurationMs: 150,
  minIterationsPerRound: 40,
  warmupDurationMs: 200,
  warmupIterations: 10,
};

export const CONNECTIONS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 3,
    max: 20,
    description:
      'rounds (trials behind the verdict); at most 20 so that TIME_WAIT sockets never exhaust the ephemeral ports',
  },
  roundDurationMs: {
    kind: 'integer',
    min: 50,
    max: 600_000,
    description: `length of one round (at most ${DEFAULT_CONNECTIONS_PARAMS.maxIterationsPerRound} iterations)`,
  },
  warmupDurationMs: { kind: 'integer', min: 0, max: 600_000, description: 'warm-up before the first round' },
  minIterationsPerRound: {
    kind: 'integer',
    min: 1,
    max: DEFAULT_CONNECTIONS_PARAMS.maxIterationsPerRound,
    description: 'iterations every round runs at least, however long it takes',
  },
  poolSize: {
    kind: 'integer',
    min: 1,
    max: 100,
    description: "clients in the round-robin pool (the document's max_connections=10)",
  },
};
