import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RedisOptions } from 'ioredis';
import { InfraError } from '../errors.ts';
import { registerCleanup } from '../core/cleanup-registry.ts';
import { findFreePort, isPortFree, LOOPBACK_HOST } from './free-port.ts';
import { readLogTail, readStartupLog } from './log-tail.ts';
import {
  MANAGED_REDIS_DEFAULTS,
  resolveManagedRedisOptions,
  type ManagedRedisOptions,
  type ResolvedManagedRedisOptions,
} from './managed-redis-options.ts';
import { buildManagedRedisConfig, redactRedisConfig, renderRedisConfig, requirepassOf } from './redis-config.ts';
import type { RedisConfig } from './redis-config.ts';
import { readServerVersion, withProbeClient } from './redis-probe.ts';
import { spawnRedisServer, waitForExit, waitUntilAnswering, type ChildExit } from './redis-server-process.ts';
import { portInUse, PortInUseError, startupFailed } from './redis-startup-errors.ts';

export type { ManagedRedisOptions } from './managed-redis-options.ts';
export type { ChildExit } from './redis-server-process.ts';

/**
 * running/paused: the process is alive. stopped: stop() ended it and removed its files.
 * killed: kill() (or anyone's SIGKILL) ended it. exited: it ended by itself (see lastExit).
 */
export type ManagedRedisState = 'running' | 'paused' | 'stopped' | 'killed' | 'exited';

const LOG_FILE = 'redis.log';
/** redis-server writes config-file errors to stderr before it opens its logfile. */
const STDIO_FILE = 'stdio.log';
const CONFIG_FILE = 'redis.conf';
const ERROR_LOG_LINES = 20;

/** A redis-server process the harness spawned, owns and always cleans up. */
export class ManagedRedis {
  readonly host = LOOPBACK_HOST;
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  readonly redactedUrl: string;

