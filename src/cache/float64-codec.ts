import type { FeatureCodec } from './codec.ts';
import { FeatureDecodeError } from './codec.ts';

const BYTES = 8;

/**
 * The vector as raw IEEE 754 doubles, little-endian, 8 bytes each (158 features: 1,264 bytes).
 * Exact bit for bit (NaN, ±Infinity and -0 included) and no parsing at all; not human-readable.
 */
export const float64Codec: FeatureCodec = Object.freeze({
  name: 'float64',
  tag: 6,
  encode(features: Float64Array): Buffer {
    const out = Buffer.allocUnsafe(features.length * BYTES);
    for (let i = 0; i < features.length; i++) out.writeDoubleLE(features[i]!, i * BYTES);
    return out;
  },
  decode(payload: Buffer): Float64Array {
    if (payload.length % BYTES !== 0)
      throw new FeatureDecodeError('malformed', `${payload.length} bytes is not a whole number of 8-byte doubles`);
    const features = new Float64Array(payload.length / BYTES);
    for (let i = 0; i < features.length; i++) features[i] = payload.readDoubleLE(i * BYTES);
    return features;
  },
});
