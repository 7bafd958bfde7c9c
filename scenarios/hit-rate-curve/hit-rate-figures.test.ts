import { describe, expect, it } from 'vitest';
import { pairwiseDifference, segmentFillSuccess, segmentHitRates } from './hit-rate-figures.ts';

describe('hit-rate trials', () => {
  // 0 miss filled, 1 hit, 2 miss whose fill failed
  const outcomes = Uint8Array.from([0, 0, 1, 1, 0, 1, 1, 1, 2, 1, 0, 2]);
  it('cuts the counted accesses into equal segments', () => {
    expect(segmentHitRates(outcomes, 4, 2)).toEqual([75, 25]);
  });
  it('gives the share of fills that succeeded per segment', () => {
    expect(segmentFillSuccess(outcomes, 4, 2)).toEqual([100, 100 / 3]);
    expect(segmentFillSuccess(Uint8Array.from([1, 1]), 0, 1)[0]).toBeNaN();
  });
  it('subtracts per segment', () => {
    expect(pairwiseDifference([80, 70], [75, 72])).toEqual([5, -2]);
  });
});
