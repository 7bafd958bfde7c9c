import type { Redis } from 'ioredis';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { benchClient, DropGuard } from './bench-clients.ts';
import { benchNowNs, encodeBenchMessage } from './bench-message.ts';
import { NS_PER_MS, NS_PER_S } from '../../bench/core/units.ts';

/** Reply of each publish by sequence number: subscribers counted by Redis, FAILED, or NOT_SENT. */
export const FAILED = -1;
export const NOT_SENT = -2;

export interface PublishRun {
  readonly firstSeq: number;
  /** Exclusive. */
  readonly endSeq: number;
  readonly elapsedNs: number;
  readonly failed: number;
}

export interface PaceOptions {
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly payloadBytes: number;
  readonly signal: AbortSignal;
  /** Also stops the run when it returns true (checked between sends). */
  readonly stopWhen?: () => boolean;
}

export interface BurstOptions {
  readonly count: number;
  /** Publishes in flight at once (pipelined on the one connection). */
  readonly window: number;
  readonly payloadBytes: number;
  readonly maxDurationMs: number;
  readonly signal: AbortSignal;
  readonly stopWhen?: () => boolean;
  /** Round trip of each PUBLISH (send to reply), for the publisher's side of fire-and-forget. */
  readonly onReplyNs?: (ns: number) => void;
}

/** Ceiling on publishes in flight of a paced run: a stalled Redis must not grow memory without bound. */
const MAX_IN_FLIGHT = 10_000;
/**
 * Ceiling on the payload bytes in flight: 10,000 publishes of 64 KB would be 650 MB of strings, and
 * a rate the machine cannot carry (30k/s x 64 KB = 2 GB/s) once exhausted the heap. Past it, sends
 * wait: the cell falls behind its rate, which the caller reports (achieved vs target).
 */
export const MAX_IN_FLIGHT_BYTES = 32 * 1024 * 1024;

/** Publishes a paced run keeps in flight at most, for this payload size. */
export function inFlightLimit(payloadBytes: number): number {
  return Math.max(16, Math.min(MAX_IN_FLIGHT, Math.floor(MAX_IN_FLIGHT_BYTES / Math.max(1, payloadBytes))));
}

/**
 * One publisher connection with its own sequence numbers (0, 1, ...), as a service publishing its
 * events: paced runs at a rate (sends due in the same timer tick go back to back; each carries its
 * own send time) and bursts as fast as a window of pipelined publishes allows. Remembers each
 * PUBLISH reply, to tell later which lost events Redis had counted as delivered.
 */
export class BenchPublisher {
  #replies = new Int32Array(1024).fill(NOT_SENT);
  #nextSeq = 0;
  #inFlight = 0;
  #settled: (() => void) | null = null;
  /** PUBLISH replies of 0 so far: nobody was subscribed (the publisher's only sign of a gone subscriber). */
  zeroReplies = 0;
  readonly #guard: DropGuard;

  private constructor(
    readonly id: number,
    readonly client: Redis,
    readonly channel: string,
  ) {
    this.#guard = new DropGuard(client);
  }

  static async open(
    url: string,
    id: number,
    channel: string,
    options: { commandTimeoutMs: number; name?: string },
  ): Promise<BenchPublisher> {
    const client = benchClient(url, {
      name: options.name ?? `rpb-bench-publisher-${id}`,
      offlineQueue: false,
      reconnectDelayMs: 50,
      commandTimeoutMs: options.commandTimeoutMs,
    });
    await client.connect();
    return new BenchPublisher(id, client, channel);
  }

  get nextSeq(): number {
    return this.#nextSeq;
  }

  reply(seq: number): number {
    return seq < this.#replies.length ? this.#replies[seq]! : NOT_SENT;
  }

  #send(payloadBytes: number, onReplyNs?: (ns: number) => void): void {
    const seq = this.#nextSeq++;
    if (seq >= this.#replies.length) {
      const grown = new Int32Array(this.#replies.length * 2).fill(NOT_SENT);
      grown.set(this.#replies);
      this.#replies = grown;
    }
    const sentNs = benchNowNs();
    this.#inFlight += 1;
    const settle = (value: number): void => {
      this.#replies[seq] = value;
      if (value === 0) this.zeroReplies += 1;
      this.#inFlight -= 1;
      if (onReplyNs !== undefined && value !== FAILED) onReplyNs(benchNowNs() - sentNs);
      if (this.#settled !== null) this.#settled();
    };
    this.#guard
      .run(this.client.publish(this.channel, encodeBenchMessage(this.id, seq, payloadBytes, sentNs)))
      .then(settle, () => settle(FAILED));
  }

  /** Resolves when at most `limit` publishes are in flight. */
  async #drainTo(limit: number): Promise<void> {
    while (this.#inFlight > limit) await new Promise<void>((resolve) => (this.#settled = resolve));
    this.#settled = null;
  }

  async paced(options: PaceOptions): Promise<PublishRun> {
    const firstSeq = this.#nextSeq;
    const gapNs = NS_PER_S / options.ratePerSec;
    const total = Math.max(1, Math.round((options.ratePerSec * options.durationMs) / 1000));
    const limit = inFlightLimit(options.payloadBytes);
    const startNs = benchNowNs();
    let sent = 0;
    while (sent < total && !options.signal.aborted && !(options.stopWhen?.() ?? false)) {
      const due = Math.min(total, Math.floor((benchNowNs() - startNs) / gapNs) + 1);
      while (sent < due && this.#inFlight < limit) {
        this.#send(options.payloadBytes);
        sent += 1;
      }
      if (this.#inFlight >= limit) {
        await this.#drainTo(Math.floor(limit / 2));
        continue;
      }
      const nextDueNs = startNs + sent * gapNs;
      const waitMs = (nextDueNs - benchNowNs()) / NS_PER_MS;
      // setTimeout's ~1 ms granularity batches sends above 1k/s; each message still carries its own send time.
      if (waitMs > 0) await sleepMs(waitMs, options.signal);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await this.#drainTo(0);
    return this.#result(firstSeq, startNs);
  }

  async burst(options: BurstOptions): Promise<PublishRun> {
    const firstSeq = this.#nextSeq;
    const startNs = benchNowNs();
    const deadlineNs = startNs + options.maxDurationMs * NS_PER_MS;
    let sent = 0;
    while (
      sent < options.count &&
      !options.signal.aborted &&
      benchNowNs() < deadlineNs &&
      !(options.stopWhen?.() ?? false)
    ) {
      this.#send(options.payloadBytes, options.onReplyNs);
      sent += 1;
      if (this.#inFlight >= options.window) await this.#drainTo(options.window - 1);
    }
    await this.#drainTo(0);
    return this.#result(firstSeq, startNs);
  }

  #result(firstSeq: number, startNs: number): PublishRun {
    let failed = 0;
    for (let seq = firstSeq; seq < this.#nextSeq; seq++) if (this.#replies[seq] === FAILED) failed += 1;
    return { firstSeq, endSeq: this.#nextSeq, elapsedNs: benchNowNs() - startNs, failed };
  }

  close(): void {
    this.client.disconnect(false);
  }
}
