import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../logger.ts';
import { LinearModel } from '../signals/linear-model.ts';
import { SignalGenerator } from '../signals/signal-generator.ts';
import { signalEvent } from '../test-support/signal-event.ts';
import type { TestRedis } from '../test-support/start-redis.ts';
import { startTestRedis } from '../test-support/start-redis.ts';
import { emptySeries } from '../test-support/test-markets.ts';
import { EventPublisher } from './event-publisher.ts';
import type { SignalEvent, TradingEvent } from './event-schemas.ts';
import { utcNow } from './event-schemas.ts';
import { EventSubscriber } from './event-subscriber.ts';
import { createSignalOrchestrator } from './signal-orchestrator.ts';

function logLines(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string, fields?: object) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('EventSubscriber against a real Redis', () => {
  let server: TestRedis;
  let publisherClient: Redis;
  const subscribers: EventSubscriber[] = [];
  beforeAll(async () => {
    server = await startTestRedis();
    publisherClient = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    publisherClient.on('error', () => {});
  });
  afterEach(() => {
    for (const s of subscribers.splice(0)) s.close();
  });
  afterAll(async () => {
    publisherClient?.disconnect();
    await server?.stop();
  });

  it('logs and counts malformed, unknown, wrong-channel and oversized messages with their channel, and keeps delivering', async () => {
    const received: TradingEvent[] = [];
    const logger = logLines();
    const subscriber = new EventSubscriber(server.url, {
      channels: ['signals.generated', 'trades.cancelled'],
      maxMessageBytes: 512,
      logger,
      onEvent: (e) => void received.push(e),
    });
    subscribers.push(subscriber);
    await subscriber.start();
    const publisher = new EventPublisher(publisherClient);
    await publisher.publish(signalEvent(1));
    await publisherClient.publish('signals.generated', '{not json');
    await publisherClient.publish(
      'signals.generated',
      JSON.stringify({ ...signalEvent(2), timestamp: '2025-01-18T10:00:00+01:00' }),
    );
    await publisherClient.publish(
      'trades.cancelled',
      JSON.stringify({ event_type: 'trades.cancelled', timestamp: utcNow() }),
    );
    await publisherClient.publish(
      'signals.generated',
      JSON.stringify({ event_type: 'models.reloaded', timestamp: utcNow(), model_name: 'm', model_version: '1' }),
    );
    await publisherClient.publish(
      'signals.generated',
      JSON.stringify({ ...signalEvent(3), strategy_id: 'x'.repeat(600) }),
    );
    await publisher.publish(signalEvent(4));
    await until(() => subscriber.stats().received === 7, 'all 7 messages');
    expect(received.map((e) => (e as SignalEvent).num_signals)).toEqual([1, 4]);
    expect(subscriber.stats()).toMatchObject({
      received: 7,
      delivered: 2,
      rejected: { malformed: 1, invalid: 1, 'unknown-type': 1, 'wrong-channel': 1, oversized: 1 },
    });
    const refusals = logger.lines.filter((l) => l.includes('Event message refused'));
    expect(refusals).toHaveLength(5);
    expect(refusals.filter((l) => l.includes('"channel":"signals.generated"'))).toHaveLength(4);
    expect(refusals.some((l) => l.includes('"channel":"trades.cancelled"'))).toBe(true);
  });

  it('survives a handler that throws: the error is counted and later events still arrive', async () => {
    let calls = 0;
    const subscriber = new EventSubscriber(server.url, {
      channels: ['signals.generated'],
      onEvent: () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
      },
    });
    subscribers.push(subscriber);
    await subscriber.start();
    const publisher = new EventPublisher(publisherClient);
    await publisher.publish(signalEvent(1));
    await publisher.publish(signalEvent(2));
    await until(() => calls === 2, 'two handler calls');
    expect(subscriber.stats().handlerErrors).toBe(1);
  });

  it('the orchestrator on signals.* reacts to the SignalEvent SignalGenerator publishes after each generation', async () => {
    const reactions: SignalEvent[] = [];
    const orchestrator = createSignalOrchestrator(server.url, { react: (e) => void reactions.push(e) });
    subscribers.push(orchestrator);
    await orchestrator.start();
    const generator = new SignalGenerator({
      model: new LinearModel({
        name: 'alpha_baseline',
        version: '1',
        featureNames: ['a'],
        weights: Float64Array.from([1]),
        bias: 0,
      }),
      market: {
        readSeries: async (symbol) => emptySeries(symbol),
      },
      featureCache: null,
      computeFeatures: () => Float64Array.from([0.5]),
      events: new EventPublisher(publisherClient),
    });
    const batch = await generator.generate(['AAPL', 'MSFT'], '2025-01-17');
    await until(() => reactions.length === 1, 'the orchestrator reaction');
    expect(reactions[0]).toMatchObject({
      event_type: 'signals.generated',
      strategy_id: 'alpha_baseline',
      symbols: ['AAPL', 'MSFT'],
      num_signals: 2,
      as_of_date: '2025-01-17',
    });
    expect(batch.signals).toHaveLength(2);
  });
});

describe('EventSubscriber after Redis restarts', () => {
  let first: TestRedis | undefined;
  let second: TestRedis | undefined;
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  it('subscribes again by itself and receives events published after the restart', async () => {
    first = await startTestRedis();
    const port = first.port;
    const received: number[] = [];
    const subscriber = new EventSubscriber(first.url, {
      patterns: ['signals.*'],
      reconnectMaxDelayMs: 200,
      onEvent: (e) => void received.push((e as SignalEvent).num_signals),
    });
    const publisherClient = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    publisherClient.on('error', () => {});
    try {
      await subscriber.start();
      const publisher = new EventPublisher(publisherClient);
      expect(await publisher.publish(signalEvent(1))).toBe(1);
      await until(() => received.length === 1, 'the event before the restart');
      await first.kill();
      // During the outage a publish fails without throwing: counted, not lost silently.
      expect(await publisher.publish(signalEvent(2))).toBeNull();
      // The same port again: a later --port wins over the helper's own.
      second = await startTestRedis({ args: ['--port', String(port)] });
      await subscriber.waitForSubscriptions(2);
      await until(() => publisherClient.status === 'ready', 'the publisher to reconnect');
      expect(await publisher.publish(signalEvent(3))).toBe(1);
      await until(() => received.length === 2, 'the event after the restart');
      expect(received).toEqual([1, 3]);
      expect(subscriber.stats().subscriptions).toBe(2);
      expect(publisher.stats().failed).toBe(1);
    } finally {
      subscriber.close();
      publisherClient.disconnect();
    }
  });
});
