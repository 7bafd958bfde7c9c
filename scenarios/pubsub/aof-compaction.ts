import type { Redis } from 'ioredis';
import { sleepMs } from '../../bench/load/precise-wait.ts';

const AOF_REWRITE_TIMEOUT_MS = 5_000;

/**
 * When the AOF is on, rewrites it (BGREWRITEAOF) and waits for the rewrite to finish: the file then
 * holds only what the database holds now. Called before Redis is killed, so that a restart loads the
 * current trial's data and not every earlier trial's appends: restarts take the same time in every
 * trial, and stay short enough not to answer LOADING (which makes every client wait a second before it
 * tries again).
 */
export async function compactAof(client: Redis, signal: AbortSignal): Promise<void> {
  const persistence = (): Promise<string> => client.info('persistence').catch(() => '');
  if (!/aof_enabled:1/.test(await persistence())) return;
  await client.bgrewriteaof().catch(() => undefined);
  const deadline = Date.now() + AOF_REWRITE_TIMEOUT_MS;
  while (Date.now() < deadline && !signal.aborted) {
    if (!/aof_rewrite_in_progress:1|aof_rewrite_scheduled:1/.test(await persistence())) return;
    await sleepMs(5, signal);
  }
}
