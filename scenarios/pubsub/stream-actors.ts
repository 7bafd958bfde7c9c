import type { Redis } from 'ioredis';
import { EventStream } from '../../src/events/event-stream.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { benchClient, DropGuard } from './bench-clients.ts';
import { inFlightLimit } from './paced-publisher.ts';
import { benchNowNs, decodeBenchMessage, encodeBenchMessage } from './bench-message.ts';
import type { DeliverySink } from './pubsub-listener.ts';
import type { SequenceTracker } from './sequence-tracker.ts';
import { NS_PER_MS, NS_PER_S } from '../../bench/core/units.ts';

/** Far above what a trial appends: trimming must never be what loses an event here. */
const BENCH_STREAM_MAXLEN = 10_000_000;

/**
 * A producer appending numbered events with XADD. A failed XADD (Redis down) goes to a retry queue
 * and is appended again once Redis answers: the durable counterpart of fire-and-forget. An XADD
 * that succeeded but whose reply was lost is appended twice: a duplicate the consumers must absorb.
 */
export class StreamProducer {
  readonly stream: EventStream;
  readonly #guard: DropGuard;
  #nextSeq = 0;
  #inFlight = 0;
  #retry: number[] = [];
  retries = 0;
  failures = 0;

  private constructor(
    readonly id: number,
    readonly client: Redis,
    key: string,
  ) {
    this.stream = new EventStream(client, key, { maxLen: BENCH_STREAM_MAXLEN });
    this.#guard = new DropGuard(client);
  }

  static async open(url: string, id: number, key: string): Promise<StreamProducer> {
    const client = benchClient(url, {
      name: `rpb-stream-producer-${id}`,
      offlineQueue: false,
      reconnectDelayMs: 50,
      commandTimeoutMs: 3_000,
    });
    await client.connect();
    return new StreamProducer(id, client, key);
  }

  get nextSeq(): number {
    return this.#nextSeq;
  }

  get pendingRetries(): number {
    return this.#retry.length;
  }

