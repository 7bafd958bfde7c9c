import { describe, expect, it } from 'vitest';
import { CACHE_FULL, cacheFullDecreasePoints, cacheFullMaxmemory } from '../shared-readings.ts';
import { fillSuccessPercent, firstIndexAt, hitRatePercent, median, unlimitedHitRatio } from './hit-rate-figures.ts';
import { accelerationFor, roundDownTwoDigits } from './hit-rate-setup.ts';
import { trialOrder } from './hit-rate-trials.ts';
import { ACCESS_HIT, ACCESS_MISS_FILLED, ACCESS_MISS_FILL_FAILED, ACCESS_NOT_SENT } from './trace-replay.ts';

const [F, H, X, N] = [ACCESS_MISS_FILLED, ACCESS_HIT, ACCESS_MISS_FILL_FAILED, ACCESS_NOT_SENT];

describe('hit-rate figures', () => {
  it('counts from the first lookup after the warm-up', () => {
    const times = Float64Array.from([0, 100, 100, 250, 400]);
    expect(firstIndexAt(times, 100)).toBe(1);
    expect(firstIndexAt(times, 101)).toBe(3);
    expect(firstIndexAt(times, 500)).toBe(5);
  });

  it('gives the hit rate and the accepted fills of the lookups sent after the warm-up', () => {
    const outcomes = Uint8Array.from([F, F, H, H, F, H, X, N]);
    expect(hitRatePercent(outcomes, 2)).toBe(60);
    expect(fillSuccessPercent(outcomes, 2)).toBe(50);
    expect(fillSuccessPercent(Uint8Array.from([H, H]), 0)).toBeNaN();
    expect(hitRatePercent(Uint8Array.from([N]), 0)).toBeNaN();
  });

  it('models an unlimited cache-aside cache: a hit needs a fill younger than the TTL, and does not renew it', () => {
    const trace = {
      keySpace: 2,
      keys: Int32Array.from([0, 0, 0, 1, 0]),
      timesMs: Float64Array.from([0, 5, 9, 10, 12]),
    };
    // Key 0 filled at 0 (TTL 10): hits at 5 and 9, miss (expired) at 12; key 1's first lookup misses.
    expect(unlimitedHitRatio(trace, 10, 0)).toBeCloseTo(2 / 5, 12);
    expect(unlimitedHitRatio(trace, 10, 9)).toBeCloseTo(1 / 3, 12);
  });

  it('takes the median of the finite values', () => {
    expect(median([3, 1, Number.NaN, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('paces the clock at the headroom share of the calibrated rate, rounded down to two digits', () => {
    expect(roundDownTwoDigits(8_437)).toBe(8_400);
    expect(roundDownTwoDigits(19.7)).toBe(19);
    // 80,000 lookups/s unpaced, half of it, 5 lookups per simulated second: 8,000 simulated s per real s.
    expect(accelerationFor(80_000, 5, 0.5)).toBe(8_000);
    expect(accelerationFor(84_370, 5, 0.5)).toBe(8_400);
    expect(accelerationFor(1, 5, 0.5)).toBe(1);
  });

  it('alternates the variants from one trial to the next', () => {
    expect(trialOrder(0, false)).toEqual(['document', 'full']);
    expect(trialOrder(1, false)).toEqual(['full', 'document']);
    expect(trialOrder(3, true)).toEqual(['full', 'unlimited', 'document']);
  });
});

describe('the shared cache-full definition', () => {
  it('sizes maxmemory at the stated share of the working set above the empty instance', () => {
    const workingSet = { baselineUsedMemory: 1_000_000, usedMemoryPerKey: 5_000, distinctKeys: 2_000 };
    expect(CACHE_FULL.workingSetFraction).toBe(0.5);
    expect(CACHE_FULL.policy).toBe('volatile-lru');
    expect(cacheFullMaxmemory(workingSet)).toBe(1_000_000 + 0.5 * 2_000 * 5_000);
    expect(cacheFullMaxmemory(workingSet, 0.1)).toBe(2_000_000);
  });

  it('gives the decrease as unlimited minus full, in percentage points', () => {
    expect(cacheFullDecreasePoints(82.5, 79)).toBe(3.5);
    expect(cacheFullDecreasePoints(70, 71)).toBe(-1);
  });
});
