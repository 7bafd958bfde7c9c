import { InfraError } from '../errors.ts';
import { registerCleanup } from '../core/cleanup-registry.ts';
import type { RedisTopology } from '../../src/redis/topology-client.ts';
import { firstToAnswer, pollUntilHealthy, startMembers } from './deployment-steps.ts';
import { ManagedRedis } from './managed-redis.ts';
import {
  MANAGED_SENTINEL_DEFAULTS,
  resolveManagedSentinelOptions,
  type ManagedSentinelOptions,
  type ResolvedManagedSentinelOptions,
} from './managed-sentinel-options.ts';
import { dataNodeCommand, sentinelCommand, sentinelHealthProblem } from './sentinel-health.ts';
import { SentinelProcess } from './sentinel-process.ts';

/** One master, its replicas and the sentinels watching them, all managed and always cleaned up. */
export class ManagedSentinel {
  readonly masterName = MANAGED_SENTINEL_DEFAULTS.masterName;
  #downAfterMs: number;
  #failoverTimeoutMs: number;
  readonly quorum: number;
  readonly #nodes: readonly ManagedRedis[];
  readonly #sentinels: SentinelProcess[] = [];
  readonly #password: string | undefined;
  #unregister: (() => void) | undefined;

  private constructor(nodes: readonly ManagedRedis[], options: ResolvedManagedSentinelOptions) {
    this.#nodes = nodes;
    this.#downAfterMs = options.downAfterMs;
    this.#failoverTimeoutMs = options.failoverTimeoutMs;
    this.quorum = options.quorum;
    this.#password = options.password;
    this.#unregister = registerCleanup('redis sentinel deployment', () => this.stop());
  }

  static async start(options: ManagedSentinelOptions = {}): Promise<ManagedSentinel> {
    const resolved = resolveManagedSentinelOptions(options);
    const serverPath = resolved.redisServerPath === undefined ? {} : { redisServerPath: resolved.redisServerPath };
    const { started, failure } = await startMembers(1 + resolved.replicas, () =>
      ManagedRedis.start({ configOverrides: resolved.nodeConfig, ...serverPath }),
    );
    const deployment = new ManagedSentinel(started, resolved);
    try {
      if (failure !== undefined) throw failure.reason;
      const deadline = Date.now() + resolved.formTimeoutMs;
      const master = started[0];
      await Promise.all(
        started.slice(1).map((replica) => dataNodeCommand(replica, 'REPLICAOF', master.host, master.port)),
      );
      await deployment.#startSentinels(master, resolved);
      await deployment.waitHealthy(Math.max(deadline - Date.now(), 1));
      return deployment;
    } catch (error) {
      await deployment.stop().catch(() => undefined);
      throw error;
    }
  }

  /** sentinel down-after-milliseconds in force. */
  get downAfterMs(): number {
    return this.#downAfterMs;
  }

  get failoverTimeoutMs(): number {
    return this.#failoverTimeoutMs;
  }

  /** SENTINEL SET on every running sentinel: the failure-detection and failover timings. */
  async setTimings(timings: { downAfterMs: number; failoverTimeoutMs: number }): Promise<void> {
    this.#downAfterMs = timings.downAfterMs;
    this.#failoverTimeoutMs = timings.failoverTimeoutMs;
    await Promise.all(
      this.#sentinels
        .filter((s) => s.alive)
        .map((s) =>
          sentinelCommand(
            s,
            'SENTINEL',
            'SET',
            this.masterName,
            'down-after-milliseconds',
            timings.downAfterMs,
            'failover-timeout',
            timings.failoverTimeoutMs,
          ),
        ),
    );
  }

  /**
   * Brings a killed data node back as a replica of the announced master, and points any other
   * running data node still replicating an old master at it: what the sentinels would do once they
   * notice (after their 10 s INFO period and an 8 s grace for a replica left behind by a failover),
   * done at once so trials do not wait for it. Then waits until the deployment has converged.
   */
  async rejoin(node: ManagedRedis, timeoutMs: number): Promise<void> {
    if (node.state !== 'running') await node.restart();
    const master = await this.announcedMaster();
    // A replica already following this master answers "Already connected to specified master" and keeps its link.
    const others = this.#nodes.filter((n) => n !== master && n.state === 'running');
    await Promise.all(others.map((replica) => dataNodeCommand(replica, 'REPLICAOF', master.host, master.port)));
    await this.waitHealthy(timeoutMs);
  }

