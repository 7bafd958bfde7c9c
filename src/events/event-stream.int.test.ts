import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalEvent } from '../test-support/signal-event.ts';
import type { TestRedis } from '../test-support/start-redis.ts';
import { startTestRedis } from '../test-support/start-redis.ts';
import { decodeEvent } from './event-decoder.ts';
import type { SignalEvent } from './event-schemas.ts';
import { EventStream, streamKey } from './event-stream.ts';

const numbers = (payloads: readonly { payload: string }[]): number[] =>
  payloads.map(({ payload }) => {
    const decoded = decodeEvent('signals.generated', payload, 4096);
    if (decoded.kind !== 'event') throw new Error(`bad entry: ${decoded.detail}`);
    return (decoded.event as SignalEvent).num_signals;
  });

describe('EventStream against a real Redis', () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  const client = (): Redis => {
    const c = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    c.on('error', () => {});
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });

  it('recovers the pending entries of a consumer that died before acknowledging them (XAUTOCLAIM)', async () => {
    const key = streamKey('signals.generated');
    const producer = new EventStream(client(), key);
    const dying = new EventStream(client(), key);
    const survivor = new EventStream(client(), key);
    await producer.createGroup('orchestrators', '0');
    for (let n = 1; n <= 6; n++) await producer.appendEvent(signalEvent(n));
    // The first consumer takes 4 entries, acknowledges 1, then its process dies.
    const taken = await dying.readGroup('orchestrators', 'c-dead', 4, 0);
    expect(numbers(taken)).toEqual([1, 2, 3, 4]);
    await dying.ack('orchestrators', [taken[0]!.id]);
    clients[1]!.disconnect();
    // The survivor reads what is new; the dead one's 3 unacknowledged entries stay pending.
    expect(numbers(await survivor.readGroup('orchestrators', 'c-live', 10, 0))).toEqual([5, 6]);
    expect(await survivor.pendingCount('orchestrators')).toBe(5);
    // Not idle long enough yet: nothing is claimed from a consumer that may still be working.
    expect(await survivor.claimStale('orchestrators', 'c-live', 60_000, 100)).toEqual([]);
    await new Promise((r) => setTimeout(r, 150));
    const recovered = await survivor.claimStale('orchestrators', 'c-live', 100, 100);
    // c-live's own 5 and 6 are idle too and claimed again: a claimer must skip what it already holds.
    expect(numbers(recovered).filter((n) => n <= 4)).toEqual([2, 3, 4]);
    await survivor.ack(
      'orchestrators',
      recovered.map((e) => e.id),
    );
    expect(await survivor.pendingCount('orchestrators')).toBe(0);
  });

  it('replays from an entry ID and from a timestamp', async () => {
    const stream = new EventStream(client(), streamKey('replay.test'));
    const ids: string[] = [];
    for (let n = 1; n <= 3; n++) ids.push(await stream.append(JSON.stringify({ n })));
    await new Promise((r) => setTimeout(r, 20));
    const middle = new Date();
    await new Promise((r) => setTimeout(r, 20));
    for (let n = 4; n <= 5; n++) ids.push(await stream.append(JSON.stringify({ n })));
    expect((await stream.replayFromId(ids[1]!, 100)).map((e) => JSON.parse(e.payload).n)).toEqual([2, 3, 4, 5]);
    expect((await stream.replayFromTime(middle, 100)).map((e) => JSON.parse(e.payload).n)).toEqual([4, 5]);
    expect(() => stream.replayFromTime(new Date('nope'), 10)).toThrow(RangeError);
  });

  it('trims with MAXLEN ~: the stream stays near its cap, never below it', async () => {
    const stream = new EventStream(client(), streamKey('trim.test'), { maxLen: 100 });
    const pipeline = [];
    for (let n = 0; n < 1_000; n++) pipeline.push(stream.append(JSON.stringify({ n })));
    await Promise.all(pipeline);
    const length = await stream.length();
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(1_000);
  });

  it('refuses an event that does not match its schema before any XADD', async () => {
    const stream = new EventStream(client(), streamKey('signals.generated.bad'));
    await expect(stream.appendEvent({ ...signalEvent(1), timestamp: '2025-01-18T09:00:00' })).rejects.toThrow(/UTC/);
    expect(await stream.length()).toBe(0);
  });
});
