import { describe, expect, it } from 'vitest';
import { decodeBenchMessage, encodeBenchMessage } from './bench-message.ts';
import { SequenceTracker } from './sequence-tracker.ts';

describe('SequenceTracker', () => {
  it('counts arrivals, duplicates, reordering and gaps per publisher', () => {
    const t = new SequenceTracker();
    for (const seq of [0, 1, 3, 2, 3, 5]) t.record(7, seq);
    t.record(8, 0);
    expect({ received: t.received, duplicates: t.duplicates, reordered: t.reordered }).toEqual({
      received: 6,
      duplicates: 1,
      reordered: 1,
    });
    expect(t.missing(7, 0, 7)).toEqual([4, 6]);
    expect(t.missing(8, 0, 2)).toEqual([1]);
  });

  it('interleaved publishers are not reordering', () => {
    const t = new SequenceTracker();
    for (const [p, s] of [
      [1, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 2],
      [2, 2],
    ] as const)
      t.record(p, s);
    expect(t.reordered).toBe(0);
  });

  it('grows past its first allocation', () => {
    const t = new SequenceTracker();
    t.record(0, 100_000);
    t.record(0, 5);
    expect(t.has(0, 100_000)).toBe(true);
    expect(t.reordered).toBe(1);
  });
});

describe('bench message', () => {
  it('round-trips and pads to the exact size', () => {
    const payload = encodeBenchMessage(3, 42, 256, 123_456_789);
    expect(payload).toHaveLength(256);
    expect(decodeBenchMessage(Buffer.from(payload))).toEqual({ publisher: 3, seq: 42, sentNs: 123_456_789 });
  });

  it.each(['', 'hello', '{"event_type":"x"}', 'a:b:c:', '1:-1:5:'])('refuses the foreign payload %j', (payload) => {
    expect(decodeBenchMessage(payload)).toBeNull();
  });
});
