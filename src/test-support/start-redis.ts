import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway redis-server for integration tests only: loopback, no persistence, its own temp dir.
 * Never the machine's shared Redis. Always `stop()` it in afterAll / finally.
 */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** SIGSTOP: the server keeps its sockets but answers nothing (a hung server). */
  pause(): void;
  resume(): void;
  /** SIGKILL and wait for the exit: connections drop, the port refuses. */
  kill(): Promise<void>;
  /** Stops the server (resuming it first if paused) and removes its temp dir; safe to call twice. */
  stop(): Promise<void>;
}

/** Same resolution as the harness: RPB_REDIS_SERVER, else redis-server on the PATH. */
const REDIS_SERVER = process.env.RPB_REDIS_SERVER ?? 'redis-server';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export interface TestRedisOptions {
  /** Extra redis-server arguments, e.g. ['--requirepass', 'secret']. */
  readonly args?: readonly string[];
  /** Serve TLS only (the plain port is closed) with this PEM certificate and key. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Listen on this port, e.g. to bring back a killed server where its clients reconnect; default: a free port. */
  readonly port?: number;
}

export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  let lastError: unknown;
  // The free port can be taken between probing and binding; a few tries absorb that race.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options.port ?? (await freePort()), options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(port: number, options: TestRedisOptions): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'rpb-test-redis-'));
  const listen =
    options.tls === undefined
      ? ['--port', String(port)]
      : [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          options.tls.certFile,
          '--tls-key-file',
          options.tls.keyFile,
          '--tls-auth-clients',
          'no',
        ];
  const args = [
    ...listen,
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    ...(options.args ?? []),
  ];
  const child = spawn(REDIS_SERVER, args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the test process dies without afterAll, the server must not outlive it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForReady(child, port);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    await cleanup();
    throw error;
  }
  const stopProcess = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  let stopped = false;
  return {
    port,
    url: `${options.tls === undefined ? 'redis' : 'rediss'}://127.0.0.1:${port}`,
    pid: child.pid!,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    kill: () => stopProcess('SIGKILL'),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopProcess('SIGTERM');
      await cleanup();
    },
  };
}

function waitForReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output = '';
    const done = (error?: Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining the pipes so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) done();
    };
    const onExit = (code: number | null): void =>
      done(new Error(`redis-server on port ${port} exited (${code}) before ready: ${output.slice(-500)}`));
    const timer = setTimeout(
      () => done(new Error(`redis-server on port ${port} not ready within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
