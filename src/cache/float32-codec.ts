import type { FeatureCodec } from './codec.ts';
import { FeatureDecodeError } from './codec.ts';

const BYTES = 4;
/** The largest finite float32, (2 - 2^-23) x 2^127. */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** Round-to-nearest into a 24-bit significand: relative error at most 2^-24 for normal-range values. */
export const FLOAT32_MAX_RELATIVE_ERROR = 2 ** -24;

/**
 * LOSSY: the vector as little-endian float32, 4 bytes each (158 features: 632 bytes).
 * Precision lost: every value is rounded to the nearest float32, a relative error of at most
 * 2^-24 (~6e-8, about 7 significant decimal digits kept of 15-17) for |x| in the normal range
 * 1.18e-38 .. 3.4e38; smaller magnitudes lose more (subnormals, then 0). NaN, ±Infinity and -0
 * are kept. A finite value beyond ±3.4e38 would become Infinity, so encode refuses it (RangeError)
 * rather than store a different number. A cached vector therefore scores slightly differently
 * from a computed one: use it only where that is acceptable (the compression scenario measures it).
 */
export const float32Codec: FeatureCodec = Object.freeze({
  name: 'float32',
  tag: 7,
  encode(features: Float64Array): Buffer {
    const out = Buffer.allocUnsafe(features.length * BYTES);
    for (let i = 0; i < features.length; i++) {
      const x = features[i]!;
      if (Number.isFinite(x) && Math.abs(x) > FLOAT32_MAX)
        throw new RangeError(`float32 codec: feature ${i} (${x}) is beyond the float32 range (±${FLOAT32_MAX})`);
      out.writeFloatLE(x, i * BYTES);
    }
    return out;
  },
  decode(payload: Buffer): Float64Array {
    if (payload.length % BYTES !== 0)
      throw new FeatureDecodeError('malformed', `${payload.length} bytes is not a whole number of 4-byte floats`);
    const features = new Float64Array(payload.length / BYTES);
    for (let i = 0; i < features.length; i++) features[i] = payload.readFloatLE(i * BYTES);
    return features;
  },
});

/**
 * Largest |decoded - x| / |x| over the finite, non-zero entries (0 when there are none); an entry
 * whose finiteness or sign of zero changed counts as Infinity. For measuring a lossy codec.
 */
export function maxRelativeError(original: Float64Array, decoded: Float64Array): number {
  if (original.length !== decoded.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < original.length; i++) {
    const x = original[i]!;
    const y = decoded[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
      continue;
    }
    if (!Number.isFinite(x) || x === 0) {
      if (!Object.is(x, y)) return Infinity;
      continue;
    }
    const error = Math.abs(y - x) / Math.abs(x);
    if (error > worst) worst = error;
  }
  return worst;
}
