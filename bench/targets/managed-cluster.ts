import { InfraError } from '../errors.ts';
import { registerCleanup } from '../core/cleanup-registry.ts';
import { formCluster, startClusterNodes } from './cluster-formation.ts';
import { clusterHealthProblem } from './cluster-health.ts';
import { clusterCommand, commandAnyNode, parseClusterSlots, readClusterView } from './cluster-nodes.ts';
import type { ClusterNodeView, ClusterSlotRange } from './cluster-nodes.ts';
import { pollUntilHealthy } from './deployment-steps.ts';
import {
  MANAGED_CLUSTER_DEFAULTS,
  resolveManagedClusterOptions,
  type ManagedClusterOptions,
  type ResolvedManagedClusterOptions,
} from './managed-cluster-options.ts';
import type { ManagedRedis } from './managed-redis.ts';

/** A Redis Cluster of managed redis-server processes on loopback, formed, watched and always cleaned up. */
export class ManagedCluster {
  #nodeTimeoutMs: number;
  readonly #nodes: readonly ManagedRedis[];
  /** Masters at formation, and the replicas each of them gets. */
  readonly masterCount: number;
  readonly replicasPerMaster: number;
  #unregister: (() => void) | undefined;

  private constructor(nodes: readonly ManagedRedis[], options: ResolvedManagedClusterOptions) {
    this.#nodes = nodes;
    this.#nodeTimeoutMs = options.nodeTimeoutMs;
    this.masterCount = options.masters;
    this.replicasPerMaster = options.replicasPerMaster;
    // Each node registers its own pid and cleanup; this one stops them together, in parallel.
    this.#unregister = registerCleanup('redis cluster', () => this.stop());
  }

  static async start(options: ManagedClusterOptions = {}): Promise<ManagedCluster> {
    const resolved = resolveManagedClusterOptions(options);
    const { started, failure } = await startClusterNodes(resolved);
    const cluster = new ManagedCluster(started, resolved);
    try {
      if (failure !== undefined) throw failure.reason;
      const deadline = Date.now() + resolved.formTimeoutMs;
      await formCluster(started, resolved.masters, deadline);
      await cluster.waitHealthy(Math.max(deadline - Date.now(), 1));
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
        .map((n) => clusterCommand(n, 'CONFIG', 'SET', 'cluster-node-timeout', ms)),
    );
  }

  /**
   * Brings a killed node back: same port and nodes.conf, so it rejoins with its identity (as a
   * replica of whoever took over its slots) and resyncs; waits until the cluster is healthy again.
   */
  async rejoin(node: ManagedRedis, timeoutMs: number): Promise<void> {
    if (node.state !== 'running') await node.restart();
    await clusterCommand(node, 'CONFIG', 'SET', 'cluster-node-timeout', this.#nodeTimeoutMs);
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
    const slots = new Set<number>();
    for (const { low, high, masterPort } of await this.#slotRanges())
      if (masterPort === node.port) for (let s = low; s <= high; s += 1) slots.add(s);
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
  view(): Promise<ClusterNodeView[]> {
    return readClusterView(this.#nodes);
  }

  /** The node that serves `slot` as master now. */
  async masterOfSlot(slot: number): Promise<ManagedRedis> {
    const range = (await this.#slotRanges()).find(({ low, high }) => slot >= low && slot <= high);
    if (range === undefined)
      throw new InfraError(`slot ${slot} is not served by any node`, { hint: 'the cluster is not healthy' });
    return this.nodeByPort(range.masterPort);
  }

  /**
   * Waits until every running node says cluster_state:ok with all slots ok, every master with slots
   * has its replicas connected, and every running node sees every other running node as up.
   */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const problem = await pollUntilHealthy(Date.now() + timeoutMs, MANAGED_CLUSTER_DEFAULTS.pollMs, () =>
      clusterHealthProblem(this.#nodes, this.replicasPerMaster),
    );
    if (problem === null) return;
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

  async #slotRanges(): Promise<ClusterSlotRange[]> {
    return parseClusterSlots(await commandAnyNode(this.#nodes, 'CLUSTER', 'SLOTS'));
  }
}
