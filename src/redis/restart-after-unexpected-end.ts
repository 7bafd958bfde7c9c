import type { Redis } from 'ioredis';

/**
 * Starts a client again when it ends without its owner closing it.
 *
 * Why: ioredis 6.0.0's sentinel failover detector can end a client for good. When the master is
 * killed, the client starts reconnecting through the sentinels; if the `+switch-master` of that
 * very failover arrives during the reconnect, the detector disconnects the connector in the middle
 * of it, the connect fails with "Connection is closed." and the client's status becomes `end`,
 * with no retry (seen in a CI run of bench/targets/managed-sentinel.int.test.ts). The owner's own
 * close (disconnect() or quit()) is told apart by wrapping those two methods of this instance.
 * Returns a function that stops watching.
 */
export function restartAfterUnexpectedEnd(client: Redis, delayMs: number, onRestart?: () => void): () => void {
  let closedByOwner = false;
  let timer: NodeJS.Timeout | undefined;
  const disconnect = client.disconnect.bind(client);
  client.disconnect = (reconnect = false): void => {
    if (!reconnect) closedByOwner = true;
    disconnect(reconnect);
  };
  const quit = client.quit.bind(client);
  client.quit = ((...args: Parameters<Redis['quit']>) => {
    closedByOwner = true;
    return quit(...args);
  }) as Redis['quit'];
  const onEnd = (): void => {
    if (closedByOwner || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (closedByOwner || client.status !== 'end') return;
      onRestart?.();
      // A failed start ends the client again, and this listener tries again after delayMs.
      client.connect().catch(() => undefined);
    }, delayMs);
    timer.unref();
  };
  client.on('end', onEnd);
  return () => {
    client.off('end', onEnd);
    if (timer !== undefined) clearTimeout(timer);
  };
}
