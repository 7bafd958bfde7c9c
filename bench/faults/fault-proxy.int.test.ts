import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { ManagedRedis } from '../targets/managed-redis.ts';
import { isLoopbackAddress } from './fault-proxy-options.ts';
import { FaultProxy, type Toxic } from './fault-proxy.ts';

let redis: ManagedRedis;
const proxies: FaultProxy[] = [];
const clients: Redis[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  redis = await ManagedRedis.start();
});
afterEach(async () => {
  await Promise.all([...clients.splice(0).map(closeClient), ...sockets.splice(0).map(closeSocket)]);
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return Promise.resolve();
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  client.disconnect();
  return ended;
}

function closeSocket(socket: Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.destroy();
  return closed;
}
afterAll(async () => {
  await redis?.stop();
});

async function startProxy(
  toxics: readonly Toxic[] = [],
  extra: { maxQueuedBytesPerDirection?: number } = {},
): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ upstreamHost: redis.host, upstreamPort: redis.port, toxics, ...extra });
  proxies.push(proxy);
  return proxy;
}

/** Bounded, never retries: a fault must show up as an error, not as a hidden reconnect. */
async function clientThrough(proxy: FaultProxy, commandTimeoutMs = 10_000, errors: Error[] = []): Promise<Redis> {
  const client = new Redis({
    host: proxy.host,
    port: proxy.port,
    lazyConnect: true,
    connectTimeout: 5_000,
    commandTimeout: commandTimeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', (error: Error) => errors.push(error));
  clients.push(client);
  await client.connect();
  return client;
}

interface RawSocket {
  readonly socket: Socket;
  readonly received: Buffer[];
  readonly events: string[];
  readonly error: Promise<NodeJS.ErrnoException>;
}

/** A plain TCP client, to see exactly what reaches the wire (data, FIN, RST). */
function rawSocketNow(port: number): RawSocket {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  const received: Buffer[] = [];
  const events: string[] = [];
  const error = new Promise<NodeJS.ErrnoException>((resolveError) => socket.on('error', resolveError));
  socket.on('data', (data: Buffer) => received.push(data));
  socket.on('end', () => events.push('end'));
  socket.on('close', () => events.push('close'));
  return { socket, received, events, error };
}

function rawSocket(port: number): Promise<RawSocket> {
  const raw = rawSocketNow(port);
  return new Promise((resolve, reject) => {
    raw.socket.once('connect', () => resolve(raw));
    raw.socket.once('error', reject);
  });
}

async function timeMs<T>(operation: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await operation();
  return performance.now() - start;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function pingTimes(client: Redis, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await timeMs(() => client.ping()));
  return times;
}

/** The entries of `after` that `before` does not account for (multiset difference). */
function leftOver(before: readonly string[], after: readonly string[]): string[] {
  const remaining = [...before];
  return after.filter((resource) => {
    const index = remaining.indexOf(resource);
    if (index === -1) return true;
    remaining.splice(index, 1);
    return false;
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('FaultProxy pass-through', () => {
  it('forwards SET and GET unchanged and counts the bytes each way', async () => {
    const proxy = await startProxy();
    expect(proxy.url).toBe(`redis://127.0.0.1:${proxy.port}`);
    const client = await clientThrough(proxy);
    const value = 'v'.repeat(10_000);
    await client.set('pass:key', value);
    expect(await client.get('pass:key')).toBe(value);
    const stats = proxy.stats();
    expect(stats.connectionsOpen).toBe(1);
    expect(stats.connectionsTotal).toBe(1);
    expect(stats.bytesUp).toBeGreaterThan(10_000);
    expect(stats.bytesDown).toBeGreaterThan(10_000);
    expect(stats.bytesDropped).toBe(0);
  });
});

describe('FaultProxy latency', () => {
  it('adds latency each way, and switching it off while running restores fast PINGs', async () => {
    const proxy = await startProxy();
    const client = await clientThrough(proxy);
    proxy.setToxics([{ kind: 'latency', latencyMs: 20, direction: 'both' }]);
    const during = await pingTimes(client, 20);
    // Each PING waits 20 ms on the way in and 20 ms on the way out.
    expect(Math.min(...during)).toBeGreaterThanOrEqual(39.5);
    proxy.clearToxics();
    const after = await pingTimes(client, 20);
    expect(median(after)).toBeLessThan(median(during));
  });

  it('defaults to the downstream direction, as Toxiproxy does', async () => {
    const proxy = await startProxy([{ kind: 'latency', latencyMs: 30 }]);
    const client = await clientThrough(proxy);
    expect(Math.min(...(await pingTimes(client, 3)))).toBeGreaterThanOrEqual(29.5);
  });

  it('applies a new toxic set to data already waiting in the queue', async () => {
    const proxy = await startProxy();
    const client = await clientThrough(proxy, 50_000);
    proxy.setToxics([{ kind: 'latency', latencyMs: 60_000 }]);
    const pong = client.ping();
    await sleep(100);
    expect(proxy.stats().bytesQueued).toBeGreaterThan(0);
    proxy.clearToxics();
    // Without the re-timing the reply would wait a minute and the command would time out.
    expect(await pong).toBe('PONG');
  });

  it('keeps byte order under jitter: 500 INCRs sent in many small writes come back 1..500', async () => {
    const proxy = await startProxy([{ kind: 'latency', latencyMs: 1, jitterMs: 5, direction: 'both' }]);
    const client = await clientThrough(proxy);
    await client.del('jitter:counter');
    const replies: Promise<number>[] = [];
    for (let batch = 0; batch < 50; batch++) {
      for (let i = 0; i < 10; i++) replies.push(client.incr('jitter:counter'));
      // Separate writes a little apart, so chunks with different jitter could overtake each other.
      await sleep(1);
    }
    const values = await Promise.all(replies);
    expect(values).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });
});

describe('FaultProxy bandwidth and backpressure', () => {
  it('a 200 KB GET at 100 KB/s takes at least ~1.5 s and arrives intact', async () => {
    const proxy = await startProxy();
    const client = await clientThrough(proxy);
    const value = Buffer.alloc(200_000, 'b');
    await client.set('bw:key', value);
    proxy.setToxics([{ kind: 'bandwidth', kbPerSecond: 100 }]);
    const start = performance.now();
    const reply = await client.getBuffer('bw:key');
    // 200 KB at 100 KB/s is 2 s, less the bucket's 20 ms burst.
    expect(performance.now() - start).toBeGreaterThanOrEqual(1_500);
    // Buffer.equals: a deep toEqual over 200 KB costs seconds.
    expect(reply?.equals(value)).toBe(true);
  });

  it('holds at most about maxQueuedBytesPerDirection per direction while the destination is slow', async () => {
    const maxQueued = 64 * 1024;
    const proxy = await startProxy([], { maxQueuedBytesPerDirection: maxQueued });
    const client = await clientThrough(proxy);
    const value = Buffer.alloc(1_000_000, 'q');
    await client.set('bp:key', value);
    proxy.setToxics([{ kind: 'bandwidth', kbPerSecond: 1_000 }]);
    let maxSeen = 0;
    const sampler = setInterval(() => (maxSeen = Math.max(maxSeen, proxy.stats().bytesQueued)), 10);
    try {
      expect((await client.getBuffer('bp:key'))?.equals(value)).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    expect(maxSeen).toBeGreaterThan(0);
    // The source is paused at the bound; one socket read (at most 64 KiB) may land on top of it.
    expect(maxSeen).toBeLessThanOrEqual(maxQueued + 64 * 1024);
  });
});

describe('FaultProxy black hole', () => {
  it('times a command out, keeps the socket open, and never answers a command sent into it', async () => {
    const proxy = await startProxy();
    const client = await clientThrough(proxy, 300);
    proxy.setToxics([{ kind: 'black-hole' }]);
    const error = await rejection(client.get('hole:key'));
    expect(error.message).toMatch(/timed out/i);
    expect(client.status).toBe('ready');

    const raw = await rawSocket(proxy.port);
    raw.socket.write('PING\r\n');
    await sleep(300);
    expect(proxy.stats().connectionsOpen).toBe(2);
    expect(proxy.stats().bytesDropped).toBeGreaterThan(0);
    proxy.clearToxics();
    await sleep(300);
    expect(raw.received).toEqual([]);
    expect(raw.events).toEqual([]);

    const fresh = await clientThrough(proxy);
    expect(await fresh.ping()).toBe('PONG');
  });
});

describe('FaultProxy reset-peer', () => {
  it('an open client sees ECONNRESET on its next command', async () => {
    const proxy = await startProxy();
    const errors: Error[] = [];
    const client = await clientThrough(proxy, 10_000, errors);
    proxy.setToxics([{ kind: 'reset-peer' }]);
    const error = await rejection(client.ping());
    expect(error.message).toMatch(/ECONNRESET|Connection is closed/);
    expect(errors.some((e) => (e as NodeJS.ErrnoException).code === 'ECONNRESET')).toBe(true);
    expect(proxy.stats().resets).toBe(1);
  });

  it('resets a new connection on accept with RST, not FIN', async () => {
    const proxy = await startProxy([{ kind: 'reset-peer' }]);
    // The RST may land before or after the client's 'connect': the kernel finished the handshake before accept.
    const raw = rawSocketNow(proxy.port);
    raw.socket.write('PING\r\n');
    expect((await raw.error).code).toBe('ECONNRESET');
    expect(raw.received).toEqual([]);
    expect(proxy.stats()).toMatchObject({ connectionsOpen: 0, connectionsTotal: 1, resets: 1 });
  });

  it('with afterMs waits that long after the first data, forwarding none of it', async () => {
    const proxy = await startProxy();
    const raw = await rawSocket(proxy.port);
    proxy.setToxics([{ kind: 'reset-peer', afterMs: 200 }]);
    const start = performance.now();
    raw.socket.write('PING\r\n');
    expect((await raw.error).code).toBe('ECONNRESET');
    expect(performance.now() - start).toBeGreaterThanOrEqual(195);
    expect(raw.received).toEqual([]);
  });

  it('resetAllConnections sends an RST to every open client', async () => {
    const proxy = await startProxy();
    const first = await rawSocket(proxy.port);
    const second = await rawSocket(proxy.port);
    await sleep(50);
    proxy.resetAllConnections();
    expect((await first.error).code).toBe('ECONNRESET');
    expect((await second.error).code).toBe('ECONNRESET');
    expect(proxy.stats().connectionsOpen).toBe(0);
    const fresh = await clientThrough(proxy);
    expect(await fresh.ping()).toBe('PONG');
  });
});

describe('FaultProxy configuration', () => {
  it('refuses a non-loopback upstream with a ConfigError naming the address', async () => {
    for (const upstreamHost of ['10.0.0.1', '::2', 'redis.example.com', '0.0.0.0']) {
      const error = await rejection(FaultProxy.start({ upstreamHost, upstreamPort: 6379 }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(upstreamHost);
      expect(error.message).toMatch(/not a loopback address/);
    }
  });

  it('knows the loopback forms', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(host), host).toBe(true);
    }
    for (const host of ['128.0.0.1', '::', '192.168.1.1', 'localhost', '', '127.0.0']) {
      expect(isLoopbackAddress(host), host).toBe(false);
    }
  });

  it('lists every problem of an invalid toxic set and keeps the active set', async () => {
    const proxy = await startProxy([{ kind: 'latency', latencyMs: 1 }]);
    const invalid = [
      { kind: 'latency', latencyMs: -1, jitterMs: Number.NaN, direction: 'sideways' },
      { kind: 'bandwidth', kbPerSecond: 0 },
      { kind: 'teleport' },
      { kind: 'black-hole' },
      { kind: 'reset-peer', afterMs: -5 },
    ] as unknown as Toxic[];
    const error = await rejection(Promise.resolve().then(() => proxy.setToxics(invalid)));
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const fragment of [
      'toxics[0].latencyMs',
      'toxics[0].jitterMs',
      'toxics[0].direction',
      'toxics[1].kbPerSecond',
      'toxics[2].kind',
      'toxics[4].afterMs',
      'black-hole and reset-peer',
    ]) {
      expect(
        problems.some((problem) => problem.includes(fragment)),
        fragment,
      ).toBe(true);
    }
    expect(proxy.toxics).toEqual([{ kind: 'latency', latencyMs: 1 }]);
    const duplicate = await rejection(
      FaultProxy.start({
        upstreamHost: '127.0.0.1',
        upstreamPort: redis.port,
        toxics: [
          { kind: 'latency', latencyMs: 1, direction: 'both' },
          { kind: 'latency', latencyMs: 2 },
        ],
      }),
    );
    expect((duplicate as ConfigError).problems).toEqual([expect.stringContaining('a second latency/downstream toxic')]);
  });
});

describe('FaultProxy close', () => {
  it('closes every socket and timer, refuses new connections, and is idempotent', async () => {
    const resources = () => process.getActiveResourcesInfo();
    const before = resources();
    const proxy = await startProxy([{ kind: 'latency', latencyMs: 10_000, direction: 'both' }]);
    const raw = await rawSocket(proxy.port);
    const rawClosed = new Promise((resolve) => raw.socket.once('close', resolve));
    raw.socket.write('PING\r\n');
    await sleep(50);
    expect(proxy.stats().connectionsOpen).toBe(1);
    expect(proxy.stats().bytesQueued).toBeGreaterThan(0);

    await Promise.all([proxy.close(), proxy.close()]);
    await proxy.close();
    expect(proxy.stats().connectionsOpen).toBe(0);
    expect(proxy.stats().bytesQueued).toBe(0);
    // The proxy closed the client's connection: it ends without the client doing anything.
    await rawClosed;
    // The server handle is released in the loop's close phase, just after its 'close' event.
    await new Promise((resolve) => setImmediate(resolve));
    // Handles other code was still closing when the test began may be gone by now; none may be added.
    expect(leftOver(before, resources())).toEqual([]);

    const refused = await rejection(rawSocket(proxy.port));
    expect((refused as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});
