import { describe, expect, it } from 'vitest';
import { medianInterval, medianOf } from './median-interval.ts';

describe('medianOf', () => {
  it('takes the middle value or the mean of the two middle values', () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(() => medianOf([])).toThrow(RangeError);
  });
});

describe('medianInterval', () => {
  it('uses min and max for 5 trials, whose coverage is 1 - 2/32', () => {
    const ci = medianInterval([5, 1, 4, 2, 3]);
    expect(ci).toEqual({ median: 3, low: 1, high: 5, coverage: 1 - 2 / 32, trials: 5 });
  });

  it('narrows the interval when there are enough trials and keeps coverage >= 95%', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    const ci = medianInterval(values);
    expect(ci.coverage).toBeGreaterThanOrEqual(0.95);
    expect(ci.low).toBeGreaterThan(1);
    expect(ci.high).toBeLessThan(20);
    // For n = 20 the classic 95% interval is (x(6), x(15)).
    expect([ci.low, ci.high]).toEqual([6, 15]);
  });

  it('ignores non-finite values and rejects an all-NaN list', () => {
    expect(medianInterval([Number.NaN, 2, 4, 6]).median).toBe(4);
    expect(() => medianInterval([Number.NaN])).toThrow(RangeError);
  });
});
