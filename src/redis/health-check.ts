import type { Redis } from 'ioredis';

export type RedisHealth =
  { readonly healthy: true; readonly latencyNs: number } | { readonly healthy: false; readonly error: string };

/**
 * PING with a deadline of its own that holds whatever the server does (paused, unreachable, still
 * connecting): the answer comes within `timeoutMs`, and the timer is cleared on every path.
 * A client still connecting (or lazy and not yet connected) is given the same deadline to become
 * ready, so a check made right after startup reports the real state rather than "not ready yet".
 */
export async function checkRedisHealth(client: Redis, timeoutMs: number): Promise<RedisHealth> {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new RangeError(`timeoutMs must be a positive number (got ${timeoutMs})`);
  if (client.status === 'end') return { healthy: false, error: 'connection closed (client ended)' };
  const startNs = process.hrtime.bigint();
  let timer: NodeJS.Timeout | undefined;
  let stopWaitingForReady: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no PONG within ${timeoutMs} ms`)), timeoutMs);
  });
  const ping = (async () => {
    if (client.status !== 'ready') {
      if (client.status === 'wait') client.connect().catch(() => {}); // failure shows as the deadline or an 'error'
      await new Promise<void>((resolve, reject) => {
        const onReady = (): void => {
          stopWaitingForReady?.();
          resolve();
        };
        const onEnd = (): void => {
          stopWaitingForReady?.();
          reject(new Error('connection closed (client ended)'));
        };
        stopWaitingForReady = () => {
          client.off('ready', onReady);
          client.off('end', onEnd);
        };
        client.once('ready', onReady);
        client.once('end', onEnd);
      });
    }
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply: ${String(reply)}`);
  })();
  // The losing side of the race must not become an unhandled rejection.
  ping.catch(() => {});
  try {
    await Promise.race([ping, deadline]);
    return { healthy: true, latencyNs: Number(process.hrtime.bigint() - startNs) };
  } catch (error) {
    return { healthy: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    stopWaitingForReady?.();
  }
}
