import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { describeIssues, EVENT_SCHEMAS, isKnownEventType } from './event-schemas.ts';
import type { SignalEvent, TradingEvent } from './event-schemas.ts';

export interface EventPublisherOptions {
  readonly logger: Logger;
}

export const DEFAULT_EVENT_PUBLISHER_OPTIONS: EventPublisherOptions = Object.freeze({ logger: silentLogger });

/** Counters a service exports as metrics. */
export interface PublisherStats {
  /** PUBLISH calls Redis answered. */
  readonly published: number;
  /** Of those, answered with 0 subscribers: nobody was listening, the event is gone. */
  readonly noSubscribers: number;
  /** PUBLISH calls that failed (Redis down, timeout): the event was not sent. */
  readonly failed: number;
  /** Events refused before sending: wrong schema (a producer bug). */
  readonly invalid: number;
}

/**
 * Publishes events on the channel named by their type (document: `{entity}.{action}`). Best effort,
 * as the document wants pub/sub to be: a failure is logged and counted and the call resolves to
 * null; it never throws into the request that produced the event. The number it returns is what
 * PUBLISH replies: subscribers the message was queued for, not a receipt.
 */
export class EventPublisher {
  private readonly options: EventPublisherOptions;
  private counts = { published: 0, noSubscribers: 0, failed: 0, invalid: 0 };

  constructor(
    private readonly client: Redis,
    options: Partial<EventPublisherOptions> = {},
  ) {
    this.options = { ...DEFAULT_EVENT_PUBLISHER_OPTIONS, ...options };
  }

  /** Subscribers that got it queued, or null when the event was not sent (invalid or Redis failed). */
  async publish(event: TradingEvent): Promise<number | null> {
    const { logger } = this.options;
    const type = (event as { event_type?: unknown }).event_type;
    const schema = typeof type === 'string' && isKnownEventType(type) ? EVENT_SCHEMAS[type] : undefined;
    const checked = schema?.safeParse(event);
    if (schema === undefined || checked === undefined || !checked.success) {
      this.counts.invalid += 1;
      logger.error('Event not published: it does not match its schema', {
        event_type: String(type),
        problem: checked !== undefined && !checked.success ? describeIssues(checked.error) : 'unknown event_type',
      });
      return null;
    }
    const channel = type as string;
    try {
      const subscribers = await this.client.publish(channel, JSON.stringify(checked.data));
      this.counts.published += 1;
      if (subscribers === 0) this.counts.noSubscribers += 1;
      logger.info(`Published ${channel} to ${subscribers} subscribers`, { channel, subscribers });
      return subscribers;
    } catch (error) {
      this.counts.failed += 1;
      logger.warn('Event publish failed; continuing without it', {
        channel,
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  }

  /** The document's `publisher.publish_signal_event(event)`. */
  publishSignalEvent(event: SignalEvent): Promise<number | null> {
    return this.publish(event);
  }

  stats(): PublisherStats {
    return { ...this.counts };
  }
}
