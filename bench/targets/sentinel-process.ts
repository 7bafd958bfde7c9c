import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InfraError } from '../errors.ts';
import { registerCleanup } from '../core/cleanup-registry.ts';
import { findFreePort, LOOPBACK_HOST } from './free-port.ts';
import { readStartupLog } from './log-tail.ts';
import { resolveRedisServerPath } from './managed-redis-options.ts';
import { spawnRedisServer, waitForExit, waitUntilAnswering, type ChildExit } from './redis-server-process.ts';

export interface SentinelMonitor {
  readonly masterName: string;
  readonly masterHost: string;
  readonly masterPort: number;
  readonly quorum: number;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  /** requirepass of the data nodes, if any. */
  readonly authPass?: string;
}

const STEP_TIMEOUT_MS = 2_000;
const READINESS = { startTimeoutMs: 10_000, readyPollMs: 50, commandTimeoutMs: 1_000 } as const;

/**
 * One `redis-server <conf> --sentinel` process (the same binary as the data nodes), spawned in its
 * own process group, registered for cleanup like ManagedRedis, and stopped with SIGTERM then SIGKILL.
 */
export class SentinelProcess {
  readonly host = LOOPBACK_HOST;
  #child: ChildProcess | undefined;
  #exited: Promise<ChildExit> = Promise.resolve({ code: null, signal: null });
  #alive = false;
  #unregister: (() => void) | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(monitor: SentinelMonitor, redisServerPath?: string): Promise<SentinelProcess> {
    const port = await findFreePort();
    const dir = await mkdtemp(path.join(tmpdir(), 'rpb-sentinel-'));
    const sentinel = new SentinelProcess(port, dir);
    sentinel.#unregister = registerCleanup(`redis sentinel on port ${port}`, () => sentinel.stop());
    try {
      await sentinel.#launch(monitor, resolveRedisServerPath(redisServerPath));
      return sentinel;
    } catch (error) {
      await sentinel.stop().catch(() => undefined);
      throw error;
    }
  }

  get pid(): number {
    return this.#child?.pid ?? -1;
  }

  get alive(): boolean {
    return this.#alive;
  }

  get logPath(): string {
    return path.join(this.dir, 'sentinel.log');
  }

  async stop(): Promise<void> {
    if (this.#alive) {
      this.#child?.kill('SIGTERM');
      if (!(await waitForExit(this.#exited, STEP_TIMEOUT_MS))) {
        this.#child?.kill('SIGKILL');
        if (!(await waitForExit(this.#exited, STEP_TIMEOUT_MS))) {
          throw new InfraError(`redis sentinel (pid ${this.pid}, port ${this.port}) did not exit after SIGKILL`, {
            hint: 'check it with ps',
          });
        }
      }
    }
    if (this.#unregister !== undefined) {
      await rm(this.dir, { recursive: true, force: true });
      this.#unregister();
      this.#unregister = undefined;
    }
  }

  async #launch(monitor: SentinelMonitor, redisServerPath: string): Promise<void> {
    const name = monitor.masterName;
    const lines = [
      `port ${this.port}`,
      `bind ${LOOPBACK_HOST}`,
      'protected-mode yes',
      'daemonize no',
      `dir ${this.dir}`,
      `logfile ${this.logPath}`,
      `sentinel monitor ${name} ${monitor.masterHost} ${monitor.masterPort} ${monitor.quorum}`,
      `sentinel down-after-milliseconds ${name} ${monitor.downAfterMs}`,
      `sentinel failover-timeout ${name} ${monitor.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${name} 1`,
      ...(monitor.authPass === undefined
        ? []
        : [`sentinel auth-pass ${name} "${monitor.authPass.replace(/(["\\])/g, '\\$1')}"`]),
    ];
    // Sentinel rewrites its config file (it records the peers and replicas it finds): it must be writable.
    const configPath = path.join(this.dir, 'sentinel.conf');
    await writeFile(configPath, `${lines.join('\n')}\n`, { mode: 0o600 });
    const { child, exited } = await spawnRedisServer(
      redisServerPath,
      [configPath, '--sentinel'],
      this.dir,
      path.join(this.dir, 'stdio.log'),
      () => {
        this.#alive = false;
      },
    );
    this.#child = child;
    this.#alive = true;
    this.#exited = exited;
    if ((await waitUntilAnswering({ host: this.host, port: this.port }, exited, READINESS)).ready) return;
    const log = await readStartupLog(path.join(this.dir, 'stdio.log'), this.logPath, 20);
    throw new InfraError(
      `redis sentinel on port ${this.port} did not answer PING within ${READINESS.startTimeoutMs} ms${log === '' ? '' : `:\n${log}`}`,
      {
        hint: 'check that redis-server supports --sentinel (Redis >= 2.8) and see the log above',
      },
    );
  }
}