  #append(seq: number, payloadBytes: number, onReplyNs?: (ns: number) => void): void {
    this.#inFlight += 1;
    const sentNs = benchNowNs();
    this.#guard.run(this.stream.append(encodeBenchMessage(this.id, seq, payloadBytes, sentNs))).then(
      () => {
        this.#inFlight -= 1;
        onReplyNs?.(benchNowNs() - sentNs);
      },
      () => {
        this.#inFlight -= 1;
        this.failures += 1;
        this.#retry.push(seq);
      },
    );
  }

  #flushRetries(payloadBytes: number): void {
    if (this.client.status !== 'ready') return;
    const again = this.#retry.splice(0);
    this.retries += again.length;
    for (const seq of again) this.#append(seq, payloadBytes);
  }

  /** Appends at a rate until durationMs or stopWhen; failed appends are retried while it runs. */
  async paced(options: {
    ratePerSec: number;
    durationMs: number;
    payloadBytes: number;
    signal: AbortSignal;
    stopWhen?: () => boolean;
  }): Promise<void> {
    const gapNs = NS_PER_S / options.ratePerSec;
    const total = Math.round((options.ratePerSec * options.durationMs) / 1000);
    const limit = inFlightLimit(options.payloadBytes);
    const startNs = benchNowNs();
    let sent = 0;
    while (sent < total && !options.signal.aborted && !(options.stopWhen?.() ?? false)) {
      this.#flushRetries(options.payloadBytes);
      const due = Math.min(total, Math.floor((benchNowNs() - startNs) / gapNs) + 1);
      while (sent < due && this.#inFlight < limit) {
        this.#append(this.#nextSeq++, options.payloadBytes);
        sent += 1;
      }
      if (this.#inFlight >= limit) {
        // Bounded memory: wait for replies (polled; XADD replies come back within milliseconds).
        await sleepMs(1, options.signal);
        continue;
      }
      const waitMs = (startNs + sent * gapNs - benchNowNs()) / NS_PER_MS;
      if (waitMs > 0) await sleepMs(waitMs, options.signal);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** As fast as `window` appends in flight allow. */
  async burst(options: {
    count: number;
    window: number;
    payloadBytes: number;
    maxDurationMs: number;
    signal: AbortSignal;
  }): Promise<{ appended: number; elapsedNs: number }> {
    const startNs = benchNowNs();
    const deadline = startNs + options.maxDurationMs * NS_PER_MS;
    let sent = 0;
    while (sent < options.count && !options.signal.aborted && benchNowNs() < deadline) {
      this.#append(this.#nextSeq++, options.payloadBytes);
      sent += 1;
      while (this.#inFlight >= options.window) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await this.settle(options.payloadBytes, 10_000, options.signal);
    return { appended: sent, elapsedNs: benchNowNs() - startNs };
  }

  /** Waits for appends in flight and retries until none is left, or the time is up (false). */
  async settle(payloadBytes: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while ((this.#inFlight > 0 || this.#retry.length > 0) && Date.now() < deadline && !signal.aborted) {
      this.#flushRetries(payloadBytes);
      await sleepMs(5, signal);
    }
    return this.#inFlight === 0 && this.#retry.length === 0;
  }

  close(): void {
    this.client.disconnect(false);
  }
}

export interface ConsumerOptions {
  readonly group: string;
  readonly name: string;
  readonly batch: number;
  readonly blockMs: number;
}

/** How fast a consumer works: entries per XREADGROUP and the pause after each batch (a slow consumer). */
export interface ConsumerPace {
  readonly batch: number;
  readonly processDelayMs: number;
}

/**
 * A consumer-group member: XREADGROUP, process (record the sequence number), XACK. After an error
 * (Redis gone) it first re-reads its own pending entries, then goes on with new ones. kill() stops
 * it after processing its current batch and before acknowledging it, with its socket destroyed: the
 * dead process's entries stay pending for another consumer to claim.
 */
export class StreamConsumer {
  readonly stream: EventStream;
  readonly #guard: DropGuard;
  #running = true;
  #paused = false;
  #killRequested = false;
  #pace: ConsumerPace;
  #loop: Promise<void> = Promise.resolve();
  processed = 0;
  errors = 0;
  claimed = 0;

  private constructor(
    readonly client: Redis,
    key: string,
    readonly options: ConsumerOptions,
    private readonly tracker: SequenceTracker,
    private readonly sink: DeliverySink | null,
  ) {
    this.stream = new EventStream(client, key, { maxLen: BENCH_STREAM_MAXLEN });
    this.#guard = new DropGuard(client);
    this.#pace = { batch: options.batch, processDelayMs: 0 };
  }

  static async start(
    url: string,
    key: string,
    options: ConsumerOptions,
    tracker: SequenceTracker,
    sink: DeliverySink | null,
    signal: AbortSignal,
  ): Promise<StreamConsumer> {
    const client = benchClient(url, {
      name: `rpb-stream-${options.name}`,
      offlineQueue: true,
      reconnectDelayMs: 50,
      commandTimeoutMs: options.blockMs + 3_000,
    });
    await client.connect();
    const consumer = new StreamConsumer(client, key, options, tracker, sink);
    await consumer.stream.createGroup(options.group, '0');
    consumer.#loop = consumer.#run(signal);
    return consumer;
  }

  #process(payloads: readonly { payload: string }[]): void {
    for (const { payload } of payloads) {
      const now = benchNowNs();
      const message = decodeBenchMessage(payload);
      if (message === null) continue;
      this.tracker.record(message.publisher, message.seq);
      this.processed += 1;
      this.sink?.(now - message.sentNs, message.publisher, message.seq, message.sentNs);
    }
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { group, name, blockMs } = this.options;
    let ownPendingFirst = true;
    while (this.#running && !signal.aborted) {
      if (this.#paused) {
        await sleepMs(10, signal);
        continue;
      }
      const { batch, processDelayMs } = this.#pace;
      try {
        const entries = ownPendingFirst
          ? await this.#guard.run(this.stream.readOwnPending(group, name, batch))
          : await this.#guard.run(this.stream.readGroup(group, name, batch, blockMs));
        if (ownPendingFirst && entries.length === 0) ownPendingFirst = false;
        this.#process(entries);
        if (this.#killRequested && entries.length > 0) {
          this.client.stream?.destroy();
          this.client.disconnect(false);
          this.#running = false;
          return;
        }
        await this.#guard.run(
          this.stream.ack(
            group,
            entries.map((e) => e.id),
          ),
        );
        if (processDelayMs > 0 && entries.length > 0) await sleepMs(processDelayMs, signal);
      } catch {
        // stop() disconnects: the blocked read fails, and there is nothing to retry.
        if (!this.#running) return;
        this.errors += 1;
        ownPendingFirst = true;
        await sleepMs(50, signal);
      }
    }
  }

  /** Takes over entries other consumers left unacknowledged for minIdleMs, processes and acknowledges them. */
  async claimStale(minIdleMs: number): Promise<number> {
    const entries = await this.stream.claimStale(this.options.group, this.options.name, minIdleMs, 100_000);
    this.#process(entries);
    await this.stream.ack(
      this.options.group,
      entries.map((e) => e.id),
    );
    this.claimed += entries.length;
    return entries.length;
  }

  /** From the next batch on, works at this pace (the options' batch and no pause: full speed). */
  setPace(pace: ConsumerPace): void {
    this.#pace = pace;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
  }

  /** Dies after processing its next non-empty batch, before acknowledging it. */
  async kill(timeoutMs: number): Promise<void> {
    this.#killRequested = true;
    const timer = sleepMs(timeoutMs);
    await Promise.race([this.#loop, timer]);
    this.#running = false;
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.client.disconnect(false);
    await this.#loop.catch(() => undefined);
  }
}
