import { describe, expect, it } from 'vitest';
import { firstDifference, maxErrors, sameFloat, vectorHash } from './vector-bits.ts';

describe('vector bits', () => {
  it('tells -0 from 0 and treats every NaN as the same', () => {
    expect(sameFloat(0, -0)).toBe(false);
    expect(sameFloat(Number.NaN, Number.NaN)).toBe(true);
    const otherNaN = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer)[0]!;
    expect(sameFloat(Number.NaN, otherNaN)).toBe(true);
    expect(vectorHash(Float64Array.of(1, Number.NaN))).toBe(vectorHash(Float64Array.of(1, otherNaN)));
    expect(vectorHash(Float64Array.of(0))).not.toBe(vectorHash(Float64Array.of(-0)));
  });

  it('finds the first difference, one ulp included', () => {
    const a = Float64Array.of(1, 2, 3);
    const b = Float64Array.of(1, 2, 3 + Number.EPSILON * 2);
    expect(firstDifference(a, a.slice())).toBe(-1);
    expect(firstDifference(a, b)).toBe(2);
    expect(firstDifference(a, a.subarray(0, 2))).toBe(2);
    expect(firstDifference(a, null)).toBe(0);
    expect(firstDifference(null, null)).toBe(-1);
  });

  it('measures the error of a float32 copy', () => {
    const original = Float64Array.of(0.1, Number.NaN, 0, 1e6 + 0.3);
    const copy = Float64Array.from(Float32Array.from(original));
    const { abs, rel } = maxErrors(original, copy);
    expect(abs).toBeGreaterThan(0);
    expect(rel).toBeLessThan(2 ** -23);
    expect(maxErrors(original, original)).toEqual({ abs: 0, rel: 0 });
  });
});
