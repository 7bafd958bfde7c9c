import type { ManagedRedis } from './managed-redis.ts';
import { MANAGED_SENTINEL_DEFAULTS } from './managed-sentinel-options.ts';
import { probeCommand } from './redis-probe.ts';
import type { SentinelProcess } from './sentinel-process.ts';

/** One command to a data node of a managed Sentinel deployment, bounded by its command timeout. */
export function dataNodeCommand(node: ManagedRedis, ...args: (string | number)[]): Promise<unknown> {
  return probeCommand(node.connectOptions(), MANAGED_SENTINEL_DEFAULTS.commandTimeoutMs, ...args);
}

/** One command to a sentinel (sentinels run without a password, on loopback). */
export function sentinelCommand(sentinel: SentinelProcess, ...args: (string | number)[]): Promise<unknown> {
  return probeCommand(
    { host: sentinel.host, port: sentinel.port },
    MANAGED_SENTINEL_DEFAULTS.commandTimeoutMs,
    ...args,
  );
}

export interface SentinelDeploymentView {
  /** The master the sentinels announce. */
  readonly master: ManagedRedis;
  readonly nodes: readonly ManagedRedis[];
  readonly sentinels: readonly SentinelProcess[];
  readonly masterName: string;
}

/**
 * What keeps the deployment from being healthy, or null: the announced master is running and says
 * it is master, every other running data node replicates it with its link up, and every sentinel
 * sees its peers and each of those replicas as a plain replica, not flagged down.
 */
export async function sentinelHealthProblem(deployment: SentinelDeploymentView): Promise<string | null> {
  const { master } = deployment;
  if (master.state !== 'running') return `announced master ${master.port} is ${master.state}`;
  const role = String(await dataNodeCommand(master, 'INFO', 'replication'));
  if (!/role:master/.test(role)) return `announced master ${master.port} is not a master yet`;
  const replicas = deployment.nodes.filter((n) => n !== master && n.state === 'running');
  for (const replica of replicas) {
    const info = String(await dataNodeCommand(replica, 'INFO', 'replication'));
    if (!new RegExp(`master_port:${master.port}\\b`).test(info) || !/master_link_status:up/.test(info))
      return `node ${replica.port} does not replicate ${master.port} yet`;
  }
  for (const sentinel of deployment.sentinels.filter((s) => s.alive)) {
    const problem =
      (await sentinelViewProblem(sentinel, deployment, replicas.length)) ??
      (await sentinelReplicasProblem(sentinel, deployment, replicas));
    if (problem !== null) return problem;
  }
  return null;
}

/** A RESP map reply as [key, value, key, value, ...] read into a Map. */
function fieldsOf(reply: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(reply[i], reply[i + 1]);
  return fields;
}

/**
 * What one sentinel still gets wrong about the running replicas, or null: each must be listed as a
 * plain replica, with no s_down or disconnected flag. A node just restarted stays flagged down for a
 * moment after it replicates again; a failover started then would not count it as a candidate.
 * What the sentinel learns from INFO (the replica's link and master) is left out: it refreshes
 * that only every 10 s, and every second once the master is judged down, before any failover.
 */
async function sentinelReplicasProblem(
  sentinel: SentinelProcess,
  deployment: SentinelDeploymentView,
  replicas: readonly ManagedRedis[],
): Promise<string | null> {
  const reply = (await sentinelCommand(sentinel, 'SENTINEL', 'REPLICAS', deployment.masterName)) as string[][];
  const flagsByPort = new Map(
    reply.map((entry) => fieldsOf(entry)).map((f) => [Number(f.get('port')), f.get('flags')]),
  );
  for (const replica of replicas) {
    const flags = flagsByPort.get(replica.port);
    if (flags === undefined) return `sentinel ${sentinel.port} does not list replica ${replica.port}`;
    if (flags !== 'slave') return `sentinel ${sentinel.port} flags replica ${replica.port} ${flags}`;
  }
  return null;
}

/** What one sentinel still gets wrong about the master, its replicas or its peers, or null. */
async function sentinelViewProblem(
  sentinel: SentinelProcess,
  deployment: SentinelDeploymentView,
  replicaCount: number,
): Promise<string | null> {
  const fields = fieldsOf((await sentinelCommand(sentinel, 'SENTINEL', 'MASTER', deployment.masterName)) as string[]);
  if (Number(fields.get('port')) !== deployment.master.port)
    return `sentinel ${sentinel.port} still names ${fields.get('port')} as master`;
  if ((fields.get('flags') ?? '') !== 'master')
    return `sentinel ${sentinel.port} flags the master ${fields.get('flags')}`;
  const slaves = Number(fields.get('num-slaves') ?? 0);
  const peers = Number(fields.get('num-other-sentinels') ?? 0);
  if (slaves < replicaCount) return `sentinel ${sentinel.port} sees ${slaves} of ${replicaCount} replicas`;
  const otherSentinels = deployment.sentinels.length - 1;
  if (peers < otherSentinels) return `sentinel ${sentinel.port} sees ${peers} of ${otherSentinels} other sentinels`;
  return null;
}
