import { InfraError } from '../errors.ts';
import { requirepassOf, type RedisConfigOverrides } from './redis-config.ts';

export interface ManagedClusterOptions {
  /** Masters; each gets `replicasPerMaster` replicas. The document's production sketch: 3 + 3. */
  readonly masters?: number;
  readonly replicasPerMaster?: number;
  /** cluster-node-timeout: how long a node must be unreachable before it is failed (and failed over). */
  readonly nodeTimeoutMs?: number;
  /** redis.conf directives for every node (the scenario's redisConfig); cluster directives are the harness's. */
  readonly configOverrides?: RedisConfigOverrides;
  readonly redisServerPath?: string;
  /** Bound on forming the cluster: slots assigned, every node known, replicas attached, state ok. */
  readonly formTimeoutMs?: number;
}

export const MANAGED_CLUSTER_DEFAULTS = {
  masters: 3,
  replicasPerMaster: 1,
  /** Redis's default is 15000; a harness cluster fails over faster so chaos runs stay short. */
  nodeTimeoutMs: 2_000,
  formTimeoutMs: 30_000,
  pollMs: 100,
  commandTimeoutMs: 2_000,
  /** Free-port draws until one below 55536 whose bus port (+10000) is free too. */
  portAttempts: 40,
  nodeStartAttempts: 3,
} as const;

/**
 * The replication directive of every data node of a managed deployment (cluster and Sentinel) unless
 * the scenario sets its own: a replica's full sync starts at once instead of after Redis's 5 s
 * diskless-sync delay (which waits for more replicas to share one transfer). Replicas attach and a
 * restarted node rejoins in well under a second instead of 5 s; failover itself (detection,
 * election, promotion) does not depend on it.
 */
export const REPLICA_SYNC_CONFIG = { 'repl-diskless-sync-delay': 0 } as const;

export interface ResolvedManagedClusterOptions {
  readonly masters: number;
  readonly replicasPerMaster: number;
  readonly nodeTimeoutMs: number;
  readonly formTimeoutMs: number;
  readonly redisServerPath: string | undefined;
  /** The scenario's directives plus the cluster ones every node needs. */
  readonly nodeConfig: RedisConfigOverrides;
}

/** Defaults filled once; a cluster too small to fail over is refused here. */
export function resolveManagedClusterOptions(options: ManagedClusterOptions = {}): ResolvedManagedClusterOptions {
  const masters = options.masters ?? MANAGED_CLUSTER_DEFAULTS.masters;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? MANAGED_CLUSTER_DEFAULTS.nodeTimeoutMs;
  if (!Number.isInteger(masters) || masters < 3)
    throw new InfraError(`a cluster needs at least 3 masters to fail over (got ${masters})`, {
      hint: 'use masters >= 3',
    });
  const overrides = options.configOverrides ?? {};
  const password = requirepassOf(overrides);
  return {
    masters,
    replicasPerMaster: options.replicasPerMaster ?? MANAGED_CLUSTER_DEFAULTS.replicasPerMaster,
    nodeTimeoutMs,
    formTimeoutMs: options.formTimeoutMs ?? MANAGED_CLUSTER_DEFAULTS.formTimeoutMs,
    redisServerPath: options.redisServerPath,
    nodeConfig: {
      ...REPLICA_SYNC_CONFIG,
      ...overrides,
      'cluster-enabled': 'yes',
      'cluster-config-file': 'nodes.conf',
      'cluster-node-timeout': nodeTimeoutMs,
      ...(password === undefined ? {} : { masterauth: password }),
    },
  };
}
