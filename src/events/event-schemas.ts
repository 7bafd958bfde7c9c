import { z } from 'zod';

/**
 * Event schemas of the document's Pattern 2. Every event carries `event_type` ({entity}.{action},
 * also the channel it is published on) and a UTC timestamp. A timestamp with another offset is
 * refused rather than converted: the document says "MUST be UTC", and a producer sending local time
 * has a bug that silent conversion would hide.
 */

/** `{entity}.{action}`, lowercase, e.g. signals.generated. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/** ISO 8601 date-time in UTC: a `Z` or `+00:00` suffix (what Python's isoformat() writes for UTC). */
const UTC_ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|\+00:00)$/;

export const utcTimestamp = z.string().refine((text) => {
  const match = UTC_ISO_8601.exec(text);
  if (match === null) return false;
  const [, year, month, day, hour, minute, second] = match;
  const parsed = new Date(
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)),
  );
  // Rejects 2025-02-30 and 25:00, which Date would silently roll over.
  return (
    parsed.getUTCFullYear() === Number(year) &&
    parsed.getUTCMonth() === Number(month) - 1 &&
    parsed.getUTCDate() === Number(day) &&
    parsed.getUTCHours() === Number(hour) &&
    parsed.getUTCMinutes() === Number(minute) &&
    parsed.getUTCSeconds() === Number(second)
  );
}, 'timestamp must be an ISO 8601 date-time in UTC (ending in Z or +00:00), e.g. 2025-01-18T09:00:00+00:00');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const symbol = z.string().regex(/^[A-Z][A-Z0-9.-]{0,15}$/, 'expected an upper-case ticker symbol');

export const BaseEventSchema = z.object({
  event_type: z.string().regex(EVENT_TYPE_PATTERN, 'event_type must be {entity}.{action}, e.g. signals.generated'),
  timestamp: utcTimestamp,
});

/** The document's SignalEvent, field for field. */
export const SignalEventSchema = BaseEventSchema.extend({
  event_type: z.literal('signals.generated'),
  strategy_id: z.string().min(1),
  symbols: z.array(symbol),
  num_signals: z.number().int().nonnegative(),
  as_of_date: isoDate,
});

/*
 * The document names orders.executed and positions.updated but gives no fields for them; these are
 * the fields a downstream consumer of an execution or a position change needs at least.
 */
export const OrderEventSchema = BaseEventSchema.extend({
  event_type: z.literal('orders.executed'),
  order_id: z.string().min(1),
  strategy_id: z.string().min(1),
  symbol,
  side: z.enum(['buy', 'sell']),
  qty: z.number().int().positive(),
  price: z.number().positive(),
});

export const PositionEventSchema = BaseEventSchema.extend({
  event_type: z.literal('positions.updated'),
  strategy_id: z.string().min(1),
  symbol,
  qty: z.number().int(),
  avg_price: z.number().nonnegative(),
});

/** "models.reloaded - Model was hot-reloaded (future)". */
export const ModelReloadedEventSchema = BaseEventSchema.extend({
  event_type: z.literal('models.reloaded'),
  model_name: z.string().min(1),
  model_version: z.string().min(1),
});

export type BaseEvent = z.infer<typeof BaseEventSchema>;
export type SignalEvent = z.infer<typeof SignalEventSchema>;
export type OrderEvent = z.infer<typeof OrderEventSchema>;
export type PositionEvent = z.infer<typeof PositionEventSchema>;
export type ModelReloadedEvent = z.infer<typeof ModelReloadedEventSchema>;
export type TradingEvent = SignalEvent | OrderEvent | PositionEvent | ModelReloadedEvent;

/** Known event types and their schemas: an event of another type is "unknown" to a subscriber. */
export const EVENT_SCHEMAS = {
  'signals.generated': SignalEventSchema,
  'orders.executed': OrderEventSchema,
  'positions.updated': PositionEventSchema,
  'models.reloaded': ModelReloadedEventSchema,
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;

export function isKnownEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_SCHEMAS, type);
}

/** The current time as the document writes it: `datetime.now(timezone.utc).isoformat()`. */
export function utcNow(now: Date = new Date()): string {
  return now.toISOString().replace(/Z$/, '+00:00');
}

/** A readable summary of a zod error: `path: message` pairs. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(event)'}: ${issue.message}`)
    .join('; ');
}