  readonly #options: ResolvedManagedRedisOptions;
  readonly #password: string | undefined;
  readonly #config: RedisConfig;
  #state: ManagedRedisState = 'stopped';
  #child: ChildProcess | undefined;
  #exited: Promise<ChildExit> = Promise.resolve({ code: null, signal: null });
  #expectedExit: 'stopped' | 'killed' | undefined;
  #lastExit: ChildExit | undefined;
  #version = 'unknown';
  #unregisterCleanup: (() => void) | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(options: ResolvedManagedRedisOptions, port: number, dir: string) {
    this.#options = options;
    this.port = port;
    this.dir = dir;
    this.#config = buildManagedRedisConfig({
      port,
      dir,
      logfile: path.join(dir, LOG_FILE),
      overrides: options.configOverrides,
    });
    this.#password = requirepassOf(options.configOverrides);
    const auth = (secret: string) => (this.#password === undefined ? '' : `:${secret}@`);
    this.url = `redis://${auth(encodeURIComponent(this.#password ?? ''))}${this.host}:${port}`;
    this.redactedUrl = `redis://${auth('***')}${this.host}:${port}`;
  }

  static async start(options: ManagedRedisOptions = {}): Promise<ManagedRedis> {
    const resolved = resolveManagedRedisOptions(options);
    const attempts = resolved.port === undefined ? MANAGED_REDIS_DEFAULTS.freePortAttempts : 1;
    for (let attempt = 1; ; attempt += 1) {
      const port = resolved.port ?? (await findFreePort());
      try {
        return await ManagedRedis.#startOnPort(resolved, port);
      } catch (error) {
        // Someone took the free port between our probe and redis-server's bind: pick another.
        const clash = error instanceof PortInUseError && error.port === port;
        if (!clash || attempt >= attempts) throw error;
      }
    }
  }

  static async #startOnPort(options: ResolvedManagedRedisOptions, port: number): Promise<ManagedRedis> {
    if (!(await isPortFree(port, LOOPBACK_HOST))) throw portInUse(port);
    const dir = await mkdtemp(path.join(tmpdir(), 'rpb-redis-'));
    const redis = new ManagedRedis(options, port, dir);
    redis.#unregisterCleanup = registerCleanup(`redis-server on port ${port}`, () => redis.stop());
    try {
      await redis.#launch();
      return redis;
    } catch (error) {
      // A failed start has nothing worth a graceful shutdown; its log is already in the error.
      if (redis.#isAlive()) await redis.#killAndWait().catch(() => undefined);
      await redis.stop().catch(() => undefined);
      throw error;
    }
  }

  get state(): ManagedRedisState {
    return this.#state;
  }

  /** Pid of the current (or last) redis-server process. */
  get pid(): number {
    return this.#child?.pid ?? -1;
  }

  /** redis_version from INFO server of the current process. */
  get version(): string {
    return this.#version;
  }

  /** How the last process ended, if it has. */
  get lastExit(): ChildExit | undefined {
    return this.#lastExit;
  }

  /** The effective redis.conf directives, secrets shown as ***, for run reports. */
  get config(): RedisConfig {
    return redactRedisConfig(this.#config);
  }

  get logPath(): string {
    return path.join(this.dir, LOG_FILE);
  }

  /** ioredis options for this instance (host, port and the password when requirepass is set). */
  connectOptions(): RedisOptions {
    return { host: this.host, port: this.port, ...(this.#password === undefined ? {} : { password: this.#password }) };
  }

  /** SHUTDOWN NOSAVE, then SIGTERM, then SIGKILL; removes the temp dir. Idempotent. */
  stop(): Promise<void> {
    return this.#serialize(async () => {
      if (this.#isAlive()) await this.#terminate();
      if (this.#unregisterCleanup !== undefined) {
        await rm(this.dir, { recursive: true, force: true });
        this.#unregisterCleanup();
        this.#unregisterCleanup = undefined;
      }
      this.#state = 'stopped';
    });
  }

  /** SIGKILL, as a crash would; keeps the temp dir so restart() and logTail() still work. */
  kill(): Promise<void> {
    return this.#serialize(async () => {
      this.#requireState('kill', 'running', 'paused');
      await this.#killAndWait();
    });
  }

  /** SIGSTOP: the process keeps its port and connections but answers nothing, like a long GC pause. */
  pause(): Promise<void> {
    return this.#serialize(async () => {
      this.#requireState('pause', 'running');
      this.#signal('SIGSTOP');
      this.#state = 'paused';
    });
  }

  resume(): Promise<void> {
    return this.#serialize(async () => {
      this.#requireState('resume', 'paused');
      this.#signal('SIGCONT');
      this.#state = 'running';
    });
  }

  /** A fresh redis-server on the same port with the same config; its data starts empty. */
  restart(): Promise<void> {
    return this.#serialize(async () => {
      if (this.#isAlive()) await this.#terminate();
      if (this.#unregisterCleanup === undefined) {
        await mkdir(this.dir, { recursive: true });
        this.#unregisterCleanup = registerCleanup(`redis-server on port ${this.port}`, () => this.stop());
      }
      if (!(await isPortFree(this.port, LOOPBACK_HOST))) throw portInUse(this.port);
      try {
        await this.#launch();
      } catch (error) {
        if (this.#isAlive()) await this.#killAndWait().catch(() => undefined);
        throw error;
      }
    });
  }

  logTail(lines = ERROR_LOG_LINES): Promise<string> {
    return readLogTail(this.logPath, lines);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #launch(): Promise<void> {
    const { redisServerPath } = this.#options;
    const configPath = path.join(this.dir, CONFIG_FILE);
    await writeFile(configPath, renderRedisConfig(this.#config), { mode: 0o600 });
    const { child, exited } = await spawnRedisServer(
      redisServerPath,
      [configPath],
      this.dir,
      path.join(this.dir, STDIO_FILE),
      (exit) => {
        this.#lastExit = exit;
        this.#state = this.#expectedExit ?? (exit.signal === 'SIGKILL' ? 'killed' : 'exited');
        this.#expectedExit = undefined;
      },
    );
    // Only microtasks ran since the spawn: the exit callback (an I/O event) cannot have run before these.
    this.#child = child;
    this.#state = 'running';
    this.#lastExit = undefined;
    this.#exited = exited;
    await this.#waitReady();
    this.#version = await withProbeClient(this.connectOptions(), this.#options.commandTimeoutMs, readServerVersion);
  }

  async #waitReady(): Promise<void> {
    const readiness = await waitUntilAnswering(this.connectOptions(), this.#exited, this.#options);
    if (readiness.ready) return;
    throw startupFailed({
      port: this.port,
      pid: this.#child?.pid,
      logPath: this.logPath,
      logLines: await readStartupLog(path.join(this.dir, STDIO_FILE), this.logPath, ERROR_LOG_LINES),
      exit: readiness.exit,
      startTimeoutMs: this.#options.startTimeoutMs,
    });
  }

  async #terminate(): Promise<void> {
    const stepMs = this.#options.stopStepTimeoutMs;
    this.#expectedExit = 'stopped';
    // A stopped process answers nothing, and only SIGKILL would reach it.
    if (this.#state === 'paused') this.#signal('SIGCONT');
    let delivered = false;
    try {
      await withProbeClient(this.connectOptions(), this.#options.commandTimeoutMs, (client) => {
        delivered = true;
        return client.call('SHUTDOWN', 'NOSAVE');
      });
    } catch {
      // The connection closes as the server exits, or the server is stuck: the exit wait decides.
    }
    if (delivered && (await this.#waitExit(stepMs))) return;
    this.#signal('SIGTERM');
    if (await this.#waitExit(stepMs)) return;
    await this.#killAndWait('stopped');
  }

  async #killAndWait(as: 'stopped' | 'killed' = 'killed'): Promise<void> {
    this.#expectedExit = as;
    this.#signal('SIGKILL');
    if (!(await this.#waitExit(this.#options.stopStepTimeoutMs))) {
      throw new InfraError(`redis-server (pid ${this.pid}, port ${this.port}) did not exit after SIGKILL`, {
        hint: 'the process may be stuck in the kernel (state D); check it with ps',
      });
    }
  }

  #waitExit(timeoutMs: number): Promise<boolean> {
    return waitForExit(this.#exited, timeoutMs);
  }

  /** Only ever our own ChildProcess handle: a bare pid could have been recycled by now. */
  #signal(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
  }

  #isAlive(): boolean {
    return this.#state === 'running' || this.#state === 'paused';
  }

  #requireState(action: string, ...allowed: ManagedRedisState[]): void {
    if (!allowed.includes(this.#state)) {
      throw new Error(
        `cannot ${action} redis-server on port ${this.port}: it is ${this.#state} (${action} needs ${allowed.join(' or ')})`,
      );
    }
  }

  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
