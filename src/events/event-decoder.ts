import { BaseEventSchema, describeIssues, EVENT_SCHEMAS, isKnownEventType } from './event-schemas.ts';
import type { TradingEvent } from './event-schemas.ts';

/** Why a message was refused; each is counted separately by a subscriber. */
export type RejectReason = 'oversized' | 'malformed' | 'invalid' | 'unknown-type' | 'wrong-channel';

export type DecodeResult =
  | { readonly kind: 'event'; readonly event: TradingEvent }
  | { readonly kind: 'rejected'; readonly reason: RejectReason; readonly detail: string };

/**
 * One message off a channel to a validated event. Never throws: a bad message is a result, so one
 * broken producer cannot crash its consumers. The size is checked before parsing, so an oversized
 * message costs no JSON.parse. The event type must match the channel: an event on the wrong channel
 * reaches the wrong consumers and is refused as such.
 */
export function decodeEvent(channel: string, payload: Buffer | string, maxBytes: number): DecodeResult {
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (bytes > maxBytes) return { kind: 'rejected', reason: 'oversized', detail: `${bytes} bytes, limit ${maxBytes}` };
  let data: unknown;
  try {
    data = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch (error) {
    return {
      kind: 'rejected',
      reason: 'malformed',
      detail: `not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const base = BaseEventSchema.safeParse(data);
  if (!base.success) return { kind: 'rejected', reason: 'invalid', detail: describeIssues(base.error) };
  const type = base.data.event_type;
  if (!isKnownEventType(type))
    return { kind: 'rejected', reason: 'unknown-type', detail: `event_type ${type} has no schema` };
  if (type !== channel)
    return { kind: 'rejected', reason: 'wrong-channel', detail: `event_type ${type} published on ${channel}` };
  const parsed = EVENT_SCHEMAS[type].safeParse(data);
  if (!parsed.success) return { kind: 'rejected', reason: 'invalid', detail: describeIssues(parsed.error) };
  return { kind: 'event', event: parsed.data };
}
