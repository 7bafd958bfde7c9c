import type { RedisOptions } from 'ioredis';
import { InfraError } from '../errors.ts';
import { registerCleanup } from '../core/cleanup-registry.ts';
import { findFreePort, isPortFree } from './free-port.ts';
import { ManagedRedis } from './managed-redis.ts';
import type { RedisConfigOverrides } from './redis-config.ts';
import { withProbeClient } from './redis-probe.ts';

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

export const CLUSTER_SLOTS = 16_384;

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

/** A Redis Cluster of managed redis-server processes on loopback, formed, watched and always cleaned up. */
export class ManagedCluster {
  #nodeTimeoutMs: number;
  readonly #nodes: readonly ManagedRedis[];
  #unregister: (() => void) | undefined;

  private constructor(nodes: readonly ManagedRedis[], nodeTimeoutMs: number) {
    this.#nodes = nodes;
    this.#nodeTimeoutMs = nodeTimeoutMs;
    // Each node registers its own pid and cleanup; this one stops them together, in parallel.
    this.#unregister = registerCleanup('redis cluster', () => this.stop());
  }

  static async start(options: ManagedClusterOptions = {}): Promise<ManagedCluster> {
    const masters = options.masters ?? MANAGED_CLUSTER_DEFAULTS.masters;
    const replicasPerMaster = options.replicasPerMaster ?? MANAGED_CLUSTER_DEFAULTS.replicasPerMaster;
    const nodeTimeoutMs = options.nodeTimeoutMs ?? MANAGED_CLUSTER_DEFAULTS.nodeTimeoutMs;
    if (!Number.isInteger(masters) || masters < 3)
      throw new InfraError(`a cluster needs at least 3 masters to fail over (got ${masters})`, {
        hint: 'use masters >= 3',
      });
    const overrides = options.configOverrides ?? {};
    const password =
      overrides.requirepass === undefined || overrides.requirepass === '' ? undefined : String(overrides.requirepass);
    const config: RedisConfigOverrides = {
      ...overrides,
      'cluster-enabled': 'yes',
      'cluster-config-file': 'nodes.conf',
      'cluster-node-timeout': nodeTimeoutMs,
      ...(password === undefined ? {} : { masterauth: password }),
    };
    const total = masters * (1 + replicasPerMaster);
    const nodes: ManagedRedis[] = [];
    const started = await Promise.allSettled(
      Array.from({ length: total }, () => startClusterNode(config, options.redisServerPath)),
    );
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const cluster = new ManagedCluster(nodes, nodeTimeoutMs);
    try {
      const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
      await cluster.#form(masters, replicasPerMaster, options.formTimeoutMs ?? MANAGED_CLUSTER_DEFAULTS.formTimeoutMs);
      return cluster;
    } catch (error) {
      await cluster.stop().catch(() => undefined);
      throw error;
    }
  }

  /** cluster-node-timeout in force on every running node. */
  get nodeTimeoutMs(): number {
    return this.#nodeTimeoutMs;
  }

