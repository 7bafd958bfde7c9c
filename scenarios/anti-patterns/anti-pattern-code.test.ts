import { afterEach, describe, expect, it } from 'vitest';
import { PriceWriter } from './mutable-data-trial.ts';
import { OrderService, parseOrder, postOrder } from './order-service.ts';
import { CountingLog, guardedSet, isRedisError } from './silent-exceptions-trial.ts';
import { createRateLimitedLogger } from '../../src/logger.ts';

const connectionError = (): Error => new Error("Stream isn't writeable and enableOfflineQueue options is false");

describe('guardedSet', () => {
  it('the bare except swallows every failure and writes nothing', async () => {
    const log = new CountingLog();
    for (let i = 0; i < 5; i++) await guardedSet('bare-except', () => Promise.reject(connectionError()), `S${i}`, log);
    await guardedSet('bare-except', () => Promise.reject(new TypeError('a bug')), 'S', log);
    expect(log.lines).toBe(0);
  });

  it("the document's handler logs each Redis failure with the symbol, and lets a bug through", async () => {
    const log = new CountingLog();
    for (let i = 0; i < 3; i++) await guardedSet('logged', () => Promise.reject(connectionError()), `S${i}`, log);
    expect(log.lines).toBe(3);
    expect(log.sample).toMatch(/^Cache SET failed for S0: Stream isn't writeable/);
    await expect(guardedSet('logged', () => Promise.reject(new TypeError('a bug')), 'S', log)).rejects.toThrow('a bug');
    await guardedSet('logged', () => Promise.resolve(), 'S', log);
    expect(log.lines).toBe(3);
  });

  it('through the rate-limited logger, lines plus suppressed counts account for every failure once closed', async () => {
    const log = new CountingLog();
    let now = 0;
    const logger = createRateLimitedLogger(log, { clock: () => now, kindOf: () => 'connection' });
    for (let i = 0; i < 10; i++) {
      now += 1;
      await guardedSet('logged', () => Promise.reject(connectionError()), `S${i}`, logger);
    }
    logger.close();
    expect(log.lines).toBe(2);
    expect(log.lines + log.suppressed).toBe(10);
  });

  it('reads ioredis connection and timeout errors as Redis errors, a TypeError not', () => {
    expect(isRedisError(connectionError())).toBe(true);
    expect(isRedisError(new Error('Command timed out'))).toBe(true);
    expect(isRedisError(new TypeError('x is undefined'))).toBe(false);
  });
});

describe('PriceWriter', () => {
  it('moves the version with each tick and knows since when a version is superseded', async () => {
    const writer = new PriceWriter(1);
    expect(writer.current().version).toBe(0);
    writer.tick();
    const afterFirst = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, 5));
    writer.tick();
    expect(writer.version).toBe(2);
    expect(writer.supersededForMs(2, process.hrtime.bigint())).toBe(0);
    expect(writer.supersededForMs(0, process.hrtime.bigint())).toBeGreaterThanOrEqual(4);
    expect(writer.supersededForMs(0, afterFirst)).toBeLessThan(1);
  });
});

describe('OrderService', () => {
  let service: OrderService | undefined;
  afterEach(async () => {
    await service?.close();
  });

  it('executes and confirms a POSTed order, and refuses an invalid one', async () => {
    service = await OrderService.start();
    const order = { order_id: 'o-1', symbol: 'AAPL', side: 'buy', qty: 10 } as const;
    expect(await postOrder(service.url, order, new AbortController().signal)).toBe(true);
    expect(service.ledger.has('o-1')).toBe(true);
    expect(await postOrder(service.url, { ...order, order_id: '' }, new AbortController().signal)).toBe(false);
    expect(service.ledger.size).toBe(1);
  });

  it('parses only complete orders', () => {
    expect(parseOrder('{"order_id":"a","symbol":"X","side":"sell","qty":1}')?.order_id).toBe('a');
    expect(parseOrder('{"order_id":"a","symbol":"X","side":"hold","qty":1}')).toBeNull();
    expect(parseOrder('not json')).toBeNull();
  });
});
