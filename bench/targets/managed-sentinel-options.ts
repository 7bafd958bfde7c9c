import { InfraError } from '../errors.ts';
import { REPLICA_SYNC_CONFIG } from './managed-cluster-options.ts';
import { requirepassOf, type RedisConfigOverrides } from './redis-config.ts';

export interface ManagedSentinelOptions {
  readonly replicas?: number;
  readonly sentinels?: number;
  /** Sentinels that must agree the master is down before a failover starts. */
  readonly quorum?: number;
  /** sentinel down-after-milliseconds: how long the master must be unreachable to be judged down. */
  readonly downAfterMs?: number;
  /** sentinel failover-timeout: bounds a failover attempt (and the wait before retrying a failed one). */
  readonly failoverTimeoutMs?: number;
  /** redis.conf directives for the data nodes (the scenario's redisConfig). */
  readonly configOverrides?: RedisConfigOverrides;
  readonly redisServerPath?: string;
  /** Bound on forming: replicas in sync and every sentinel seeing all replicas and peers. */
  readonly formTimeoutMs?: number;
}

export const MANAGED_SENTINEL_DEFAULTS = {
  replicas: 2,
  sentinels: 3,
  quorum: 2,
  /** Redis's default is 30000; a harness deployment fails over faster so chaos runs stay short. */
  downAfterMs: 1_000,
  /** Redis's default is 180000. */
  failoverTimeoutMs: 5_000,
  formTimeoutMs: 30_000,
  masterName: 'rpb-master',
  pollMs: 100,
  commandTimeoutMs: 2_000,
} as const;

export interface ResolvedManagedSentinelOptions {
  readonly replicas: number;
  readonly sentinels: number;
  readonly quorum: number;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  readonly formTimeoutMs: number;
  readonly redisServerPath: string | undefined;
  /** requirepass of the data nodes; the sentinels and the replicas authenticate with it. */
  readonly password: string | undefined;
  /**
   * The scenario's directives, plus masterauth so replicas can sync from a protected master; replicas
   * sync at once unless the scenario says otherwise (REPLICA_SYNC_CONFIG).
   */
  readonly nodeConfig: RedisConfigOverrides;
}

/** Defaults filled once; a quorum the sentinels could never reach is refused here. */
export function resolveManagedSentinelOptions(options: ManagedSentinelOptions = {}): ResolvedManagedSentinelOptions {
  const sentinels = options.sentinels ?? MANAGED_SENTINEL_DEFAULTS.sentinels;
  const quorum = options.quorum ?? MANAGED_SENTINEL_DEFAULTS.quorum;
  if (quorum < 1 || quorum > sentinels)
    throw new InfraError(`sentinel quorum ${quorum} must be between 1 and the ${sentinels} sentinels`, {
      hint: 'lower the quorum',
    });
  const overrides = options.configOverrides ?? {};
  const password = requirepassOf(overrides);
  return {
    replicas: options.replicas ?? MANAGED_SENTINEL_DEFAULTS.replicas,
    sentinels,
    quorum,
    downAfterMs: options.downAfterMs ?? MANAGED_SENTINEL_DEFAULTS.downAfterMs,
    failoverTimeoutMs: options.failoverTimeoutMs ?? MANAGED_SENTINEL_DEFAULTS.failoverTimeoutMs,
    formTimeoutMs: options.formTimeoutMs ?? MANAGED_SENTINEL_DEFAULTS.formTimeoutMs,
    redisServerPath: options.redisServerPath,
    password,
    nodeConfig: { ...REPLICA_SYNC_CONFIG, ...overrides, ...(password === undefined ? {} : { masterauth: password }) },
  };
}