  /** Data nodes in start order (the first was the initial master). */
  get nodes(): readonly ManagedRedis[] {
    return this.#nodes;
  }

  get sentinels(): readonly SentinelProcess[] {
    return this.#sentinels;
  }

  get pids(): number[] {
    return [...this.#nodes.map((n) => n.pid), ...this.#sentinels.map((s) => s.pid)];
  }

  get version(): string {
    return this.#nodes[0]?.version ?? 'unknown';
  }

  /** What a sentinel-aware client needs. */
  topology(): Extract<RedisTopology, { kind: 'sentinel' }> {
    return {
      kind: 'sentinel',
      sentinels: this.#sentinels.map((s) => ({ host: s.host, port: s.port })),
      masterName: this.masterName,
      ...(this.#password === undefined ? {} : { password: this.#password }),
    };
  }

  nodeByPort(port: number): ManagedRedis {
    const node = this.#nodes.find((n) => n.port === port);
    if (node === undefined) throw new Error(`no data node of this deployment listens on port ${port}`);
    return node;
  }

  /** The master as the sentinels announce it now (the first sentinel that answers). */
  async announcedMaster(): Promise<ManagedRedis> {
    try {
      return await firstToAnswer(
        this.#sentinels,
        (s) => s.alive,
        async (sentinel) => {
          const reply = await sentinelCommand(sentinel, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName);
          return this.nodeByPort(Number((reply as [string, string])[1]));
        },
        'no sentinel is running',
      );
    } catch (lastError) {
      throw new InfraError(`no sentinel announced a master: ${(lastError as Error).message ?? String(lastError)}`, {
        hint: 'the sentinels may be down',
      });
    }
  }

  /**
   * Waits until the announced master is running and says it is master, every other running data
   * node replicates it with its link up, and every sentinel sees its peers and each of those
   * replicas as a plain replica, not flagged down (converged: what a failover started now would see).
   */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const problem = await pollUntilHealthy(Date.now() + timeoutMs, MANAGED_SENTINEL_DEFAULTS.pollMs, async () =>
      sentinelHealthProblem({
        master: await this.announcedMaster(),
        nodes: this.#nodes,
        sentinels: this.#sentinels,
        masterName: this.masterName,
      }),
    );
    if (problem === null) return;
    const logs = [...this.#nodes.map((n) => n.logPath), ...this.#sentinels.map((s) => s.logPath)];
    throw new InfraError(`the Sentinel deployment was not healthy within ${timeoutMs} ms: ${problem}`, {
      hint: `see the logs (${logs.join(', ')})`,
    });
  }

  /** Sentinels first (so none starts a failover while the data nodes stop), then the data nodes. */
  async stop(): Promise<void> {
    const sentinels = await Promise.allSettled(this.#sentinels.map((s) => s.stop()));
    const nodes = await Promise.allSettled(this.#nodes.map((n) => n.stop()));
    this.#unregister?.();
    this.#unregister = undefined;
    const failed = [...sentinels, ...nodes].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** In parallel, each kept as soon as it starts, so stop() finds it if another one fails. */
  async #startSentinels(master: ManagedRedis, options: ResolvedManagedSentinelOptions): Promise<void> {
    const { failure } = await startMembers(options.sentinels, async () => {
      const sentinel = await SentinelProcess.start(
        {
          masterName: this.masterName,
          masterHost: master.host,
          masterPort: master.port,
          quorum: options.quorum,
          downAfterMs: this.#downAfterMs,
          failoverTimeoutMs: this.#failoverTimeoutMs,
          ...(options.password === undefined ? {} : { authPass: options.password }),
        },
        options.redisServerPath,
      );
      this.#sentinels.push(sentinel);
      return sentinel;
    });
    if (failure !== undefined) throw failure.reason;
  }
}
