import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { energyStatistic, findChangePoints, relativeNoise, studentTTestPValue } from './change-points.ts';

describe("Student's t-test", () => {
  it('gives the textbook p-value for two samples 5 apart (t = -5, 8 degrees of freedom)', () => {
    expect(studentTTestPValue([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeCloseTo(0.001053, 5);
  });

  it('gives p = 1 for equal samples and p = 0 for constant samples that differ', () => {
    expect(studentTTestPValue([3, 3, 3], [3, 3])).toBe(1);
    expect(studentTTestPValue([3, 3, 3], [4, 4])).toBe(0);
  });
});

describe('E-divisive means with a t-test', () => {
  it('puts the split of a step where the step is', () => {
    const series = [10, 10.2, 9.9, 10.1, 10, 9.8, 10.1, 10, 13, 13.2, 12.9, 13.1];
    const at = [...Array(series.length - 3).keys()].map((i) => i + 2);
    const best = at.reduce((a, b) => (energyStatistic(series, b) > energyStatistic(series, a) ? b : a));
    expect(best).toBe(8);
    const [change, ...rest] = findChangePoints(series);
    expect(rest).toEqual([]);
    expect(change!.index).toBe(8);
    expect(change!.relativeChange).toBeCloseTo(0.3, 1);
  });

  it('finds two steps and none in a flat series', () => {
    const series = [5, 5.1, 4.9, 5, 5.1, 8, 8.1, 7.9, 8, 8.1, 2, 2.1, 1.9, 2, 2.1];
    expect(findChangePoints(series).map((c) => c.index)).toEqual([5, 10]);
    expect(findChangePoints([5, 5.1, 4.9, 5, 5.1, 5, 4.9, 5.1])).toEqual([]);
  });

  it('flags about 1% of noise series at p = 0.001 on its own (the best split of many has an optimistic p-value)', () => {
    // Why the check divides maxPValue over metrics and splits (history-check.ts, splitPValue).
    const rng = new SeededRandom(11);
    let flagged = 0;
    for (let i = 0; i < 2000; i++) {
      const series = Array.from({ length: 12 }, () => 10 * Math.exp(0.3 * rng.nextGaussian()));
      if (findChangePoints(series).length > 0) flagged += 1;
    }
    expect(flagged / 2000).toBeGreaterThan(0.001);
    expect(flagged / 2000).toBeLessThan(0.02);
  });

  it('finds a change that went away again (up at 4, back at 8)', () => {
    const series = [1, 1.1, 0.9, 1, 2, 2.1, 1.9, 2, 1, 1.1, 0.9, 1];
    expect(findChangePoints(series).map((c) => c.index)).toEqual([4, 8]);
  });
});

describe('relativeNoise', () => {
  it('measures the spread around each segment, so a step is not noise', () => {
    const series = [10, 10.2, 9.8, 10, 20, 20.2, 19.8, 20];
    expect(relativeNoise(series, findChangePoints(series))).toBeLessThan(0.02);
    expect(relativeNoise(series, [])).toBeGreaterThan(0.3);
  });
});
