/**
 * The document's `redis-cli MONITOR`, attached for one segment: a real redis-cli process reading
 * the feed (its bytes counted here), so the reading costs what it costs an operator, outside the
 * harness's event loop. It is killed on every path and registered with the cleanup registry.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import { registerChildPid, unregisterChildPid } from '../../bench/core/cleanup-registry.ts';
import { InfraError } from '../../bench/errors.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';

const ATTACH_TIMEOUT_MS = 5_000;

/** MONITOR clients in CLIENT LIST (the flag O). */
export async function monitorClients(admin: Redis): Promise<number> {
  const list = (await admin.call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => /\bflags=\S*O/.test(line)).length;
}

export class MonitorFeed {
  /** Bytes of the feed redis-cli wrote (about one line per command). */
  bytes = 0;

  private constructor(private readonly child: ChildProcess) {}

  /** Starts `redis-cli MONITOR` against the URL's server and waits until Redis lists it as a MONITOR client. */
  static async attach(url: string, admin: Redis, signal: AbortSignal): Promise<MonitorFeed> {
    const target = new URL(url);
    const args = ['-h', target.hostname.replace(/^\[(.*)\]$/, '$1'), '-p', target.port || '6379'];
    if (target.username !== '') args.push('--user', decodeURIComponent(target.username));
    args.push('MONITOR');
    const env = { ...process.env };
    // The password goes by environment, never on a command line that ps shows.
    if (target.password !== '') env.REDISCLI_AUTH = decodeURIComponent(target.password);
    const before = await monitorClients(admin);
    const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'ignore'], env });
    const feed = new MonitorFeed(child);
    // A redis-cli that cannot start (not on PATH) reports it here; the attach loop below then fails.
    child.on('error', () => {});
    const pid = child.pid;
    if (pid !== undefined) registerChildPid(pid, () => child.kill('SIGKILL'));
    child.stdout?.on('data', (chunk: Buffer) => {
      feed.bytes += chunk.length;
    });
    try {
      const deadline = Date.now() + ATTACH_TIMEOUT_MS;
      while ((await monitorClients(admin)) <= before) {
        if (child.pid === undefined || child.exitCode !== null || signal.aborted || Date.now() > deadline)
          throw new InfraError('redis-cli MONITOR did not attach', {
            hint: 'check that redis-cli is on PATH and reaches the target',
          });
        await sleepMs(5, signal);
      }
    } catch (error) {
      await feed.detach();
      throw error;
    }
    return feed;
  }

  /** Kills redis-cli and waits for it to exit. */
  async detach(): Promise<void> {
    const { child } = this;
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    if (child.pid !== undefined) unregisterChildPid(child.pid);
  }
}
