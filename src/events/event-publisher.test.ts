import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../logger.ts';
import { EventPublisher } from './event-publisher.ts';
import type { SignalEvent, TradingEvent } from './event-schemas.ts';

const EVENT: SignalEvent = {
  event_type: 'signals.generated',
  timestamp: '2025-01-18T09:00:00+00:00',
  strategy_id: 'alpha_baseline',
  symbols: ['AAPL', 'MSFT'],
  num_signals: 2,
  as_of_date: '2025-01-17',
};

function fakeClient(reply: () => Promise<number>): { client: Redis; sent: [string, string][] } {
  const sent: [string, string][] = [];
  const client = {
    publish: (channel: string, message: string) => {
      sent.push([channel, message]);
      return reply();
    },
  } as unknown as Redis;
  return { client, sent };
}

function logLines(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string, fields?: object) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

describe('EventPublisher', () => {
  it('publishes on the channel named by the event type and returns and logs the subscriber count', async () => {
    const { client, sent } = fakeClient(async () => 3);
    const logger = logLines();
    const publisher = new EventPublisher(client, { logger });
    expect(await publisher.publishSignalEvent(EVENT)).toBe(3);
    expect(sent).toEqual([['signals.generated', JSON.stringify(EVENT)]]);
    expect(logger.lines.join('\n')).toContain('Published signals.generated to 3 subscribers');
    expect(publisher.stats()).toEqual({ published: 1, noSubscribers: 0, failed: 0, invalid: 0 });
  });

  it('counts a publish nobody listened to', async () => {
    const publisher = new EventPublisher(fakeClient(async () => 0).client);
    expect(await publisher.publish(EVENT)).toBe(0);
    expect(publisher.stats().noSubscribers).toBe(1);
  });

  it('never fails the caller when Redis fails: resolves to null, logs and counts', async () => {
    const logger = logLines();
    const publisher = new EventPublisher(
      fakeClient(async () => {
        throw new Error('Connection is closed.');
      }).client,
      { logger },
    );
    await expect(publisher.publish(EVENT)).resolves.toBeNull();
    expect(publisher.stats().failed).toBe(1);
    expect(logger.lines.some((l) => l.startsWith('warn') && l.includes('Connection is closed.'))).toBe(true);
  });

  it('refuses an event that does not match its schema without sending it', async () => {
    const { client, sent } = fakeClient(async () => 1);
    const publisher = new EventPublisher(client);
    expect(await publisher.publish({ ...EVENT, timestamp: '2025-01-18T10:00:00+01:00' })).toBeNull();
    expect(await publisher.publish({ ...EVENT, event_type: 'trades.cancelled' } as unknown as TradingEvent)).toBeNull();
    expect(sent).toEqual([]);
    expect(publisher.stats().invalid).toBe(2);
  });
});
