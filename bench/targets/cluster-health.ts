import { CLUSTER_SLOT_COUNT } from '../../src/redis/key-slot.ts';
import { clusterCommand, parseClusterNodes, readClusterView } from './cluster-nodes.ts';
import type { ManagedRedis } from './managed-redis.ts';

/**
 * What keeps the cluster from being healthy, or null: every running node says cluster_state:ok
 * with all slots ok, every master with slots runs with `replicasPerMaster` connected replicas,
 * every running replica's link to its master is up, and every running node sees every other as up.
 */
export async function clusterHealthProblem(
  nodes: readonly ManagedRedis[],
  replicasPerMaster: number,
): Promise<string | null> {
  const running = nodes.filter((n) => n.state === 'running');
  for (const node of running) {
    const problem = clusterStateProblem(node.port, String(await clusterCommand(node, 'CLUSTER', 'INFO')));
    if (problem !== null) return problem;
  }
  const view = await readClusterView(nodes);
  const runningByPort = new Map(running.map((n) => [n.port, n]));
  for (const master of view.filter((n) => n.role === 'master' && n.slotCount > 0)) {
    if (!runningByPort.has(master.port) || master.failed) return `master ${master.port} is not running`;
    const attached = view.filter(
      (n) => n.masterId === master.id && n.connected && !n.failed && runningByPort.has(n.port),
    );
    if (attached.length < replicasPerMaster)
      return `master ${master.port} has ${attached.length} of ${replicasPerMaster} replicas`;
  }
  for (const replica of view.filter((n) => n.role === 'replica' && runningByPort.has(n.port))) {
    const info = String(await clusterCommand(runningByPort.get(replica.port) as ManagedRedis, 'INFO', 'replication'));
    if (!/master_link_status:up/.test(info)) return `replica ${replica.port}: link to its master is not up`;
  }
  return agreementProblem(running);
}

/**
 * What keeps the running nodes from agreeing, or null: in every running node's own CLUSTER NODES,
 * every running node is connected and flagged neither failed nor suspected. A node just restarted
 * is still suspected by some peers for a moment after the first node's view clears it.
 */
async function agreementProblem(running: readonly ManagedRedis[]): Promise<string | null> {
  const ports = new Set(running.map((n) => n.port));
  for (const node of running) {
    const view = parseClusterNodes(await clusterCommand(node, 'CLUSTER', 'NODES'));
    const peer = view.find((n) => ports.has(n.port) && (n.failed || !n.connected));
    if (peer !== undefined) return `node ${node.port} still sees node ${peer.port} as failed or disconnected`;
  }
  return null;
}

function clusterStateProblem(port: number, info: string): string | null {
  if (!/cluster_state:ok/.test(info))
    return `node ${port}: ${/cluster_state:\w+/.exec(info)?.[0] ?? 'no cluster_state'}`;
  const slotsOk = Number(/cluster_slots_ok:(\d+)/.exec(info)?.[1] ?? 0);
  if (slotsOk !== CLUSTER_SLOT_COUNT) return `node ${port}: cluster_slots_ok ${slotsOk} of ${CLUSTER_SLOT_COUNT}`;
  return null;
}
