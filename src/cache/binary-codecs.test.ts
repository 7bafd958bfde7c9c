import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, decodeValue, encodeValue } from './codec.ts';
import { createDefaultCodecRegistry } from './codec-registry.ts';
import { FLOAT32_MAX, FLOAT32_MAX_RELATIVE_ERROR, float32Codec, maxRelativeError } from './float32-codec.ts';
import { float64Codec } from './float64-codec.ts';

const registry = createDefaultCodecRegistry();

function vector(length = 158): Float64Array {
  return Float64Array.from({ length }, (_, i) => Math.sin(i + 1) * 10 ** ((i % 9) - 4));
}

function reasonOf(value: Buffer): string {
  const result = decodeValue(registry, value);
  return result.ok ? 'ok' : result.reason;
}

describe('float64 codec', () => {
  it('stores 8 little-endian bytes per feature', () => {
    const value = encodeValue(float64Codec, vector());
    expect(value.length).toBe(FRAME_HEADER_BYTES + 158 * 8);
    expect(float64Codec.encode(Float64Array.of(1)).toString('hex')).toBe('000000000000f03f');
  });

  it('refuses a payload that is not whole doubles, or of the wrong count', () => {
    const good = encodeValue(float64Codec, vector());
    expect(reasonOf(good.subarray(0, good.length - 3))).toBe('malformed');
    expect(reasonOf(good.subarray(0, good.length - 8))).toBe('wrong-length');
    expect(reasonOf(good.subarray(0, FRAME_HEADER_BYTES))).toBe('wrong-length');
  });
});

describe('float32 codec (lossy)', () => {
  it('stores 4 bytes per feature and keeps NaN, infinities and the sign of zero', () => {
    const input = vector();
    input[0] = Number.NaN;
    input[1] = Infinity;
    input[2] = -Infinity;
    input[3] = -0;
    const value = encodeValue(float32Codec, input);
    expect(value.length).toBe(FRAME_HEADER_BYTES + 158 * 4);
    const result = decodeValue(registry, value);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Number.isNaN(result.features[0])).toBe(true);
    expect(result.features[1]).toBe(Infinity);
    expect(result.features[2]).toBe(-Infinity);
    expect(Object.is(result.features[3], -0)).toBe(true);
  });

  it('loses at most 2^-24 relative precision in the normal range, and does lose some', () => {
    const input = vector();
    const decoded = float32Codec.decode(float32Codec.encode(input));
    const error = maxRelativeError(input, decoded);
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThanOrEqual(FLOAT32_MAX_RELATIVE_ERROR);
    expect(decoded[0]).toBe(Math.fround(input[0]!));
  });

  it('refuses a finite value it would turn into Infinity', () => {
    const input = vector();
    input[5] = FLOAT32_MAX * 2;
    expect(() => float32Codec.encode(input)).toThrow(/feature 5 .* beyond the float32 range/);
    input[5] = FLOAT32_MAX;
    expect(() => float32Codec.encode(input)).not.toThrow();
  });

  it('refuses a payload that is not whole floats', () => {
    const good = encodeValue(float32Codec, vector());
    expect(reasonOf(good.subarray(0, good.length - 1))).toBe('malformed');
  });
});

describe('maxRelativeError', () => {
  it('is 0 for identical vectors and Infinity when finiteness, NaN-ness or the sign of zero changes', () => {
    expect(maxRelativeError(Float64Array.of(1, 0, Number.NaN), Float64Array.of(1, 0, Number.NaN))).toBe(0);
    expect(maxRelativeError(Float64Array.of(2), Float64Array.of(2.5))).toBe(0.25);
    expect(maxRelativeError(Float64Array.of(1e39), Float64Array.of(Infinity))).toBe(Infinity);
    expect(maxRelativeError(Float64Array.of(Number.NaN), Float64Array.of(0))).toBe(Infinity);
    expect(maxRelativeError(Float64Array.of(-0), Float64Array.of(0))).toBe(Infinity);
    expect(maxRelativeError(Float64Array.of(1), Float64Array.of(1, 2))).toBe(Infinity);
  });
});
