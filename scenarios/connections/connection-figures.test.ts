import { describe, expect, it } from 'vitest';
import { connectionOverheadMs } from './connection-figures.ts';

describe('connectionOverheadMs', () => {
  it('is the median of the paired differences, in ms', () => {
    const pairs = [
      { newConnectionNs: 1_500_000, sharedClientNs: 500_000 },
      { newConnectionNs: 3_000_000, sharedClientNs: 1_000_000 },
      { newConnectionNs: 900_000, sharedClientNs: 400_000 },
    ];
    // Differences 1.0, 2.0 and 0.5 ms: the median is 1.0, not the difference of the medians (1.5 - 0.5).
    expect(connectionOverheadMs(pairs)).toBe(1);
  });

  it('keeps a negative difference (a new connection that happened to be faster)', () => {
    expect(connectionOverheadMs([{ newConnectionNs: 100_000, sharedClientNs: 300_000 }])).toBeCloseTo(-0.2, 12);
  });

  it('is NaN for a round without a complete pair', () => {
    expect(connectionOverheadMs([])).toBeNaN();
    expect(connectionOverheadMs([{ newConnectionNs: Number.NaN, sharedClientNs: 1 }])).toBeNaN();
  });
});
