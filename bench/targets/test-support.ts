import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { ChildExit } from './redis-server-process.ts';

/** A short-lived client for tests: no retries, bounded, always closed by the caller. */
export function testClient(port: number, password?: string): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    password,
    lazyConnect: true,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => undefined);
  return client;
}

export async function withTestClient<T>(
  port: number,
  fn: (client: Redis) => Promise<T>,
  password?: string,
): Promise<T> {
  const client = testClient(port, password);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

/** 'running', 'zombie' (dead, not yet reaped by its new parent) or 'gone' (ESRCH). */
export function processStatus(pid: number): 'running' | 'zombie' | 'gone' {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /\) Z /.test(stat) ? 'zombie' : 'running';
  } catch {
    return 'gone';
  }
}

/** Polls (bounded) until the process is no longer running; returns its last status. */
export async function waitUntilNotRunning(pid: number, timeoutMs: number): Promise<'running' | 'zombie' | 'gone'> {
  const deadline = Date.now() + timeoutMs;
  let status = processStatus(pid);
  while (status === 'running' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    status = processStatus(pid);
  }
  return status;
}

export interface FixtureRun<Started> {
  readonly child: ChildProcess;
  /** The first JSON line the fixture prints once what it started is up. */
  readonly started: Promise<Started>;
  readonly exited: Promise<ChildExit>;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs one of ./fixtures as a real node process through tsx, as the CLI would run. */
export function runFixture<Started>(name: string, ...args: string[]): FixtureRun<Started> {
  const file = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const started = new Promise<Started>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line) as Started);
    });
    void exited.then(() => reject(new Error(`fixture ${name} exited before starting; stderr:\n${err}`)));
  });
  return { child, started, exited, stdout: () => out, stderr: () => err };
}
