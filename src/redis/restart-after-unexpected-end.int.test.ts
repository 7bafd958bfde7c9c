import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRedis } from '../test-support/start-redis.ts';
import type { TestRedis } from '../test-support/start-redis.ts';
import { restartAfterUnexpectedEnd } from './restart-after-unexpected-end.ts';

/*
 * The failover-detector race itself needs a sentinel failover at the wrong millisecond; here a
 * client ends the same way, without its owner closing it: a retry strategy that gives up.
 */
let servers: TestRedis[] = [];
let clients: Redis[] = [];
afterEach(async () => {
  for (const client of clients) client.disconnect();
  for (const server of servers) await server.stop();
  servers = [];
  clients = [];
});

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

function giveUpClient(port: number): Redis {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

describe('restartAfterUnexpectedEnd', () => {
  it('starts a client that ended on its own again, and it serves commands once the server is back', async () => {
    const first = await startTestRedis();
    servers.push(first);
    const client = giveUpClient(first.port);
    let restarts = 0;
    restartAfterUnexpectedEnd(client, 100, () => (restarts += 1));
    await client.connect();
    await client.set('k', 'v');
    await first.kill();
    expect(await until(() => restarts > 0, 3_000)).toBe(true);
    // Without the server every restart ends again, and is tried again.
    expect(await until(() => restarts > 2, 3_000)).toBe(true);
    const again = await startTestRedis({ port: first.port });
    servers.push(again);
    expect(await until(() => client.status === 'ready', 5_000)).toBe(true);
    expect(await client.ping()).toBe('PONG');
  });

  it('leaves a client its owner closed (disconnect or quit) ended', async () => {
    const server = await startTestRedis();
    servers.push(server);
    for (const close of [(c: Redis) => c.disconnect(), (c: Redis) => void c.quit()]) {
      const client = giveUpClient(server.port);
      let restarts = 0;
      restartAfterUnexpectedEnd(client, 50, () => (restarts += 1));
      await client.connect();
      close(client);
      expect(await until(() => client.status === 'end', 2_000)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(restarts).toBe(0);
      expect(client.status).toBe('end');
    }
  });
});
