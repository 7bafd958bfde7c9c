/** The health-detection scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface HealthDetectionParams {
  /** Fault + recovery trials per fault kind (kill, pause, black hole), interleaved kind by kind. */
  readonly trialsPerKind: number;
  /** Period of the harness's GET /health polls (one at a time; a slow answer delays the next). */
  readonly pollIntervalMs: number;
  /** Period of the trickle of signal requests that keeps the service's cache path talking to Redis. */
  readonly trafficIntervalMs: number;
  /** A fault /health has not reported within this is healed anyway; the trial's figure is censored here. */
  readonly detectTimeoutMs: number;
  /** A recovery /health has not reported within this ends the trial; the figure is censored here. */
  readonly recoverTimeoutMs: number;
  /** The fault is held this long after /health reported it, before the heal. */
  readonly holdMs: number;
  /** /health must have said connected for this long before the next fault. */
  readonly settleMs: number;
  /** After the trials: one SIGSTOP with no signal traffic, watched this long (0: skipped). */
  readonly idleProbeMs: number;
  /** Symbols of the market data set the service reads (the http-signals --quick set, shared on disk). */
  readonly symbolCount: number;
}

/**
 * 6 trials per kind (the fewest that give a verdict): a trial of a pause or a black hole lasts as long
 * as /health lags, about 2 s with the service's client (ioredis's disconnectTimeout after the reset), so
 * more would not fit the run's budget. A kill trial takes about 0.3 s.
 */
export const DEFAULT_HEALTH_DETECTION_PARAMS: HealthDetectionParams = {
  trialsPerKind: 6,
  pollIntervalMs: 10,
  trafficIntervalMs: 20,
  detectTimeoutMs: 3_000,
  recoverTimeoutMs: 3_000,
  holdMs: 50,
  settleMs: 150,
  idleProbeMs: 1_000,
  symbolCount: 60,
};

/**
 * --quick: the same 6 trials per kind, with the wait for a detection cut to 1.2 s: just above the
 * claim's 1 s bound, so a censored trial still decides the claim (it lagged more than 1 s), without
 * waiting for the whole lag.
 */
export const QUICK_HEALTH_DETECTION_PARAMS: HealthDetectionParams = {
  ...DEFAULT_HEALTH_DETECTION_PARAMS,
  detectTimeoutMs: 1_200,
  settleMs: 100,
  idleProbeMs: 500,
};

export const HEALTH_DETECTION_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trialsPerKind: { kind: 'integer', min: 1, max: 100, description: 'fault + recovery trials per fault kind' },
  pollIntervalMs: { kind: 'integer', min: 5, max: 1_000, description: 'period of the GET /health polls' },
  trafficIntervalMs: {
    kind: 'integer',
    min: 5,
    max: 10_000,
    description: 'period of the trickle of signal requests during the trials',
  },
  detectTimeoutMs: {
    kind: 'integer',
    min: 100,
    max: 60_000,
    description: 'longest wait for /health to report a fault (the figure is censored there)',
  },
  idleProbeMs: {
    kind: 'integer',
    min: 0,
    max: 60_000,
    description: 'after the trials, how long one SIGSTOP with no signal traffic is watched (0: skipped)',
  },
  recoverTimeoutMs: {
    kind: 'integer',
    min: 100,
    max: 60_000,
    description: 'longest wait for /health to report the recovery (the figure is censored there)',
  },
};
