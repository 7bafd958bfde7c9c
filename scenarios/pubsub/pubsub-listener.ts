import type { Redis } from 'ioredis';
import { benchClient, whenReady } from './bench-clients.ts';
import { benchNowNs, decodeBenchMessage } from './bench-message.ts';
import { SequenceTracker } from './sequence-tracker.ts';

/** Called for every bench message with its publish-to-receive delay (same process clock). */
export type DeliverySink = (delayNs: number, publisher: number, seq: number, sentNs: number) => void;

export interface ListenerOptions {
  readonly name: string;
  readonly channels: readonly string[];
  /** false: a killed process does not come back by itself (the caller starts a new listener). */
  readonly reconnect: boolean;
}

/**
 * A bench subscriber on its own connection: tracks sequence numbers, hands delays to a sink. It
 * reconnects and resubscribes (ioredis autoResubscribe) when `reconnect`; fault hooks stall its
 * socket (a slow consumer) or destroy it (a killed process).
 */
export class PubsubListener {
  readonly tracker = new SequenceTracker();
  foreign = 0;
  #sink: DeliverySink | null = null;
  #closed = false;

  private constructor(readonly client: Redis) {}

  static async open(url: string, options: ListenerOptions, sink: DeliverySink | null = null): Promise<PubsubListener> {
    const client = benchClient(url, {
      name: options.name,
      offlineQueue: true,
      reconnectDelayMs: options.reconnect ? 50 : false,
      autoResubscribe: true,
      commandTimeoutMs: 3_000,
    });
    const listener = new PubsubListener(client);
    listener.#sink = sink;
    client.on('messageBuffer', (_channel: Buffer, message: Buffer) => listener.#onMessage(message));
    try {
      await client.connect();
      await client.subscribe(...options.channels);
    } catch (error) {
      client.disconnect();
      throw error;
    }
    return listener;
  }

  setSink(sink: DeliverySink | null): void {
    this.#sink = sink;
  }

  #onMessage(message: Buffer): void {
    const now = benchNowNs();
    const decoded = decodeBenchMessage(message);
    if (decoded === null) {
      this.foreign += 1;
      return;
    }
    this.tracker.record(decoded.publisher, decoded.seq);
    this.#sink?.(now - decoded.sentNs, decoded.publisher, decoded.seq, decoded.sentNs);
  }

  /** Stops reading the socket: Redis's output buffer for this client grows (a slow consumer). */
  stall(): void {
    this.client.stream?.pause();
  }

  unstall(): void {
    this.client.stream?.resume();
  }

  /** As a crashed process: the socket is destroyed, unread data is gone, no reconnection. */
  kill(): void {
    this.#closed = true;
    this.client.stream?.destroy();
    this.client.disconnect(false);
  }

  /**
   * Waits until the client is back and subscribed after a drop. ioredis emits 'ready' just before it
   * sends the SUBSCRIBE again; a PING sent after it is answered after it, so its reply means subscribed.
   */
  async whenBack(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    // A PING on a connection that is about to drop fails (command timeout); try again on the next one.
    while (Date.now() < deadline) {
      if (!(await whenReady(this.client, deadline - Date.now()))) return false;
      try {
        await this.client.ping();
        return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    return false;
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
    this.client.disconnect(false);
  }
}
