import { CLUSTER_SLOT_COUNT } from '../../src/redis/key-slot.ts';
import { InfraError } from '../errors.ts';
import { firstToAnswer } from './deployment-steps.ts';
import { MANAGED_CLUSTER_DEFAULTS } from './managed-cluster-options.ts';
import type { ManagedRedis } from './managed-redis.ts';
import { probeCommand } from './redis-probe.ts';

/** One node as CLUSTER NODES describes it. */
export interface ClusterNodeView {
  readonly id: string;
  readonly port: number;
  readonly role: 'master' | 'replica';
  /** For a replica, the id of its master; null for a master. */
  readonly masterId: string | null;
  readonly failed: boolean;
  readonly connected: boolean;
  readonly slotCount: number;
}

/** One range of CLUSTER SLOTS: slots low..high (inclusive) served by the master on masterPort. */
export interface ClusterSlotRange {
  readonly low: number;
  readonly high: number;
  readonly masterPort: number;
}

/** One command to one node of a managed cluster, bounded by the cluster's command timeout. */
export function clusterCommand(node: ManagedRedis, ...args: (string | number)[]): Promise<unknown> {
  return probeCommand(node.connectOptions(), MANAGED_CLUSTER_DEFAULTS.commandTimeoutMs, ...args);
}

const isRunning = (node: ManagedRedis): boolean => node.state === 'running';

/** One command to the first running node that answers; the last error when none does. */
export function commandAnyNode(nodes: readonly ManagedRedis[], ...args: (string | number)[]): Promise<unknown> {
  return firstToAnswer(nodes, isRunning, (node) => clusterCommand(node, ...args), 'no node is running');
}

/** CLUSTER NODES as seen by the first running node that answers. */
export async function readClusterView(nodes: readonly ManagedRedis[]): Promise<ClusterNodeView[]> {
  try {
    return await firstToAnswer(
      nodes,
      isRunning,
      async (node) => parseClusterNodes(await clusterCommand(node, 'CLUSTER', 'NODES')),
      'no node is running',
    );
  } catch (lastError) {
    throw new InfraError(
      `no cluster node answered CLUSTER NODES: ${String((lastError as Error).message ?? lastError)}`,
      { hint: 'the cluster may have been killed' },
    );
  }
}

/** Parses CLUSTER NODES (one line per node: id addr flags master ping pong epoch link slots...). */
export function parseClusterNodes(text: unknown): ClusterNodeView[] {
  return String(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [id, address, flagText, master, , , , link, ...slots] = line.split(' ');
      const flags = flagText.split(',');
      const port = Number(/:(\d+)/.exec(address)?.[1] ?? -1);
      const slotCount = slots
        .filter((s) => !s.startsWith('['))
        .reduce((sum, s) => {
          const [low, high] = s.split('-').map(Number);
          return sum + (high === undefined ? 1 : high - low + 1);
        }, 0);
      return {
        id,
        port,
        role: flags.includes('master') ? 'master' : 'replica',
        masterId: master === '-' ? null : master,
        failed:
          flags.includes('fail') || flags.includes('fail?') || flags.includes('noaddr') || flags.includes('handshake'),
        connected: link === 'connected',
        slotCount,
      } satisfies ClusterNodeView;
    });
}

/** Parses a CLUSTER SLOTS reply: [low, high, [masterHost, masterPort, ...], ...replicas] per range. */
export function parseClusterSlots(reply: unknown): ClusterSlotRange[] {
  const ranges = reply as [number, number, [string, number, ...unknown[]], ...unknown[]][];
  return ranges.map(([low, high, master]) => ({ low, high, masterPort: Number(master[1]) }));
}

/** The slots master `index` of `masters` is given at formation: an even split of the 16384. */
export function initialSlotsOf(index: number, masters: number): number[] {
  const low = Math.floor((index * CLUSTER_SLOT_COUNT) / masters);
  const high = Math.floor(((index + 1) * CLUSTER_SLOT_COUNT) / masters) - 1;
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}
