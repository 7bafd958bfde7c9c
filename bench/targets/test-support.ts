import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';

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
