import { keySlot } from '../../src/redis/key-slot.ts';
import { ConfigError } from '../../bench/errors.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import type { ScenarioTopology } from '../../bench/targets/topology-target.ts';

export type FailoverKind = 'cluster' | 'sentinel';

/** The failure-detection and failover timings a failover scenario sets on the deployment. */
export interface FailoverTimings {
  /** cluster-node-timeout (cluster) / down-after-milliseconds (sentinel). */
  readonly detectionMs: number;
  /** sentinel failover-timeout; unused on a cluster. */
  readonly failoverTimeoutMs: number;
}

/** The deployment-specific steps: choose and kill the victim, watch the promotion, heal. */
export interface FailoverTarget {
  readonly kind: FailoverKind;
  applyTimings(timings: FailoverTimings): Promise<void>;
  victim(trial: number): Promise<ManagedRedis>;
  /** Which keys the victim holds (by index). */
  affected(victim: ManagedRedis, keys: readonly string[]): Promise<boolean[]>;
  /** Port of the node now named master for the victim's role, or null while it is still the victim. */
  promoted(victim: ManagedRedis, probeKey: string): Promise<number | null>;
  heal(victim: ManagedRedis, timeoutMs: number): Promise<void>;
  waitHealthy(timeoutMs: number): Promise<void>;
}

export function failoverTarget(kind: FailoverKind, topology: ScenarioTopology): FailoverTarget {
  if (kind === 'cluster') {
    const cluster = topology.cluster;
    if (cluster === null)
      throw new ConfigError(
        'cluster-failover kills a cluster master: it needs the managed cluster (--topology cluster without --redis-url)',
        { hint: 'the harness never kills a Redis it did not start; drop --redis-url' },
      );
    return {
      kind,
      applyTimings: (p) => cluster.setNodeTimeout(p.detectionMs),
      victim: async (trial) => {
        const masters = await cluster.masters();
        return masters[trial % masters.length];
      },
      affected: async (victim, keys) => {
        const slots = await cluster.slotsOf(victim);
        return keys.map((key) => slots.has(keySlot(key)));
      },
      promoted: async (victim, probeKey) => {
        const master = await cluster.masterOfSlot(keySlot(probeKey));
        return master === victim ? null : master.port;
      },
      heal: (victim, timeoutMs) => cluster.rejoin(victim, timeoutMs),
      waitHealthy: (timeoutMs) => cluster.waitHealthy(timeoutMs),
    };
  }
  const sentinel = topology.sentinel;
  if (sentinel === null)
    throw new ConfigError(
      'sentinel-failover kills the sentinel master: it needs the managed deployment (--topology sentinel)',
      { hint: 'the harness never kills a Redis it did not start' },
    );
  return {
    kind,
    applyTimings: (p) => sentinel.setTimings({ downAfterMs: p.detectionMs, failoverTimeoutMs: p.failoverTimeoutMs }),
    victim: () => sentinel.announcedMaster(),
    affected: async (_victim, keys) => keys.map(() => true),
    promoted: async (victim) => {
      const master = await sentinel.announcedMaster();
      return master === victim ? null : master.port;
    },
    heal: (victim, timeoutMs) => sentinel.rejoin(victim, timeoutMs),
    waitHealthy: (timeoutMs) => sentinel.waitHealthy(timeoutMs),
  };
}
