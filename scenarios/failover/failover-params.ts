/** The failover scenarios' parameters: what one trial does, defaults per deployment, --quick, --set. */
import type { TunableSpec } from '../../bench/core/tunables.ts';
import { FAST_TIMINGS, recoveryBudgetMs } from './failover-settings.ts';
import type { FailoverKind, FailoverTimings } from './failover-settings.ts';

/** What the failover trials do (the scenario resolves them from defaults, --quick and --set). */
export interface FailoverParams {
  /** Failovers per detection setting, one per trial; 6 or more give a verdict. */
  readonly trials: number;
  /**
   * Deployments the trials are spread over, each running its trials one after another: the run's
   * own plus lanes - 1 the scenario starts itself, side by side.
   */
  readonly lanes: number;
  /** Open-loop cache operations per second, per lane. */
  readonly rateOpsPerSecond: number;
  /** Share of operations that are FeatureCache.set (the rest FeatureCache.get). */
  readonly writeFraction: number;
  /** Symbols (one date): keys spread over every slot range. */
  readonly keyCount: number;
  /** Steady load before the kill (the load's warm-up, measured as the steady state). */
  readonly preFaultMs: number;
  /**
   * Stop waiting for the writes to recover this long after the budget (detection + 10 s) has passed;
   * such a trial's figure is the time waited, beyond the budget (censored).
   */
  readonly waitBeyondBudgetMs: number;
  /** Recovery is taken as reached after this long with no failed write to an affected key (STABLE_WINDOW_MS). */
  readonly stableMs: number;
  /** Load kept on after the recovery, to see the steady state again. */
  readonly postRecoveryMs: number;
  /** The cache client's command timeout (the service's fail-fast setting). */
  readonly commandTimeoutMs: number;
  /** cluster-node-timeout (cluster) / down-after-milliseconds (sentinel) of the fast trials. */
  readonly detectionMs: number;
  /** sentinel failover-timeout of the fast trials. */
  readonly failoverTimeoutMs: number;
  /** Bound on healing a deployment between trials (restart the killed node, wait until converged). */
  readonly healTimeoutMs: number;
}

/**
 * How long writes must go without a failure before the harness stops watching (stableMs). A
 * sentinel-aware client fails a few writes again when each sentinel's +switch-master reaches it,
 * about a second after its first successful write to the new master; this window sees those.
 */
export const STABLE_WINDOW_MS = 1_500;

function defaultParams(kind: FailoverKind): FailoverParams {
  return {
    trials: 9,
    lanes: 3,
    rateOpsPerSecond: 400,
    writeFraction: 0.5,
    keyCount: 1_000,
    preFaultMs: 1_500,
    waitBeyondBudgetMs: 5_000,
    stableMs: STABLE_WINDOW_MS,
    postRecoveryMs: 1_000,
    commandTimeoutMs: 100,
    detectionMs: FAST_TIMINGS[kind].detectionMs,
    failoverTimeoutMs: FAST_TIMINGS[kind].failoverTimeoutMs,
    healTimeoutMs: 60_000,
  };
}

export const DEFAULT_FAILOVER_PARAMS: Readonly<Record<FailoverKind, FailoverParams>> = {
  cluster: defaultParams('cluster'),
  sentinel: defaultParams('sentinel'),
};

/**
 * --quick: the same detection settings and recovery window (so the same claim, budget and figure),
 * 6 trials on 6 deployments side by side (one round: a trial lasts about 6 s, a heal and the next
 * trial would add as much again), a shorter steady phase, nothing after the window, a lower rate
 * and fewer keys; the failover itself takes what it takes.
 */
export function quickFailoverParams(kind: FailoverKind): FailoverParams {
  return {
    ...DEFAULT_FAILOVER_PARAMS[kind],
    trials: 6,
    lanes: 6,
    rateOpsPerSecond: 200,
    keyCount: 300,
    preFaultMs: 400,
    waitBeyondBudgetMs: 3_000,
    postRecoveryMs: 0,
  };
}

/** When the harness stops waiting for a trial's writes: the budget plus waitBeyondBudgetMs (the censored figure). */
export function gaveUpAfterMs(timings: FailoverTimings, params: Pick<FailoverParams, 'waitBeyondBudgetMs'>): number {
  return recoveryBudgetMs(timings) + params.waitBeyondBudgetMs;
}

export const FAILOVER_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: {
    kind: 'integer',
    min: 1,
    max: 50,
    description: 'failovers per detection setting (one per trial; 6 or more give a verdict)',
  },
  lanes: {
    kind: 'integer',
    min: 1,
    max: 6,
    description: "deployments the trials are spread over, side by side (the run's own plus lanes - 1 more)",
  },
  rateOpsPerSecond: {
    kind: 'integer',
    min: 10,
    max: 20_000,
    description: 'open-loop cache operations per second, per lane',
  },
  writeFraction: {
    kind: 'number',
    min: 0.05,
    max: 1,
    description: 'share of writes (FeatureCache.set); the rest are reads',
  },
  keyCount: { kind: 'integer', min: 10, max: 100_000, description: 'symbols written and read (one date)' },
  preFaultMs: { kind: 'integer', min: 200, max: 600_000, description: 'steady load before the master is killed' },
  waitBeyondBudgetMs: {
    kind: 'integer',
    min: 500,
    max: 600_000,
    description:
      'stop waiting for writes to recover this long after the budget (detection + 10 s); the trial counts with the time waited',
  },
  stableMs: {
    kind: 'integer',
    min: 100,
    max: 60_000,
    description:
      'no failed write for this long = recovered (the figure is computed after the run from every operation)',
  },
  postRecoveryMs: { kind: 'integer', min: 0, max: 600_000, description: 'load after the recovery' },
  commandTimeoutMs: {
    kind: 'integer',
    min: 10,
    max: 60_000,
    description: "cache client command timeout (the service's default is 100)",
  },
  detectionMs: {
    kind: 'integer',
    min: 100,
    max: 600_000,
    description:
      'cluster-node-timeout / sentinel down-after-milliseconds of the fast trials (2000 / 1000; another value leaves the claim not measured: its budget is for those)',
  },
  failoverTimeoutMs: {
    kind: 'integer',
    min: 500,
    max: 600_000,
    description: 'sentinel failover-timeout of the fast trials (Redis default 180000); unused on a cluster',
  },
  healTimeoutMs: {
    kind: 'integer',
    min: 1_000,
    max: 600_000,
    description: 'bound on healing a deployment between trials',
  },
};
