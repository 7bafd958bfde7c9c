import { InfraError } from '../errors.ts';
import { clusterCommand, initialSlotsOf, parseClusterNodes } from './cluster-nodes.ts';
import { pollUntilHealthy, startMembers, type StartedMembers } from './deployment-steps.ts';
import { findFreePort, isPortFree } from './free-port.ts';
import { MANAGED_CLUSTER_DEFAULTS, type ResolvedManagedClusterOptions } from './managed-cluster-options.ts';
import { ManagedRedis } from './managed-redis.ts';

/** Starts every node of the cluster (masters * (1 + replicasPerMaster)) in parallel, not yet joined. */
export function startClusterNodes(options: ResolvedManagedClusterOptions): Promise<StartedMembers<ManagedRedis>> {
  const total = options.masters * (1 + options.replicasPerMaster);
  return startMembers(total, () => startClusterNode(options.nodeConfig, options.redisServerPath));
}

/**
 * Joins started nodes into a cluster, as redis-cli --cluster create does: the first `masters` nodes
 * get the slots, every node meets every other (one handshake per pair instead of waiting up to 2 s
 * for gossip to spread one node's introductions), the rest replicate the masters in turn. The caller
 * then waits for the cluster to be healthy.
 */
export async function formCluster(nodes: readonly ManagedRedis[], masters: number, deadline: number): Promise<void> {
  const ids = await Promise.all(nodes.map((n) => clusterCommand(n, 'CLUSTER', 'MYID') as Promise<string>));
  // Distinct config epochs up front (as redis-cli --cluster create does), so no collision round.
  await Promise.all(
    nodes.slice(0, masters).map(async (node, m) => {
      await clusterCommand(node, 'CLUSTER', 'SET-CONFIG-EPOCH', m + 1);
      await clusterCommand(node, 'CLUSTER', 'ADDSLOTS', ...initialSlotsOf(m, masters));
    }),
  );
  await Promise.all(
    nodes.flatMap((node, i) =>
      nodes.slice(i + 1).map((other) => clusterCommand(node, 'CLUSTER', 'MEET', other.host, other.port)),
    ),
  );
  const problem = await pollUntilHealthy(deadline, MANAGED_CLUSTER_DEFAULTS.pollMs, async () => {
    for (const node of nodes) {
      // By id: a node still in handshake is listed under a random id until the handshake completes.
      const known = new Set(parseClusterNodes(await clusterCommand(node, 'CLUSTER', 'NODES')).map((n) => n.id));
      const count = ids.filter((id) => known.has(id)).length;
      if (count !== nodes.length) return `node ${node.port} knows ${count} of ${nodes.length} nodes`;
    }
    return null;
  });
  if (problem !== null)
    throw new InfraError(`the Redis Cluster did not form: waited for every node to know every other node: ${problem}`, {
      hint: 'the machine may be overloaded; see the node logs',
    });
  await Promise.all(
    nodes.slice(masters).map((node, r) => clusterCommand(node, 'CLUSTER', 'REPLICATE', ids[r % masters])),
  );
}

/** A node's port must be below 55536: its cluster bus listens on port + 10000, which must be free too. */
async function clusterPort(): Promise<number> {
  for (let attempt = 0; attempt < MANAGED_CLUSTER_DEFAULTS.portAttempts; attempt += 1) {
    const port = await findFreePort();
    if (port + 10_000 <= 65_535 && (await isPortFree(port + 10_000))) return port;
  }
  throw new InfraError('found no free loopback port below 55536 whose cluster bus port (+10000) is free', {
    hint: 'free some ports or narrow the ephemeral port range',
  });
}

async function startClusterNode(
  config: ResolvedManagedClusterOptions['nodeConfig'],
  redisServerPath: string | undefined,
): Promise<ManagedRedis> {
  let lastError: unknown;
  for (let attempt = 0; attempt < MANAGED_CLUSTER_DEFAULTS.nodeStartAttempts; attempt += 1) {
    try {
      return await ManagedRedis.start({
        port: await clusterPort(),
        configOverrides: config,
        ...(redisServerPath === undefined ? {} : { redisServerPath }),
      });
    } catch (error) {
      // Someone took the port or its bus port between our probe and the bind: another draw.
      lastError = error;
      if (!(error instanceof InfraError) || /not found|cannot run/.test(error.message)) throw error;
    }
  }
  throw lastError;
}
