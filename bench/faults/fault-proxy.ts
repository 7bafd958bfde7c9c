/**
 * A TCP proxy between a client and a loopback Redis that injects network faults, switchable while
 * it runs. The toxics follow Toxiproxy's (https://github.com/Shopify/toxiproxy#toxics); "upstream"
 * is client -> Redis (requests), "downstream" is Redis -> client (replies), and a toxic without a
 * direction acts downstream, as in Toxiproxy. setToxics() replaces the whole set at once; open
 * connections apply the new set to every byte not yet forwarded, including bytes already waiting
 * in a latency or bandwidth queue.
 *
 * latency { latencyMs, jitterMs = 0, direction }: every chunk read in that direction waits
 * latencyMs plus a uniform jitter in [-jitterMs, +jitterMs) (never below zero) before it is written
 * on. Jitter comes from a PRNG seeded per proxy, connection and direction, so runs repeat. Byte order
 * is kept: a chunk is due at max(previous chunk's due time, arrival + latency + jitter), so jitter
 * stretches gaps but never reorders. With direction 'both', a request/reply round trip gains 2x latencyMs.
 *
 * bandwidth { kbPerSecond, direction }: a token bucket per connection and direction limits the bytes
 * written to kbPerSecond x 1000 bytes per second (Toxiproxy's KB). Its burst is 20 ms of the rate,
 * so a reply larger than that takes its full share of time; chunks larger than the bucket go out in slices.
 *
 * black-hole: Toxiproxy's timeout toxic with timeout 0. Connections are accepted and read, and every
 * byte in either direction is discarded, including bytes queued when the toxic arrives; nothing is
 * ever closed by the proxy (a FIN is held back too), so a client waits until its own timeout. Clearing
 * the toxic does not bring the discarded bytes back: a command sent into the hole is never answered.
 *
 * reset-peer { afterMs = 0 }: Toxiproxy's reset_peer. The first data seen in either direction after
 * the toxic is active starts a timer of afterMs; that data and any after it is discarded, and when the
 * timer fires the client socket is closed with a TCP RST (SO_LINGER 0), so the client sees ECONNRESET
 * rather than a FIN. With afterMs 0 the reset is immediate, and a new connection is reset on accept.
 *
 * Backpressure: when a destination refuses writes (write() returns false) or a direction holds
 * maxQueuedBytesPerDirection, its source socket is paused until 'drain', so memory stays bounded.
 * The proxy forwards only to loopback addresses, and close() (also run on Ctrl-C through the cleanup
 * registry) closes the server, every socket and every timer.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { InfraError } from '../errors.ts';
import { registerCleanup } from '../core/cleanup-registry.ts';
import { FaultConnection } from './fault-connection.ts';
import {
  resolveFaultProxyOptions,
  type FaultProxyOptions,
  type ResolvedFaultProxyOptions,
} from './fault-proxy-options.ts';
import { NO_TOXICS, resolveToxics, type ResolvedToxics, type Toxic } from './toxic.ts';

export type { FaultProxyOptions } from './fault-proxy-options.ts';
export type { Toxic, ToxicDirection } from './toxic.ts';

export interface FaultProxyStats {
  readonly connectionsOpen: number;
  readonly connectionsTotal: number;
  /** Bytes forwarded client -> Redis. */
  readonly bytesUp: number;
  /** Bytes forwarded Redis -> client. */
  readonly bytesDown: number;
  /** Bytes read and not yet forwarded (latency and bandwidth queues), over all open connections. */
  readonly bytesQueued: number;
  /** Bytes read and discarded by black-hole or reset-peer, or left queued when a socket closed. */
  readonly bytesDropped: number;
  /** Connections closed with an RST (reset-peer or resetAllConnections). */
  readonly resets: number;
}

export class FaultProxy {
  readonly host: string;
  readonly port: number;
  readonly upstreamHost: string;
  readonly upstreamPort: number;

  readonly #options: ResolvedFaultProxyOptions;
  readonly #server: Server;
  readonly #connections = new Set<FaultConnection>();
  readonly #unregisterCleanup: () => void;
  #toxics: readonly Toxic[] = [];
  #resolved: ResolvedToxics = NO_TOXICS;
  #closing: Promise<void> | undefined;
  #connectionsTotal = 0;
  #bytesUp = 0;
  #bytesDown = 0;
  #bytesDropped = 0;
  #resets = 0;

