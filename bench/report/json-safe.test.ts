import { describe, expect, it } from 'vitest';
import { toSafeJson } from './json-safe.ts';

describe('toSafeJson', () => {
  it('writes NaN and Infinity as null so the file stays valid JSON', () => {
    const text = toSafeJson({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: [1, Number.NEGATIVE_INFINITY] });
    expect(JSON.parse(text)).toEqual({ a: null, b: null, c: [1, null] });
  });

  it('writes bigint as a number when safe and as a string otherwise', () => {
    expect(JSON.parse(toSafeJson({ small: 12n, big: 2n ** 60n }))).toEqual({ small: 12, big: (2n ** 60n).toString() });
  });
});
