import { describe, expect, it } from 'vitest';
import { SendTimeInversions } from './send-time-inversions.ts';

describe('SendTimeInversions', () => {
  it('counts nothing when events arrive in send order', () => {
    const watch = new SendTimeInversions();
    for (const sentNs of [1, 2, 2, 5, 9]) expect(watch.observe(sentNs)).toBe(false);
    expect(watch.count).toBe(0);
  });

  it('counts each arrival sent before the latest one already seen, and keeps that latest', () => {
    const watch = new SendTimeInversions();
    // Publisher A sends at 10 and 30, publisher B at 20 and 25; B's events arrive after A's 30.
    expect([10, 30, 20, 25, 40].map((sentNs) => watch.observe(sentNs))).toEqual([false, false, true, true, false]);
    expect(watch.count).toBe(2);
  });
});
