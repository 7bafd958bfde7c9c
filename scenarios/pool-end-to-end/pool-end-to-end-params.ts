/** The pool-end-to-end scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface PoolEndToEndParams {
  /** Trials: each one phase per service, back to back, order alternating. */
  readonly trials: number;
  /** Requests per phase (both services send the same number), and a time bound on a phase. */
  readonly requestsPerPhase: number;
  readonly phaseMaxMs: number;
  /** Untimed requests per service before the first trial. */
  readonly warmupRequests: number;
  /**
   * Keep-alive HTTP connections (closed loop). 1: each request's latency is its own service time, so
   * the difference between the services is what the connections cost a request, not that times the
   * queue of requests waiting on the same event loop.
   */
  readonly connections: number;
  /** Distinct cached 5-symbol requests the phases cycle over. */
  readonly warmSetSize: number;
  readonly symbolCount: number;
}

/**
 * A request of the per-connection service opens 5 Redis connections (the generator's per-symbol
 * cache gets), each left in TIME_WAIT for 60 s, and loopback has about 28k ephemeral ports shared
 * with the connections scenario: the request counts keep a whole run near 6k connections (default)
 * and 3k (--quick). 8 trials give a 95% interval that drops the lowest and the highest.
 */
export const DEFAULT_POOL_END_TO_END_PARAMS: PoolEndToEndParams = {
  trials: 8,
  requestsPerPhase: 150,
  phaseMaxMs: 2_000,
  warmupRequests: 40,
  connections: 1,
  warmSetSize: 20,
  symbolCount: 60,
};

/** --quick: 6 trials (the fewest that give a verdict) of 80 requests per service. */
export const QUICK_POOL_END_TO_END_PARAMS: PoolEndToEndParams = {
  ...DEFAULT_POOL_END_TO_END_PARAMS,
  trials: 6,
  requestsPerPhase: 80,
  phaseMaxMs: 1_500,
  warmupRequests: 20,
  warmSetSize: 10,
};

export const POOL_END_TO_END_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: { kind: 'integer', min: 1, max: 20, description: 'trials (one phase per service each)' },
  requestsPerPhase: {
    kind: 'integer',
    min: 10,
    max: 300,
    description:
      'requests per phase; at most 300 (5 connections each on the per-request service) so that TIME_WAIT sockets never exhaust the ephemeral ports',
  },
  phaseMaxMs: { kind: 'integer', min: 200, max: 600_000, description: 'time bound of one phase' },
  warmupRequests: {
    kind: 'integer',
    min: 0,
    max: 300,
    description: 'untimed requests per service before the first trial',
  },
  connections: { kind: 'integer', min: 1, max: 64, description: 'keep-alive HTTP connections (closed loop)' },
  warmSetSize: { kind: 'integer', min: 1, max: 1_000, description: 'distinct cached requests the phases cycle over' },
};
