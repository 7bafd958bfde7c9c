import { describe, expect, it } from 'vitest';
import { medianPairedGainPercent } from './paired-gain.ts';

describe('medianPairedGainPercent', () => {
  it('takes the median of the per-pair gains, skipping empty baselines', () => {
    const pairs = [
      { before: 10, after: 5 },
      { before: 10, after: 8 },
      { before: 20, after: 2 },
      { before: 0, after: 1 },
    ];
    expect(medianPairedGainPercent(pairs)).toBe(50);
    expect(medianPairedGainPercent([])).toBeNaN();
  });
});