  /** CONFIG SET cluster-node-timeout on every running node (a restarted node gets it again in rejoin). */
  async setNodeTimeout(ms: number): Promise<void> {
    this.#nodeTimeoutMs = ms;
    await Promise.all(
      this.#nodes
        .filter((n) => n.state === 'running')
        .map((n) => this.#call(n, 'CONFIG', 'SET', 'cluster-node-timeout', ms)),
    );
  }

  /**
   * Brings a killed node back: same port and nodes.conf, so it rejoins with its identity (as a
   * replica of whoever took over its slots) and resyncs; waits until the cluster is healthy again.
   */
  async rejoin(node: ManagedRedis, timeoutMs: number): Promise<void> {
    if (node.state !== 'running') await node.restart();
    await this.#call(node, 'CONFIG', 'SET', 'cluster-node-timeout', this.#nodeTimeoutMs);
    await this.waitHealthy(timeoutMs);
  }

  /** Current masters that serve slots, ordered by port. */
  async masters(): Promise<ManagedRedis[]> {
    const view = await this.view();
    return view
      .filter((n) => n.role === 'master' && n.slotCount > 0 && !n.failed)
      .map((n) => this.nodeByPort(n.port))
      .sort((a, b) => a.port - b.port);
  }

  /** The slots `node` serves as master now (empty when it serves none). */
  async slotsOf(node: ManagedRedis): Promise<Set<number>> {
    const shards = (await this.#callAny('CLUSTER', 'SLOTS')) as [
      number,
      number,
      [string, number, ...unknown[]],
      ...unknown[],
    ][];
    const slots = new Set<number>();
    for (const [low, high, master] of shards)
      if (Number(master[1]) === node.port) for (let s = low; s <= high; s += 1) slots.add(s);
    return slots;
  }

  /** Every node, in start order (the first `masters` were the initial masters). */
  get nodes(): readonly ManagedRedis[] {
    return this.#nodes;
  }

  /** Live pids of every node (for orphan checks). */
  get pids(): number[] {
    return this.#nodes.map((n) => n.pid);
  }

  /** Seed URLs of every node: a client needs only one reachable to discover the rest. */
  get seedUrls(): string[] {
    return this.#nodes.map((n) => n.url);
  }

  get redactedSeedUrls(): string[] {
    return this.#nodes.map((n) => n.redactedUrl);
  }

  get version(): string {
    return this.#nodes[0]?.version ?? 'unknown';
  }

  nodeByPort(port: number): ManagedRedis {
    const node = this.#nodes.find((n) => n.port === port);
    if (node === undefined) throw new Error(`no node of this cluster listens on port ${port}`);
    return node;
  }

  /** CLUSTER NODES as seen by the first node that answers. */
  async view(): Promise<ClusterNodeView[]> {
    let lastError: unknown = new Error('no node is running');
    for (const node of this.#nodes) {
      if (node.state !== 'running') continue;
      try {
        return parseClusterNodes(await this.#call(node, 'CLUSTER', 'NODES'));
      } catch (error) {
        lastError = error;
      }
    }
    throw new InfraError(
      `no cluster node answered CLUSTER NODES: ${String((lastError as Error).message ?? lastError)}`,
      { hint: 'the cluster may have been killed' },
    );
  }

  /** The node that serves `slot` as master now. */
  async masterOfSlot(slot: number): Promise<ManagedRedis> {
    const shards = (await this.#callAny('CLUSTER', 'SLOTS')) as [
      number,
      number,
      [string, number, ...unknown[]],
      ...unknown[],
    ][];
    const range = shards.find(([low, high]) => slot >= low && slot <= high);
    if (range === undefined)
      throw new InfraError(`slot ${slot} is not served by any node`, { hint: 'the cluster is not healthy' });
    return this.nodeByPort(Number(range[2][1]));
  }

  /**
   * Waits until every running node says cluster_state:ok with all slots ok, every master with slots
   * has `replicasPerMaster` connected replicas (if `withReplicas`), and no running node is flagged failed.
   */
  async waitHealthy(timeoutMs: number, options: { replicasPerMaster?: number } = {}): Promise<void> {
    const replicas = options.replicasPerMaster ?? MANAGED_CLUSTER_DEFAULTS.replicasPerMaster;
    const deadline = Date.now() + timeoutMs;
    let problem = 'not checked yet';
    while (Date.now() < deadline) {
      problem = (await this.#healthProblem(replicas).catch((error: Error) => error.message)) ?? '';
      if (problem === '') return;
      await sleep(MANAGED_CLUSTER_DEFAULTS.pollMs);
    }
    throw new InfraError(`the Redis Cluster was not healthy within ${timeoutMs} ms: ${problem}`, {
      hint: `see the node logs (${this.#nodes.map((n) => n.logPath).join(', ')}); the machine may be overloaded`,
    });
  }

  /** Stops every node (in parallel) and removes their temp dirs. Idempotent. */
  async stop(): Promise<void> {
    const results = await Promise.allSettled(this.#nodes.map((n) => n.stop()));
    this.#unregister?.();
    this.#unregister = undefined;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #form(masters: number, replicasPerMaster: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const ids = await Promise.all(this.#nodes.map((n) => this.#call(n, 'CLUSTER', 'MYID') as Promise<string>));
    // Distinct config epochs up front (as redis-cli --cluster create does), so no collision round.
    await Promise.all(
      this.#nodes.slice(0, masters).map(async (node, m) => {
        await this.#call(node, 'CLUSTER', 'SET-CONFIG-EPOCH', m + 1);
        const low = Math.floor((m * CLUSTER_SLOTS) / masters);
        const high = Math.floor(((m + 1) * CLUSTER_SLOTS) / masters) - 1;
        await this.#call(node, 'CLUSTER', 'ADDSLOTS', ...Array.from({ length: high - low + 1 }, (_, i) => low + i));
      }),
    );
    const first = this.#nodes[0];
    for (const node of this.#nodes.slice(1)) await this.#call(first, 'CLUSTER', 'MEET', node.host, node.port);
    await this.#until(deadline, 'every node to know every other node', async () => {
      for (const node of this.#nodes) {
        const view = parseClusterNodes(await this.#call(node, 'CLUSTER', 'NODES'));
        if (view.length !== this.#nodes.length)
          return `node ${node.port} knows ${view.length} of ${this.#nodes.length} nodes`;
      }
      return null;
    });
    await Promise.all(
      this.#nodes.slice(masters).map((node, r) => this.#call(node, 'CLUSTER', 'REPLICATE', ids[r % masters])),
    );
    await this.waitHealthy(Math.max(deadline - Date.now(), 1), { replicasPerMaster });
  }

  async #healthProblem(replicasPerMaster: number): Promise<string | null> {
    const running = this.#nodes.filter((n) => n.state === 'running');
    for (const node of running) {
      const info = String(await this.#call(node, 'CLUSTER', 'INFO'));
      if (!/cluster_state:ok/.test(info))
        return `node ${node.port}: ${/cluster_state:\w+/.exec(info)?.[0] ?? 'no cluster_state'}`;
      const slotsOk = Number(/cluster_slots_ok:(\d+)/.exec(info)?.[1] ?? 0);
      if (slotsOk !== CLUSTER_SLOTS) return `node ${node.port}: cluster_slots_ok ${slotsOk} of ${CLUSTER_SLOTS}`;
    }
    const view = await this.view();
    const runningPorts = new Set(running.map((n) => n.port));
    for (const master of view.filter((n) => n.role === 'master' && n.slotCount > 0)) {
      if (!runningPorts.has(master.port) || master.failed) return `master ${master.port} is not running`;
      const attached = view.filter(
        (n) => n.masterId === master.id && n.connected && !n.failed && runningPorts.has(n.port),
      );
      if (attached.length < replicasPerMaster)
        return `master ${master.port} has ${attached.length} of ${replicasPerMaster} replicas`;
    }
    for (const replica of view.filter((n) => n.role === 'replica' && runningPorts.has(n.port))) {
      const info = String(await this.#call(this.nodeByPort(replica.port), 'INFO', 'replication'));
      if (!/master_link_status:up/.test(info)) return `replica ${replica.port}: link to its master is not up`;
    }
    return null;
  }

  async #until(deadline: number, what: string, check: () => Promise<string | null>): Promise<void> {
    let problem: string | null = 'not checked yet';
    while (Date.now() < deadline) {
      problem = await check().catch((error: Error) => error.message);
      if (problem === null) return;
      await sleep(MANAGED_CLUSTER_DEFAULTS.pollMs);
    }
    throw new InfraError(`the Redis Cluster did not form: waited for ${what}: ${problem}`, {
      hint: 'the machine may be overloaded; see the node logs',
    });
  }

  #call(node: ManagedRedis, ...args: (string | number)[]): Promise<unknown> {
    const options: RedisOptions = node.connectOptions();
    return withProbeClient(options, MANAGED_CLUSTER_DEFAULTS.commandTimeoutMs, (client) =>
      client.call(String(args[0]), ...args.slice(1)),
    );
  }

  async #callAny(...args: (string | number)[]): Promise<unknown> {
    let lastError: unknown = new Error('no node is running');
    for (const node of this.#nodes) {
      if (node.state !== 'running') continue;
      try {
        return await this.#call(node, ...args);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
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
  config: RedisConfigOverrides,
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
