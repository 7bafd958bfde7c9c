import { describe, expect, it } from 'vitest';
import { decodeEvent } from './event-decoder.ts';
import { OrderEventSchema, SignalEventSchema, utcNow, utcTimestamp } from './event-schemas.ts';

/** The document's example SignalEvent, verbatim. */
const DOC_EXAMPLE = {
  event_type: 'signals.generated',
  timestamp: '2025-01-18T09:00:00+00:00',
  strategy_id: 'alpha_baseline',
  symbols: ['AAPL', 'MSFT', 'GOOGL'],
  num_signals: 3,
  as_of_date: '2025-01-17',
};

describe('event schemas', () => {
  it("accepts the document's SignalEvent example", () => {
    expect(SignalEventSchema.parse(DOC_EXAMPLE)).toEqual(DOC_EXAMPLE);
  });

  it.each(['2025-01-18T09:00:00Z', '2025-01-18T09:00:00.123Z', '2025-01-18T09:00:00.123456+00:00'])(
    'accepts the UTC timestamp %s',
    (ts) => {
      expect(utcTimestamp.safeParse(ts).success).toBe(true);
    },
  );

  it.each([
    ['an offset other than UTC', '2025-01-18T10:00:00+01:00'],
    ['no offset (local time)', '2025-01-18T09:00:00'],
    ['-00:00 (unknown offset)', '2025-01-18T09:00:00-00:00'],
    ['a date only', '2025-01-18'],
    ['an impossible date', '2025-02-30T09:00:00Z'],
    ['an impossible hour', '2025-01-18T25:00:00Z'],
  ])('rejects %s', (_what, ts) => {
    const result = SignalEventSchema.safeParse({ ...DOC_EXAMPLE, timestamp: ts });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('UTC');
  });

  it('utcNow writes what the schema accepts, with the +00:00 suffix of Python isoformat()', () => {
    const now = utcNow(new Date('2025-01-18T09:00:00.000Z'));
    expect(now).toBe('2025-01-18T09:00:00.000+00:00');
    expect(utcTimestamp.safeParse(utcNow()).success).toBe(true);
  });

  it('rejects an OrderEvent with a side other than buy or sell and a non-positive quantity', () => {
    const result = OrderEventSchema.safeParse({
      event_type: 'orders.executed',
      timestamp: '2025-01-18T09:00:00Z',
      order_id: 'o1',
      strategy_id: 's',
      symbol: 'AAPL',
      side: 'hold',
      qty: 0,
      price: 10,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual(['qty', 'side']);
  });
});

describe('decodeEvent', () => {
  const channel = 'signals.generated';
  it('decodes a valid event', () => {
    const result = decodeEvent(channel, Buffer.from(JSON.stringify(DOC_EXAMPLE)), 1024);
    expect(result).toEqual({ kind: 'event', event: DOC_EXAMPLE });
  });

  it.each([
    ['malformed', 'not json {'],
    ['invalid', JSON.stringify({ ...DOC_EXAMPLE, num_signals: -1 })],
    ['invalid', JSON.stringify({ hello: 'world' })],
    ['unknown-type', JSON.stringify({ ...DOC_EXAMPLE, event_type: 'trades.cancelled' })],
    [
      'wrong-channel',
      JSON.stringify({ ...DOC_EXAMPLE, event_type: 'models.reloaded', model_name: 'm', model_version: '1' }),
    ],
    ['oversized', JSON.stringify({ ...DOC_EXAMPLE, strategy_id: 'x'.repeat(2000) })],
  ])('refuses a message as %s, with a reason', (reason, payload) => {
    const result = decodeEvent(channel, payload, 1024);
    expect(result.kind).toBe('rejected');
    if (result.kind === 'rejected') {
      expect(result.reason).toBe(reason);
      expect(result.detail.length).toBeGreaterThan(0);
    }
  });
});
