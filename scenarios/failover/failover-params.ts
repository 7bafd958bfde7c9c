/** The failover scenarios' parameters: what one trial does, defaults per deployment, --quick, --set. */
import type { TunableSpec } from '../../bench/core/tunables.ts';
import type { FailoverKind } from './failover-target.ts';

/** What one failover trial does (the scenario resolves them from defaults, --quick and --set). */
export interface FailoverParams {
  /** Failovers, one per trial (each on a healed deployment); 3 give a verdict. */
  readonly trials: number;
  readonly rateOpsPerSecond: number;
  /** Share of operations that are FeatureCache.set (the rest FeatureCache.get). */
  readonly writeFraction: number;
  /** Symbols (one date): keys spread over every slot range. */
  readonly keyCount: number;
  /** Steady load before the kill. */
  readonly preFaultMs: number;
  /** Give up waiting for the writes to recover this long after the kill (then: not recovered). */
  readonly maxRecoveryMs: number;
  /** Recovery is taken as reached after this long with no failed write to an affected key. */
  readonly stableMs: number;
  /** Load kept on after the recovery, to see the steady state again. */
  readonly postRecoveryMs: number;
  /** The cache client's command timeout (the service's fail-fast setting). */
  readonly commandTimeoutMs: number;
  /** cluster-node-timeout (cluster) / down-after-milliseconds (sentinel): the failure-detection time. */
  readonly detectionMs: number;
  /** sentinel failover-timeout. */
  readonly failoverTimeoutMs: number;
  /** Bound on healing the deployment between trials (restart the killed node, wait until in sync). */
  readonly healTimeoutMs: number;
}

export const DEFAULT_FAILOVER_PARAMS: Record<FailoverKind, FailoverParams> = {
  cluster: {
    trials: 3,
    rateOpsPerSecond: 400,
    writeFraction: 0.5,
    keyCount: 1_000,
    preFaultMs: 3_000,
    maxRecoveryMs: 60_000,
    stableMs: 1_000,
    postRecoveryMs: 2_000,
    commandTimeoutMs: 100,
    detectionMs: 2_000,
    failoverTimeoutMs: 5_000,
    healTimeoutMs: 60_000,
  },
  sentinel: {
    trials: 3,
    rateOpsPerSecond: 400,
    writeFraction: 0.5,
    keyCount: 1_000,
    preFaultMs: 3_000,
    maxRecoveryMs: 60_000,
    stableMs: 1_000,
    postRecoveryMs: 2_000,
    commandTimeoutMs: 100,
    detectionMs: 1_000,
    failoverTimeoutMs: 5_000,
    healTimeoutMs: 60_000,
  },
};

/** --quick: shorter phases and a lower rate; the failover itself takes what it takes. */
export function quickFailoverParams(kind: FailoverKind): FailoverParams {
  return {
    ...DEFAULT_FAILOVER_PARAMS[kind],
    rateOpsPerSecond: 200,
    keyCount: 300,
    preFaultMs: 1_500,
    stableMs: 800,
    postRecoveryMs: 1_000,
    maxRecoveryMs: 30_000,
  };
}

export const FAILOVER_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: { kind: 'integer', min: 1, max: 20, description: 'failovers (one per trial; 3 or more give a verdict)' },
  rateOpsPerSecond: { kind: 'integer', min: 10, max: 20_000, description: 'open-loop cache operations per second' },
  writeFraction: {
    kind: 'number',
    min: 0.05,
    max: 1,
    description: 'share of writes (FeatureCache.set); the rest are reads',
  },
  keyCount: { kind: 'integer', min: 10, max: 100_000, description: 'symbols written and read (one date)' },
  preFaultMs: { kind: 'integer', min: 200, max: 600_000, description: 'steady load before the master is killed' },
  maxRecoveryMs: {
    kind: 'integer',
    min: 1_000,
    max: 600_000,
    description: 'give up waiting for writes to recover after this long',
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
    description: 'cluster-node-timeout / sentinel down-after-milliseconds (Redis defaults: 15000 / 30000)',
  },
  failoverTimeoutMs: {
    kind: 'integer',
    min: 500,
    max: 600_000,
    description: 'sentinel failover-timeout (Redis default 180000); unused on a cluster',
  },
  healTimeoutMs: {
    kind: 'integer',
    min: 1_000,
    max: 600_000,
    description: 'bound on healing the deployment between trials',
  },
};
