import type { Redis } from 'ioredis';
import { describeIssues, EVENT_SCHEMAS, isKnownEventType } from './event-schemas.ts';
import type { TradingEvent } from './event-schemas.ts';

/** One stream entry: its ID (`<ms>-<seq>`, the time Redis appended it) and the event's JSON. */
export interface StreamEntry {
  readonly id: string;
  readonly payload: string;
}

export interface EventStreamOptions {
  /** XADD ... MAXLEN ~ maxLen: the stream keeps about this many entries (trimmed in whole nodes, cheaply). */
  readonly maxLen: number;
}

export const DEFAULT_EVENT_STREAM_OPTIONS: EventStreamOptions = Object.freeze({ maxLen: 100_000 });

const PAYLOAD_FIELD = 'event';

/** The stream key of an event type: one stream per type, as one channel per type. */
export function streamKey(eventType: string): string {
  return `events:${eventType}`;
}

/**
 * The document's "Future Enhancement (P2)": the same events appended to a Redis Stream, so they
 * persist (as far as Redis persists), can be replayed from an ID or a timestamp, and are consumed by
 * consumer groups with acknowledgment. Unlike EventPublisher, append throws: a caller that chose
 * Streams for durability must know when an event was not stored (and may retry).
 */
export class EventStream {
  readonly options: EventStreamOptions;

  constructor(
    private readonly client: Redis,
    readonly key: string,
    options: Partial<EventStreamOptions> = {},
  ) {
    this.options = { ...DEFAULT_EVENT_STREAM_OPTIONS, ...options };
    if (!Number.isInteger(this.options.maxLen) || this.options.maxLen <= 0)
      throw new RangeError(`maxLen must be a positive integer (got ${this.options.maxLen})`);
  }

  /** XADD with approximate trimming; resolves to the entry ID. */
  async append(payload: string): Promise<string> {
    const id = await this.client.xadd(this.key, 'MAXLEN', '~', this.options.maxLen, '*', PAYLOAD_FIELD, payload);
    if (id === null) throw new Error(`XADD to ${this.key} returned no ID`);
    return id;
  }

  /** Validates the event against its schema (a producer bug rejects with RangeError), then appends it. */
  async appendEvent(event: TradingEvent): Promise<string> {
    const type = event.event_type;
    if (!isKnownEventType(type)) throw new RangeError(`unknown event_type ${String(type)}`);
    const checked = EVENT_SCHEMAS[type].safeParse(event);
    if (!checked.success) throw new RangeError(`event does not match its schema: ${describeIssues(checked.error)}`);
    return this.append(JSON.stringify(checked.data));
  }

  /** XGROUP CREATE ... MKSTREAM; an existing group is kept (BUSYGROUP is not an error here). */
  async createGroup(group: string, startId = '$'): Promise<void> {
    try {
      await this.client.xgroup('CREATE', this.key, group, startId, 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  /**
   * XREADGROUP of new entries (`>`) for one consumer, blocking up to blockMs (0: do not block).
   * Blocking holds the connection: give each consumer its own client.
   */
  async readGroup(group: string, consumer: string, count: number, blockMs: number): Promise<StreamEntry[]> {
    const reply =
      blockMs > 0
        ? await this.client.xreadgroup(
            'GROUP',
            group,
            consumer,
            'COUNT',
            count,
            'BLOCK',
            blockMs,
            'STREAMS',
            this.key,
            '>',
          )
        : await this.client.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', this.key, '>');
    if (reply === null) return [];
    const streams = reply as [string, [string, string[]][]][];
    return streams.flatMap(([, entries]) => toEntries(entries));
  }

  /**
   * The entries this consumer was given and has not acknowledged (XREADGROUP from ID 0): what a
   * restarted consumer, or one whose connection dropped mid-batch, must process again first.
   */
  async readOwnPending(group: string, consumer: string, count: number): Promise<StreamEntry[]> {
    const reply = await this.client.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', this.key, '0');
    if (reply === null) return [];
    const streams = reply as [string, [string, string[] | null][]][];
    // An entry trimmed away since it was delivered comes back with null fields: nothing to process.
    return streams.flatMap(([, entries]) => toEntries(entries.filter((e): e is [string, string[]] => e[1] !== null)));
  }

  /** XACK: the entries leave the group's pending list. */
  ack(group: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return Promise.resolve(0);
    return this.client.xack(this.key, group, ...ids);
  }

  /**
   * Takes over the entries other consumers of the group read but did not acknowledge within
   * minIdleMs (a dead consumer's work), XAUTOCLAIM page by page, at most maxEntries.
   */
  async claimStale(group: string, consumer: string, minIdleMs: number, maxEntries: number): Promise<StreamEntry[]> {
    const claimed: StreamEntry[] = [];
    let cursor = '0-0';
    do {
      const reply = (await this.client.xautoclaim(
        this.key,
        group,
        consumer,
        minIdleMs,
        cursor,
        'COUNT',
        Math.min(100, maxEntries - claimed.length),
      )) as [string, ([string, string[]] | null)[], ...unknown[]];
      cursor = reply[0];
      claimed.push(...toEntries(reply[1].filter((e): e is [string, string[]] => e !== null)));
    } while (cursor !== '0-0' && claimed.length < maxEntries);
    return claimed;
  }

  /** Entries the group delivered and nobody acknowledged yet. */
  async pendingCount(group: string): Promise<number> {
    const summary = (await this.client.xpending(this.key, group)) as [number, ...unknown[]];
    return Number(summary[0]);
  }

  /** Replay: entries from an ID on (inclusive), oldest first. */
  async replayFromId(fromId: string, count: number): Promise<StreamEntry[]> {
    return toEntries((await this.client.xrange(this.key, fromId, '+', 'COUNT', count)) as [string, string[]][]);
  }

  /** Replay from a point in time: entry IDs start with the ms Redis appended them, so `<ms>-0` is that instant. */
  replayFromTime(from: Date, count: number): Promise<StreamEntry[]> {
    const ms = from.getTime();
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`replay time must be a valid date after 1970 (got ${String(from)})`);
    return this.replayFromId(`${Math.floor(ms)}-0`, count);
  }

  async length(): Promise<number> {
    return this.client.xlen(this.key);
  }
}

function toEntries(raw: readonly [string, string[]][]): StreamEntry[] {
  return raw.map(([id, fields]) => {
    const at = fields.indexOf(PAYLOAD_FIELD);
    return { id, payload: at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? '') : '' };
  });
}
