import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { pairedImprovementPercent, roundFigures, windowRequests } from './mix-example.ts';

const ms = (v: number): number => v * 1e6;

describe('the 80%-hit example figures of a round', () => {
  it("reproduces the document's arithmetic: 250 ms without a cache, 70 ms with it, 72% faster", () => {
    const figures = roundFigures([{ noCacheNs: ms(250), withCacheNs: ms(70) }]);
    expect(figures.noCacheMs).toBe(250);
    expect(figures.withCacheMs).toBe(70);
    expect(figures.improvement).toBeCloseTo(72, 10);
  });

  it('takes the improvement per pair, so a slowdown of both requests of a pair cancels', () => {
    const calm = { noCacheNs: ms(2), withCacheNs: ms(1) };
    const busy = { noCacheNs: ms(6), withCacheNs: ms(3) };
    const figures = roundFigures([calm, busy, busy]);
    expect(figures.improvement).toBeCloseTo(50, 10);
    expect(figures.noCacheMs).toBe(6);
    expect(figures.withCacheMs).toBe(3);
  });

  it('is the median of the pairs, not the improvement of the two medians', () => {
    const pairs = [
      { noCacheNs: 100, withCacheNs: 40 }, // 60%
      { noCacheNs: 200, withCacheNs: 100 }, // 50%
      { noCacheNs: 300, withCacheNs: 90 }, // 70%
    ];
    // Medians 200 and 90 would say 55%.
    expect(pairedImprovementPercent(pairs)).toBeCloseTo(60, 10);
  });

  it('gives NaN figures (a failed trial) for a round without a pair', () => {
    expect(roundFigures([])).toEqual({ noCacheMs: Number.NaN, withCacheMs: Number.NaN, improvement: Number.NaN });
  });
});

describe('windowRequests', () => {
  const symbols = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

  it('slides a window of 5 one symbol at a time: 4 symbols of each request are the last 4 of the one before', () => {
    const requests = windowRequests(symbols, '2025-01-17', 6, SeededRandom.forKey(1, 'test'));
    expect(requests).toHaveLength(6);
    for (const [i, request] of requests.entries()) {
      expect(request.date).toBe('2025-01-17');
      expect(new Set(request.symbols).size).toBe(5);
      if (i > 0) expect(request.symbols.slice(0, 4)).toEqual(requests[i - 1]!.symbols.slice(1));
    }
  });

  it('wraps around a short symbol list and draws another order from another random stream', () => {
    const requests = windowRequests(symbols, '2025-01-17', 12, SeededRandom.forKey(1, 'test'));
    for (const request of requests) expect(new Set(request.symbols).size).toBe(5);
    const other = windowRequests(symbols, '2025-01-17', 1, SeededRandom.forKey(2, 'test'));
    expect(other[0]!.symbols).not.toEqual(requests[0]!.symbols);
  });
});
