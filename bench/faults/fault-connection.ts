import { connect, type Socket } from 'node:net';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { FaultPipe, type PipeCounters } from './fault-pipe.ts';
import type { ResolvedToxics } from './toxic.ts';

export interface FaultConnectionSettings {
  readonly id: number;
  readonly upstreamHost: string;
  readonly upstreamPort: number;
  readonly seed: number;
  readonly maxQueuedBytesPerDirection: number;
  readonly up: PipeCounters;
  readonly down: PipeCounters;
  readonly onReset: () => void;
  /** Called once, when the client socket has closed and the upstream one was destroyed. */
  readonly onClosed: (connection: FaultConnection) => void;
}

/**
 * One client connection and its upstream twin, with a pipe per direction. reset-peer is handled
 * here rather than in a pipe because it ends the whole connection.
 */
export class FaultConnection {
  readonly #client: Socket;
  readonly #upstream: Socket;
  readonly #up: FaultPipe;
  readonly #down: FaultPipe;
  readonly #settings: FaultConnectionSettings;
  #resetPeer: { readonly afterMs: number } | undefined;
  #resetTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Settles when both sockets have emitted 'close', i.e. their handles are released. */
  readonly socketsClosed: Promise<void>;

  constructor(client: Socket, toxics: ResolvedToxics, settings: FaultConnectionSettings) {
    this.#settings = settings;
    this.#client = client;
    this.#upstream = connect({
      host: settings.upstreamHost,
      port: settings.upstreamPort,
      allowHalfOpen: true,
      noDelay: true,
    });
    const { id, seed, maxQueuedBytesPerDirection: maxQueued } = settings;
    // One stream per connection and direction: a run's jitter does not depend on how connections interleave.
    this.#up = new FaultPipe(
      client,
      this.#upstream,
      toxics.upstream,
      SeededRandom.forKey(seed, `${id}/upstream`),
      settings.up,
      maxQueued,
    );
    this.#down = new FaultPipe(
      this.#upstream,
      client,
      toxics.downstream,
      SeededRandom.forKey(seed, `${id}/downstream`),
      settings.down,
      maxQueued,
    );
    this.#resetPeer = toxics.resetPeer;
    this.socketsClosed = Promise.all([client, this.#upstream].map(whenClosed)).then(() => undefined);

    // Errors are the peers' business (a reset, a refused upstream); 'close' follows and cleans up.
    client.on('error', () => undefined);
    this.#upstream.on('error', () => undefined);
    client.on('data', (data: Buffer) => this.#onData(data, this.#up));
    this.#upstream.on('data', (data: Buffer) => this.#onData(data, this.#down));
    client.on('end', () => this.#up.end());
    // Redis closing, or a refused or dropped upstream, reaches the client as a FIN after the replies in flight.
    this.#upstream.on('end', () => this.#down.end());
    this.#upstream.on('close', () => this.#down.end());
    client.on('close', () => this.destroy());
  }

  /** Bytes read but not yet forwarded, both directions. */
  get queuedBytes(): number {
    return this.#up.queuedBytes + this.#down.queuedBytes;
  }

  /** Running connections take a new toxic set for every byte not yet forwarded. */
  setToxics(toxics: ResolvedToxics): void {
    if (this.#closed) return;
    this.#up.setShaping(toxics.upstream);
    this.#down.setShaping(toxics.downstream);
    if (toxics.resetPeer === undefined) {
      clearTimeout(this.#resetTimer);
      this.#resetTimer = undefined;
    }
    this.#resetPeer = toxics.resetPeer;
  }

  /** Closes the client side with a TCP RST (SO_LINGER 0): the client sees ECONNRESET, not a FIN. */
  reset(): void {
    if (this.#closed) return;
    this.#settings.onReset();
    if (!this.#client.destroyed) this.#client.resetAndDestroy();
    this.destroy();
  }

  destroy(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#resetTimer);
    this.#resetTimer = undefined;
    this.#up.dispose();
    this.#down.dispose();
    this.#client.destroy();
    this.#upstream.destroy();
    this.#settings.onClosed(this);
  }

  #onData(data: Buffer, pipe: FaultPipe): void {
    const resetPeer = this.#resetPeer;
    if (resetPeer === undefined) {
      pipe.push(data);
      return;
    }
    // Toxiproxy's reset_peer: the data that triggers the reset, and any after it, is never forwarded.
    (pipe === this.#up ? this.#settings.up : this.#settings.down).dropped(data.length);
    if (resetPeer.afterMs === 0) this.reset();
    else this.#resetTimer ??= setTimeout(() => this.reset(), resetPeer.afterMs);
  }
}

function whenClosed(socket: Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}
