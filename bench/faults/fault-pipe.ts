import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { SeededRandom } from '../../src/market/seeded-random.ts';
import { TokenBucket } from './token-bucket.ts';
import type { DirectionShaping } from './toxic.ts';

export interface PipeCounters {
  forwarded(bytes: number): void;
  dropped(bytes: number): void;
}

interface Chunk {
  data: Buffer;
  readonly arrivedAtMs: number;
  /** In [-1, 1): this chunk's jitter as a share of jitterMs, kept so a toxic change can re-time it. */
  readonly jitterUnit: number;
  dueAtMs: number;
}

/**
 * One direction of a proxied connection: source socket -> shaping -> destination socket. Chunks
 * leave in arrival order (FIFO), each no earlier than its due time and within the bandwidth budget.
 * Memory is bounded: the source is paused while the destination refuses writes or the queue is full.
 */
export class FaultPipe {
  readonly #source: Socket;
  readonly #dest: Socket;
  readonly #random: SeededRandom;
  readonly #counters: PipeCounters;
  readonly #maxQueuedBytes: number;
  #shaping: DirectionShaping;
  #bucket: TokenBucket | undefined;
  readonly #queue: Chunk[] = [];
  #queuedBytes = 0;
  #lastDueAtMs = -Infinity;
  #timer: NodeJS.Timeout | undefined;
  #waitingDrain = false;
  /** The last pump stopped because the bucket was empty (not for latency or drain). */
  #waitingOnBucket = false;
  #sourcePaused = false;
  #sourceEnded = false;
  #endSent = false;
  #disposed = false;

  constructor(
    source: Socket,
    dest: Socket,
    shaping: DirectionShaping,
    random: SeededRandom,
    counters: PipeCounters,
    maxQueuedBytes: number,
  ) {
    this.#source = source;
    this.#dest = dest;
    this.#random = random;
    this.#counters = counters;
    this.#maxQueuedBytes = maxQueuedBytes;
    this.#shaping = shaping;
    this.#bucket =
      shaping.bytesPerMs === undefined ? undefined : new TokenBucket(shaping.bytesPerMs, performance.now());
    dest.on('drain', () => {
      if (!this.#waitingDrain) return;
      this.#waitingDrain = false;
      this.#pump();
    });
  }

  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Applies a new toxic set to the data still queued, not only to data that arrives later. */
  setShaping(shaping: DirectionShaping): void {
    if (this.#disposed) return;
    const now = performance.now();
    this.#shaping = shaping;
    if (shaping.bytesPerMs === undefined) this.#bucket = undefined;
    else if (this.#bucket === undefined) this.#bucket = new TokenBucket(shaping.bytesPerMs, now);
    else this.#bucket.setRate(shaping.bytesPerMs, now);
    if (shaping.blackHole) {
      this.#dropQueue();
    } else {
      let previousDueAtMs = -Infinity;
      for (const chunk of this.#queue) {
        chunk.dueAtMs = Math.max(previousDueAtMs, this.#dueFrom(chunk.arrivedAtMs, chunk.jitterUnit));
        previousDueAtMs = chunk.dueAtMs;
      }
      if (this.#queue.length > 0) this.#lastDueAtMs = previousDueAtMs;
    }
    this.#pump();
  }

  push(data: Buffer): void {
    if (this.#disposed) return;
    if (this.#shaping.blackHole) {
      this.#counters.dropped(data.length);
      return;
    }
    const arrivedAtMs = performance.now();
    const jitterUnit = this.#random.nextRange(-1, 1);
    // A later chunk never overtakes an earlier one, whatever its jitter: TCP keeps byte order.
    const dueAtMs = Math.max(this.#lastDueAtMs, this.#dueFrom(arrivedAtMs, jitterUnit));
    this.#lastDueAtMs = dueAtMs;
    this.#queue.push({ data, arrivedAtMs, jitterUnit, dueAtMs });
    this.#queuedBytes += data.length;
    this.#pump();
  }

  /** The source sent FIN: pass it on once every queued byte has left (a black hole keeps it too). */
  end(): void {
    this.#sourceEnded = true;
    this.#pump();
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#dropQueue();
  }

  #dueFrom(arrivedAtMs: number, jitterUnit: number): number {
    const { latencyMs, jitterMs } = this.#shaping;
    return arrivedAtMs + Math.max(0, latencyMs + jitterUnit * jitterMs);
  }

  #pump(): void {
    if (this.#disposed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#dest.destroyed || this.#dest.writableEnded) this.#dropQueue();
    while (!this.#waitingDrain && this.#queue.length > 0 && !this.#shaping.blackHole) {
      const chunk = this.#queue[0] as Chunk;
      const now = performance.now();
      if (chunk.dueAtMs > now) {
        this.#wakeIn(chunk.dueAtMs - now);
        break;
      }
      const waitedOnBucket = this.#waitingOnBucket;
      this.#waitingOnBucket = false;
      const bucket = this.#bucket;
      const bytes =
        bucket === undefined ? chunk.data.length : Math.min(chunk.data.length, bucket.available(now, waitedOnBucket));
      const partial = bytes < chunk.data.length;
      if (bytes > 0) this.#send(chunk, bytes);
      if (bucket !== undefined && partial) {
        this.#waitingOnBucket = true;
        this.#wakeIn(bucket.msUntil(chunk.data.length, now));
        break;
      }
    }
    if (
      this.#queue.length === 0 &&
      this.#sourceEnded &&
      !this.#endSent &&
      !this.#shaping.blackHole &&
      !this.#dest.destroyed
    ) {
      this.#endSent = true;
      this.#dest.end();
    }
    this.#updateFlow();
  }

  #send(chunk: Chunk, bytes: number): void {
    this.#bucket?.take(bytes);
    const whole = bytes === chunk.data.length;
    const slice = whole ? chunk.data : chunk.data.subarray(0, bytes);
    if (whole) this.#queue.shift();
    else chunk.data = chunk.data.subarray(bytes);
    this.#queuedBytes -= bytes;
    this.#counters.forwarded(bytes);
    if (!this.#dest.write(slice)) this.#waitingDrain = true;
  }

  /** Backpressure: stop reading while the destination is full or the queue is at its bound. */
  #updateFlow(): void {
    const congested = this.#waitingDrain || this.#queuedBytes >= this.#maxQueuedBytes;
    // A black hole reads and discards, so it never needs the source paused.
    const shouldPause = congested && !this.#shaping.blackHole;
    if (shouldPause && !this.#sourcePaused) {
      this.#sourcePaused = true;
      this.#source.pause();
    } else if (!shouldPause && this.#sourcePaused && this.#queuedBytes <= this.#maxQueuedBytes / 2) {
      this.#sourcePaused = false;
      this.#source.resume();
    }
  }

  #wakeIn(ms: number): void {
    // Ceil: a timer may not fire before the chunk is due, or the pump would spin at 1 ms steps.
    this.#timer = setTimeout(() => this.#pump(), Math.max(1, Math.ceil(ms)));
  }

  #dropQueue(): void {
    if (this.#queuedBytes > 0) this.#counters.dropped(this.#queuedBytes);
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    // Dropped chunks must not hold later ones back to their due times.
    this.#lastDueAtMs = -Infinity;
  }
}
