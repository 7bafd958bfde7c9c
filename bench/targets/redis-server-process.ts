import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisOptions } from 'ioredis';
import { registerChildPid, unregisterChildPid } from '../core/cleanup-registry.ts';
import { pingOnce } from './redis-probe.ts';
import { redisServerNotFound, redisServerNotRunnable } from './redis-startup-errors.ts';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RedisServerChild {
  readonly child: ChildProcess;
  /** Settles once the process has exited, after onExit ran. */
  readonly exited: Promise<ChildExit>;
}

/**
 * Spawns `redis-server ...args` (a data node or a sentinel) in `dir`, its stdout and stderr appended
 * to `stdioPath` (config-file errors go there before the logfile opens). The child runs in its own
 * process group, so a terminal Ctrl-C reaches only the harness, which then stops it in order. Until
 * it exits, the exit hook SIGKILLs it and removes `dir`; it is unref'd, so an instance nobody
 * stopped does not keep the harness alive. A missing or unrunnable binary is an InfraError.
 */
export async function spawnRedisServer(
  redisServerPath: string,
  args: readonly string[],
  dir: string,
  stdioPath: string,
  onExit: (exit: ChildExit) => void,
): Promise<RedisServerChild> {
  const stdio = openSync(stdioPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(redisServerPath, args, { cwd: dir, stdio: ['ignore', stdio, stdio], detached: true });
  } finally {
    closeSync(stdio);
  }
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw redisServerNotFound(redisServerPath);
    throw redisServerNotRunnable(redisServerPath, error.code ?? error.message);
  });
  // Later 'error' events (a failed kill) must not crash the process; kill results are checked.
  child.on('error', () => undefined);
  const pid = child.pid as number;
  registerChildPid(pid, () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      unregisterChildPid(pid);
      const exit = { code, signal };
      onExit(exit);
      resolve(exit);
    });
  });
  child.unref();
  return { child, exited };
}

/** true once `exited` settles, false after timeoutMs (the timer is always cleared). */
export async function waitForExit(exited: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([exited.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessTimings {
  /** How long to wait for the first PONG. */
  readonly startTimeoutMs: number;
  /** Pause between attempts (cut short when the process exits). */
  readonly readyPollMs: number;
  /** Bound on each PING. */
  readonly commandTimeoutMs: number;
}

/** ready, or why not: the exit when the process ended first, undefined when it never answered in time. */
export type Readiness = { readonly ready: true } | { readonly ready: false; readonly exit: ChildExit | undefined };

/** PINGs a just-spawned redis-server (data node or sentinel) until it answers, it exits, or time runs out. */
export async function waitUntilAnswering(
  target: RedisOptions,
  exited: Promise<ChildExit>,
  timings: ReadinessTimings,
): Promise<Readiness> {
  const deadline = Date.now() + timings.startTimeoutMs;
  let exit: ChildExit | undefined;
  void exited.then((e) => (exit = e));
  while (exit === undefined) {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) break;
    try {
      await pingOnce(target, Math.min(timings.commandTimeoutMs, remainingMs));
      return { ready: true };
    } catch {
      await Promise.race([sleep(Math.min(timings.readyPollMs, Math.max(remainingMs, 1))), exited]);
    }
  }
  return { ready: false, exit };
}
