import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { endpointOptions } from '../redis/endpoint-options.ts';
import { reconnectDelayMs } from '../redis/reconnect-backoff.ts';
import { redactRedisUrl } from '../redis/redis-url.ts';
import { decodeEvent } from './event-decoder.ts';
import type { RejectReason } from './event-decoder.ts';
import type { TradingEvent } from './event-schemas.ts';

export type EventHandler = (event: TradingEvent, channel: string) => void | Promise<void>;

export interface EventSubscriberOptions {
  /** Exact channels (SUBSCRIBE), e.g. signals.generated. */
  readonly channels: readonly string[];
  /**
   * Glob patterns (PSUBSCRIBE), e.g. signals.*. A message matching both is delivered once per match
   * (Redis semantics).
   */
  readonly patterns: readonly string[];
  /** Larger messages are refused unparsed: a runaway producer must not stall every consumer. */
  readonly maxMessageBytes: number;
  readonly onEvent: EventHandler;
  readonly logger: Logger;
  readonly connectionName: string;
  readonly reconnectBaseDelayMs: number;
  /** A returning Redis is picked up within this delay. */
  readonly reconnectMaxDelayMs: number;
  readonly connectTimeoutMs: number;
}

export const DEFAULT_EVENT_SUBSCRIBER_OPTIONS = Object.freeze({
  channels: [] as readonly string[],
  patterns: [] as readonly string[],
  maxMessageBytes: 64 * 1024,
  logger: silentLogger,
  connectionName: 'rpb-event-subscriber',
  reconnectBaseDelayMs: 50,
  reconnectMaxDelayMs: 1_000,
  connectTimeoutMs: 2_000,
});

export type EventSubscriberInit = Pick<EventSubscriberOptions, 'onEvent'> & Partial<EventSubscriberOptions>;

export interface SubscriberStats {
  /** Messages that arrived, valid or not. */
  readonly received: number;
  /** Valid events handed to the handler. */
  readonly delivered: number;
  readonly rejected: Readonly<Record<RejectReason, number>>;
  /** Handler calls that threw or rejected (logged; the subscriber goes on). */
  readonly handlerErrors: number;
  /** Completed (re)subscriptions: 1 after start, +1 for each time Redis came back. */
  readonly subscriptions: number;
}

/**
 * A subscriber on its own connection (a connection in subscribe mode can run nothing else). It
 * validates every message, and a bad one is logged with its channel and counted, never thrown.
 * After a dropped connection it reconnects with backoff forever and subscribes again by itself: it
 * does that on each 'ready' rather than through ioredis's autoResubscribe, so the resubscription is
 * observable (stats().subscriptions, waitForSubscriptions) and a failed one is retried.
 */
export class EventSubscriber {
  readonly options: EventSubscriberOptions;
  readonly #client: Redis;
  readonly #shownUrl: string;
  #closed = false;
  #counts = { received: 0, delivered: 0, handlerErrors: 0, subscriptions: 0 };
  #rejected: Record<RejectReason, number> = {
    oversized: 0,
    malformed: 0,
    invalid: 0,
    'unknown-type': 0,
    'wrong-channel': 0,
  };
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(url: string, init: EventSubscriberInit) {
    const overrides = Object.fromEntries(
      Object.entries(init).filter(([, v]) => v !== undefined),
    ) as Partial<EventSubscriberOptions>;
    this.options = { ...DEFAULT_EVENT_SUBSCRIBER_OPTIONS, ...overrides, onEvent: init.onEvent };
    const { channels, patterns, maxMessageBytes } = this.options;
    if (channels.length + patterns.length === 0)
      throw new RangeError('EventSubscriber needs at least one channel or pattern');
    if (!Number.isInteger(maxMessageBytes) || maxMessageBytes <= 0)
      throw new RangeError(`maxMessageBytes must be a positive integer (got ${maxMessageBytes})`);
    this.#shownUrl = redactRedisUrl(url);
    this.#client = new Redis({
      ...endpointOptions(url),
      connectionName: this.options.connectionName,
      connectTimeout: this.options.connectTimeoutMs,
      lazyConnect: true,
      autoResubscribe: false,
      // A subscriber has nothing to replay: its only commands are the (re)subscriptions below.
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: null,
      retryStrategy: (attempt) =>
        this.#closed
          ? null
          : reconnectDelayMs(attempt, this.options.reconnectBaseDelayMs, this.options.reconnectMaxDelayMs),
    });
    this.#client.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.#onMessage(channel.toString(), message),
    );
    this.#client.on('pmessageBuffer', (_pattern: string, channel: Buffer, message: Buffer) =>
      this.#onMessage(channel.toString(), message),
    );
    let down = false;
    this.#client.on('error', (error: Error) => {
      if (!down)
        this.options.logger.warn('Event subscriber lost Redis; reconnecting', {
          url: this.#shownUrl,
          error: error.message,
        });
      down = true;
    });
    this.#client.on('ready', () => {
      if (down) this.options.logger.info('Event subscriber reconnected; subscribing again', { url: this.#shownUrl });
      down = false;
      void this.#subscribe();
    });
  }

  /** Connects and resolves once subscribed; rejects if Redis cannot be reached at all. */
  async start(): Promise<void> {
    await this.#client.connect();
    await this.waitForSubscriptions(1);
  }

  /** Resolves when at least `count` (re)subscriptions completed. */
  waitForSubscriptions(count: number): Promise<void> {
    if (this.#counts.subscriptions >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  stats(): SubscriberStats {
    return { ...this.#counts, rejected: { ...this.#rejected } };
  }

  /** The underlying connection, for fault injection in tests and benchmarks. */
  get connection(): Redis {
    return this.#client;
  }

  close(): void {
    this.#closed = true;
    this.#client.disconnect(false);
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters = [];
  }

  async #subscribe(): Promise<void> {
    const { channels, patterns, logger } = this.options;
    try {
      if (channels.length > 0) await this.#client.subscribe(...channels);
      if (patterns.length > 0) await this.#client.psubscribe(...patterns);
    } catch (error) {
      if (this.#closed) return;
      logger.warn('Event subscription failed; reconnecting to try again', {
        error: error instanceof Error ? error.message : String(error),
      });
      this.#client.disconnect(true);
      return;
    }
    this.#counts.subscriptions += 1;
    logger.info('Event subscriber listening', { channels, patterns, subscriptions: this.#counts.subscriptions });
    const due = this.#waiters.filter((w) => w.count <= this.#counts.subscriptions);
    this.#waiters = this.#waiters.filter((w) => w.count > this.#counts.subscriptions);
    for (const waiter of due) waiter.resolve();
  }

  #onMessage(channel: string, message: Buffer): void {
    this.#counts.received += 1;
    const result = decodeEvent(channel, message, this.options.maxMessageBytes);
    if (result.kind === 'rejected') {
      this.#rejected[result.reason] += 1;
      this.options.logger.warn('Event message refused', { channel, reason: result.reason, detail: result.detail });
      return;
    }
    this.#counts.delivered += 1;
    try {
      const pending = this.options.onEvent(result.event, channel);
      if (pending instanceof Promise) pending.catch((error: unknown) => this.#handlerFailed(channel, error));
    } catch (error) {
      this.#handlerFailed(channel, error);
    }
  }

  #handlerFailed(channel: string, error: unknown): void {
    this.#counts.handlerErrors += 1;
    this.options.logger.error('Event handler failed; the subscriber goes on', {
      channel,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