  private constructor(options: ResolvedFaultProxyOptions, server: Server, port: number) {
    this.#options = options;
    this.#server = server;
    this.host = options.listenHost;
    this.port = port;
    this.upstreamHost = options.upstreamHost;
    this.upstreamPort = options.upstreamPort;
    this.setToxics(options.toxics);
    server.on('connection', (socket) => this.#accept(socket));
    this.#unregisterCleanup = registerCleanup(`fault proxy on ${this.host}:${port}`, () => this.close());
  }

  /** Validates everything (loopback upstream, toxics) before it listens; nothing connects until a client does. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const resolved = resolveFaultProxyOptions(options);
    resolveToxics(resolved.toxics);
    // Nagle's algorithm would hold small writes back for the peer's delayed ACK: tens of ms of fake latency.
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: resolved.listenHost, port: resolved.listenPort, exclusive: true }, () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : resolved.listenPort);
      });
    }).catch((error: NodeJS.ErrnoException) => {
      server.close();
      throw new InfraError(
        `fault proxy cannot listen on ${resolved.listenHost}:${resolved.listenPort}: ${error.code ?? error.message}`,
        {
          hint:
            error.code === 'EADDRINUSE'
              ? 'pick another listenPort, or 0 for a free one'
              : 'check listenHost is an address of this machine',
          cause: error,
        },
      );
    });
    // A late server error (EMFILE on accept) must not crash the harness; the clients see refused connects.
    server.on('error', () => undefined);
    return new FaultProxy(resolved, server, port);
  }

  /** redis://host:port of the proxy, for a client that should go through it. */
  get url(): string {
    return `redis://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get toxics(): readonly Toxic[] {
    return this.#toxics;
  }

  /** Replaces the active set atomically: validated first, then applied to every open connection. */
  setToxics(toxics: readonly Toxic[]): void {
    const resolved = resolveToxics(toxics);
    this.#toxics = [...toxics];
    this.#resolved = resolved;
    for (const connection of this.#connections) connection.setToxics(resolved);
  }

  clearToxics(): void {
    this.setToxics([]);
  }

  stats(): FaultProxyStats {
    return {
      connectionsOpen: this.#connections.size,
      connectionsTotal: this.#connectionsTotal,
      bytesUp: this.#bytesUp,
      bytesDown: this.#bytesDown,
      bytesQueued: [...this.#connections].reduce((sum, connection) => sum + connection.queuedBytes, 0),
      bytesDropped: this.#bytesDropped,
      resets: this.#resets,
    };
  }

  /** Closes every open client connection with an RST now; new connections are unaffected. */
  resetAllConnections(): void {
    for (const connection of [...this.#connections]) connection.reset();
  }

  /** Stops listening and destroys every socket and timer. Idempotent; safe to call concurrently. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    this.#unregisterCleanup();
    const serverClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const connections = [...this.#connections];
    for (const connection of connections) connection.destroy();
    await Promise.all([serverClosed, ...connections.map((connection) => connection.socketsClosed)]);
  }

  #accept(client: Socket): void {
    if (this.#closing !== undefined) {
      client.destroy();
      return;
    }
    this.#connectionsTotal += 1;
    if (this.#resolved.resetPeer?.afterMs === 0) {
      // Reset on accept, before any upstream connection: Redis never sees this client.
      this.#resets += 1;
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const connection = new FaultConnection(client, this.#resolved, {
      id: this.#connectionsTotal,
      upstreamHost: this.#options.upstreamHost,
      upstreamPort: this.#options.upstreamPort,
      seed: this.#options.seed,
      maxQueuedBytesPerDirection: this.#options.maxQueuedBytesPerDirection,
      up: { forwarded: (bytes) => (this.#bytesUp += bytes), dropped: (bytes) => (this.#bytesDropped += bytes) },
      down: { forwarded: (bytes) => (this.#bytesDown += bytes), dropped: (bytes) => (this.#bytesDropped += bytes) },
      onReset: () => (this.#resets += 1),
      onClosed: (closed) => this.#connections.delete(closed),
    });
    this.#connections.add(connection);
  }
}
