import { ExitCode } from '../errors.ts';
import { unwatchChildPid, watchChildPid } from './orphan-reaper.ts';
/**
 * Process-wide cleanups, so that no path out of the harness (normal end, thrown error, SIGINT,
 * SIGTERM, process.exit) leaves a redis-server or a temp dir behind.
 *
 * Three layers, from polite to brutal:
 * - registered async cleanups, run in reverse order by runCleanups() (each one bounded);
 * - the signal handlers: first signal -> onSignal, cleanups, exit 128+n; second signal -> last resort;
 * - a synchronous 'exit' hook that SIGKILLs every managed child still registered;
 * - when the process dies with no handler at all (heap out of memory, SIGKILL), a watchdog process
 *   that notices the closed pipe and SIGKILLs the children still registered (orphan-reaper.ts).
 */

export type CleanupFn = () => Promise<void> | void;

export interface CleanupFailure {
  readonly name: string;
  readonly error: unknown;
}

export interface RunCleanupsOptions {
  /** Bound on each cleanup, so that one hung cleanup cannot block the rest. */
  readonly cleanupTimeoutMs?: number;
}

export const CLEANUP_DEFAULTS = {
  cleanupTimeoutMs: 10_000,
} as const;

interface CleanupEntry {
  readonly name: string;
  readonly fn: CleanupFn;
}

export interface CleanupRegistry {
  register(name: string, fn: CleanupFn): () => void;
  /** Runs every registered cleanup once, newest first; never throws, returns the failures. */
  run(options?: RunCleanupsOptions): Promise<readonly CleanupFailure[]>;
  readonly size: number;
}

export function createCleanupRegistry(): CleanupRegistry {
  const entries: CleanupEntry[] = [];
  return {
    register(name, fn) {
      const entry: CleanupEntry = { name, fn };
      entries.push(entry);
      return () => {
        const index = entries.indexOf(entry);
        if (index !== -1) entries.splice(index, 1);
      };
    },
    async run(options = {}) {
      const timeoutMs = options.cleanupTimeoutMs ?? CLEANUP_DEFAULTS.cleanupTimeoutMs;
      // Taken out before running so that a cleanup that registers or unregisters cannot loop.
      const batch = entries.splice(0, entries.length).reverse();
      const failures: CleanupFailure[] = [];
      for (const entry of batch) {
        try {
          await runBounded(entry, timeoutMs);
        } catch (error) {
          failures.push({ name: entry.name, error });
        }
      }
      return failures;
    },
    get size() {
      return entries.length;
    },
  };
}

async function runBounded(entry: CleanupEntry, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cleanup "${entry.name}" did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([Promise.resolve().then(entry.fn), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const processRegistry = createCleanupRegistry();

export function registerCleanup(name: string, fn: CleanupFn): () => void {
  return processRegistry.register(name, fn);
}

export function runCleanups(options?: RunCleanupsOptions): Promise<readonly CleanupFailure[]> {
  return processRegistry.run(options);
}

// ---- live child processes: the synchronous last resort ----

/** Must be synchronous: it runs inside process.on('exit'), where no promise ever settles. */
export type KillSync = () => void;

const liveChildren = new Map<number, KillSync>();
let exitHookInstalled = false;

/**
 * Registers a child we spawned; `killSync` must signal it through its own ChildProcess handle
 * (child.kill), never through a bare pid, so that a recycled pid is never hit.
 */
export function registerChildPid(pid: number, killSync: KillSync): void {
  liveChildren.set(pid, killSync);
  // When the harness dies without running any handler (heap out of memory, SIGKILL).
  watchChildPid(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killAllChildrenSync);
  }
}

export function unregisterChildPid(pid: number): void {
  liveChildren.delete(pid);
  unwatchChildPid(pid);
}

export function liveChildPids(): readonly number[] {
  return [...liveChildren.keys()];
}

/** SIGKILLs every registered child now; safe in an 'exit' handler or a second-signal handler. */
export function killAllChildrenSync(): void {
  for (const [pid, killSync] of liveChildren) {
    try {
      killSync();
    } catch {
      // The child may be gone already; the others must still be killed.
    }
    liveChildren.delete(pid);
    unwatchChildPid(pid);
  }
}

// ---- signal handlers ----

export interface SignalHandlerOptions {
  /**
   * Called on the first signal (abort the run, write partial results). A returned promise is awaited,
   * bounded by shutdownGraceMs, before the cleanups run, so partial results are written first.
   */
  readonly onSignal?: (signal: NodeJS.Signals) => void | Promise<void>;
  readonly shutdownGraceMs?: number;
  readonly cleanupTimeoutMs?: number;
}

export const SIGNAL_HANDLER_DEFAULTS = {
  shutdownGraceMs: 10_000,
} as const;

/** 128 + signal number, the shell convention. */
const SIGNAL_EXIT_CODES = {
  SIGINT: ExitCode.interrupted,
  SIGTERM: ExitCode.terminated,
  SIGHUP: ExitCode.hangup,
} as const;
type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;
const HANDLED_SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as HandledSignal[];

let installed: { readonly listener: (signal: NodeJS.Signals) => void } | undefined;

type InterruptHandler = (signal: NodeJS.Signals) => void | Promise<void>;
const interruptHandlers = new Set<InterruptHandler>();

/**
 * Work in progress that wants to stop cleanly on Ctrl-C (abort its loop, write partial results)
 * registers here; the CLI installs the signal handlers once with `runInterruptHandlers` as onSignal.
 */
export function onInterrupt(handler: InterruptHandler): () => void {
  interruptHandlers.add(handler);
  return () => {
    interruptHandlers.delete(handler);
  };
}

export async function runInterruptHandlers(signal: NodeJS.Signals): Promise<void> {
  await Promise.all(
    [...interruptHandlers].map((handler) =>
      Promise.resolve()
        .then(() => handler(signal))
        .catch(() => undefined),
    ),
  );
}

export function installSignalHandlers(options: SignalHandlerOptions = {}): void {
  if (installed !== undefined) return;
  let firstSignal: NodeJS.Signals | undefined;
  const listener = (signal: NodeJS.Signals): void => {
    const exitCode = SIGNAL_EXIT_CODES[signal as HandledSignal] ?? 1;
    if (firstSignal !== undefined) {
      killAllChildrenSync();
      process.exit(exitCode);
    }
    firstSignal = signal;
    void shutDown(signal, options).finally(() => process.exit(exitCode));
  };
  installed = { listener };
  for (const signal of HANDLED_SIGNALS) process.on(signal, listener);
}

export function uninstallSignalHandlers(): void {
  if (installed === undefined) return;
  for (const signal of HANDLED_SIGNALS) process.off(signal, installed.listener);
  installed = undefined;
}

async function shutDown(signal: NodeJS.Signals, options: SignalHandlerOptions): Promise<void> {
  const graceMs = options.shutdownGraceMs ?? SIGNAL_HANDLER_DEFAULTS.shutdownGraceMs;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => options.onSignal?.(signal)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
  } catch {
    // The caller's shutdown failing must not stop ours.
  } finally {
    clearTimeout(timer);
  }
  const failures = await runCleanups({ cleanupTimeoutMs: options.cleanupTimeoutMs });
  for (const failure of failures) {
    const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
    process.stderr.write(`cleanup "${failure.name}" failed: ${reason}\n`);
  }
  killAllChildrenSync();
}
