import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The last resort for child processes when the harness dies without running any handler: a fatal
 * V8 error (heap out of memory), SIGKILL, a native crash. A small watchdog process, detached in its
 * own process group, holds the read end of a pipe from the harness and the list of live child pids.
 * When the harness dies, however it dies, the kernel closes the pipe; the watchdog then SIGKILLs
 * every pid still listed (and its process group: redis-server runs in its own) and exits.
 * On a normal exit the list is empty by then and the watchdog just exits.
 */
const WATCHDOG_SOURCE = `
const pids = new Set();
let pending = '';
let reaped = false;
const reap = () => {
  if (reaped) return;
  reaped = true;
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try { process.kill(target, 'SIGCONT'); } catch {}
      try { process.kill(target, 'SIGKILL'); } catch {}
    }
  }
  process.exit(0);
};
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line[0] === '+') pids.add(pid); else pids.delete(pid);
  }
});
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
process.on('SIGINT', () => {});
process.on('SIGTERM', reap);
`;

let watchdog: ChildProcess | null = null;
let broken = false;

function ensureWatchdog(): ChildProcess | null {
  if (watchdog !== null || broken) return watchdog;
  try {
    const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.on('error', () => {
      broken = true;
      watchdog = null;
    });
    child.stdin?.on('error', () => {
      broken = true;
      watchdog = null;
    });
    // Neither the watchdog nor its pipe may keep the harness alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    watchdog = child;
  } catch {
    // Without a watchdog, the in-process handlers (exit hook, signal handlers) still apply.
    broken = true;
  }
  return watchdog;
}

/** Tells the watchdog about a child to kill if the harness dies without cleaning up. */
export function watchChildPid(pid: number): void {
  ensureWatchdog()?.stdin?.write(`+${pid}\n`);
}

/** The child ended or was stopped by the harness itself: never signal that pid again. */
export function unwatchChildPid(pid: number): void {
  if (watchdog !== null && !broken) watchdog.stdin?.write(`-${pid}\n`);
}

/** The watchdog's pid (tests), or null when none was started. */
export function watchdogPid(): number | null {
  return watchdog?.pid ?? null;
}
