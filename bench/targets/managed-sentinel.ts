import { InfraError } from '../errors.ts';
import { registerCleanup } from '../core/cleanup-registry.ts';
import type { RedisTopology } from '../../src/redis/topology-client.ts';
import { ManagedRedis } from './managed-redis.ts';
import type { RedisConfigOverrides } from './redis-config.ts';
import { withProbeClient } from './redis-probe.ts';
import { SentinelProcess } from './sentinel-process.ts';

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

  private constructor(
    nodes: readonly ManagedRedis[],
    options: { downAfterMs: number; failoverTimeoutMs: number; quorum: number; password: string | undefined },
  ) {
    this.#nodes = nodes;
    this.#downAfterMs = options.downAfterMs;
    this.#failoverTimeoutMs = options.failoverTimeoutMs;
    this.quorum = options.quorum;
    this.#password = options.password;
    this.#unregister = registerCleanup('redis sentinel deployment', () => this.stop());
  }

  static async start(options: ManagedSentinelOptions = {}): Promise<ManagedSentinel> {
    const replicas = options.replicas ?? MANAGED_SENTINEL_DEFAULTS.replicas;
    const sentinelCount = options.sentinels ?? MANAGED_SENTINEL_DEFAULTS.sentinels;
    const quorum = options.quorum ?? MANAGED_SENTINEL_DEFAULTS.quorum;
    if (quorum < 1 || quorum > sentinelCount)
      throw new InfraError(`sentinel quorum ${quorum} must be between 1 and the ${sentinelCount} sentinels`, {
        hint: 'lower the quorum',
      });
    const overrides = options.configOverrides ?? {};
    const password =
      overrides.requirepass === undefined || overrides.requirepass === '' ? undefined : String(overrides.requirepass);
    const config: RedisConfigOverrides = { ...overrides, ...(password === undefined ? {} : { masterauth: password }) };
    const serverPath = options.redisServerPath === undefined ? {} : { redisServerPath: options.redisServerPath };
    const started = await Promise.allSettled(
      Array.from({ length: 1 + replicas }, () => ManagedRedis.start({ configOverrides: config, ...serverPath })),
    );
    const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const deployment = new ManagedSentinel(nodes, {
      downAfterMs: options.downAfterMs ?? MANAGED_SENTINEL_DEFAULTS.downAfterMs,
      failoverTimeoutMs: options.failoverTimeoutMs ?? MANAGED_SENTINEL_DEFAULTS.failoverTimeoutMs,
      quorum,
      password,
    });
    try {
      const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
      const deadline = Date.now() + (options.formTimeoutMs ?? MANAGED_SENTINEL_DEFAULTS.formTimeoutMs);
      const master = nodes[0];
      await Promise.all(
        nodes.slice(1).map((replica) => deployment.#call(replica, 'REPLICAOF', master.host, master.port)),
      );
      for (let i = 0; i < sentinelCount; i += 1) {
        deployment.#sentinels.push(
          await SentinelProcess.start(
            {
              masterName: deployment.masterName,
              masterHost: master.host,
              masterPort: master.port,
              quorum,
              downAfterMs: deployment.#downAfterMs,
              failoverTimeoutMs: deployment.#failoverTimeoutMs,
              ...(password === undefined ? {} : { authPass: password }),
            },
            options.redisServerPath,
          ),
        );
      }
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
          withProbeClient({ host: s.host, port: s.port }, MANAGED_SENTINEL_DEFAULTS.commandTimeoutMs, (c) =>
            c.call(
              'SENTINEL',
              'SET',
              this.masterName,
              'down-after-milliseconds',
              timings.downAfterMs,
              'failover-timeout',
              timings.failoverTimeoutMs,
            ),
          ),
        ),
    );
  }

  /**
   * Brings a killed data node back as a replica of the announced master (what the sentinels would
   * do once they notice it, done at once so trials do not wait for their 10 s INFO period).
   */
  async rejoin(node: ManagedRedis, timeoutMs: number): Promise<void> {
    if (node.state !== 'running') await node.restart();
    const master = await this.announcedMaster();
    if (master !== node) await this.#call(node, 'REPLICAOF', master.host, master.port);
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
    let lastError: unknown = new Error('no sentinel is running');
    for (const sentinel of this.#sentinels) {
      if (!sentinel.alive) continue;
      try {
        const reply = await withProbeClient(
          { host: sentinel.host, port: sentinel.port },
          MANAGED_SENTINEL_DEFAULTS.commandTimeoutMs,
          (c) => c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName),
        );
        return this.nodeByPort(Number((reply as [string, string])[1]));
      } catch (error) {
        lastError = error;
      }
    }
    throw new InfraError(`no sentinel announced a master: ${(lastError as Error).message ?? String(lastError)}`, {
      hint: 'the sentinels may be down',
    });
  }

  /**
   * Waits until the announced master is running and says it is master, every other running data
   * node replicates it with its link up, and every sentinel sees those replicas and its peers.
   */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let problem: string | null = 'not checked yet';
    while (Date.now() < deadline) {
      problem = await this.#healthProblem().catch((error: Error) => error.message);
      if (problem === null) return;
      await sleep(MANAGED_SENTINEL_DEFAULTS.pollMs);
    }
    throw new InfraError(`the Sentinel deployment was not healthy within ${timeoutMs} ms: ${problem}`, {
      hint: `see the logs (${[...this.#nodes.map((n) => n.logPath), ...this.#sentinels.map((s) => s.logPath)].join(', ')})`,
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

  async #healthProblem(): Promise<string | null> {
    const master = await this.announcedMaster();
    if (master.state !== 'running') return `announced master ${master.port} is ${master.state}`;
    const role = String(await this.#call(master, 'INFO', 'replication'));
    if (!/role:master/.test(role)) return `announced master ${master.port} is not a master yet`;
    const replicas = this.#nodes.filter((n) => n !== master && n.state === 'running');
    for (const replica of replicas) {
      const info = String(await this.#call(replica, 'INFO', 'replication'));
      if (!new RegExp(`master_port:${master.port}\\b`).test(info) || !/master_link_status:up/.test(info))
        return `node ${replica.port} does not replicate ${master.port} yet`;
    }
    for (const sentinel of this.#sentinels.filter((s) => s.alive)) {
      const reply = (await withProbeClient(
        { host: sentinel.host, port: sentinel.port },
        MANAGED_SENTINEL_DEFAULTS.commandTimeoutMs,
        (c) => c.call('SENTINEL', 'MASTER', this.masterName),
      )) as string[];
      const fields = new Map<string, string>();
      for (let i = 0; i + 1 < reply.length; i += 2) fields.set(reply[i], reply[i + 1]);
      if (Number(fields.get('port')) !== master.port)
        return `sentinel ${sentinel.port} still names ${fields.get('port')} as master`;
      if ((fields.get('flags') ?? '') !== 'master')
        return `sentinel ${sentinel.port} flags the master ${fields.get('flags')}`;
      const slaves = Number(fields.get('num-slaves') ?? 0);
      const peers = Number(fields.get('num-other-sentinels') ?? 0);
      if (slaves < replicas.length) return `sentinel ${sentinel.port} sees ${slaves} of ${replicas.length} replicas`;
      if (peers < this.#sentinels.length - 1)
        return `sentinel ${sentinel.port} sees ${peers} of ${this.#sentinels.length - 1} other sentinels`;
    }
    return null;
  }

  #call(node: ManagedRedis, ...args: (string | number)[]): Promise<unknown> {
    return withProbeClient(node.connectOptions(), MANAGED_SENTINEL_DEFAULTS.commandTimeoutMs, (client) =>
      client.call(String(args[0]), ...args.slice(1)),
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
