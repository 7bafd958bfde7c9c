import { describe, expect, it } from 'vitest';
import { trialOrder } from './trial-order.ts';

describe('trialOrder', () => {
  const variants = ['a', 'b', 'c', 'd'];

  it('visits every variant once per trial, the same order for the same seed and trial', () => {
    const order = trialOrder(variants, 42, 'pubsub-x', 3);
    expect([...order].sort()).toEqual(variants);
    expect(trialOrder(variants, 42, 'pubsub-x', 3)).toEqual(order);
    expect(variants).toEqual(['a', 'b', 'c', 'd']);
  });

  it('changes the order from trial to trial, so no variant always comes first', () => {
    const firsts = new Set(Array.from({ length: 12 }, (_, trial) => trialOrder(variants, 42, 'pubsub-x', trial)[0]));
    expect(firsts.size).toBeGreaterThan(1);
  });
});
