import type { FeatureCodec } from './codec.ts';
import { FeatureDecodeError } from './codec.ts';

/**
 * The document's format: the vector as a JSON array of numbers, e.g. `[0.0123,-1.5,null,...]`.
 *
 * Every float64 round-trips bit for bit, so a cached vector scores exactly like a computed one:
 * - finite numbers are written with JS's shortest round-trip form (String(x), ECMA-262
 *   Number::toString), which JSON.parse reads back to the same double;
 * - NaN (a feature undefined for lack of history, a 0/0) is written `null`: JSON has no NaN (it is read
 *   back as the canonical NaN; a NaN's payload bits are not kept, and no computation depends on them);
 * - +Infinity / -Infinity (a division by zero) are written as the strings "Infinity" / "-Infinity";
 * - negative zero is written `-0` (JSON.stringify would drop its sign; JSON.parse keeps it).
 * Any other entry (a string, an object, a boolean) makes the value 'non-numeric'.
 */
export const jsonCodec: FeatureCodec = Object.freeze({
  name: 'json',
  tag: 1,
  encode(features: Float64Array): Buffer {
    const parts = new Array<string>(features.length);
    for (let i = 0; i < features.length; i++) parts[i] = encodeNumber(features[i]!);
    return Buffer.from(`[${parts.join(',')}]`, 'utf8');
  },
  decode(payload: Buffer): Float64Array {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch (error) {
      throw new FeatureDecodeError('malformed', `not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!Array.isArray(parsed)) throw new FeatureDecodeError('malformed', `expected a JSON array, got ${parsed === null ? 'null' : typeof parsed}`);
    const features = new Float64Array(parsed.length);
    for (let i = 0; i < parsed.length; i++) features[i] = decodeEntry(parsed[i], i);
    return features;
  },
});

function encodeNumber(x: number): string {
  if (Number.isNaN(x)) return 'null';
  if (x === Infinity) return '"Infinity"';
  if (x === -Infinity) return '"-Infinity"';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

function decodeEntry(entry: unknown, index: number): number {
  if (typeof entry === 'number') return entry;
  if (entry === null) return Number.NaN;
  if (entry === 'Infinity') return Infinity;
  if (entry === '-Infinity') return -Infinity;
  throw new FeatureDecodeError('non-numeric', `entry ${index} is ${JSON.stringify(entry)?.slice(0, 40) ?? typeof entry}, not a number`);
}
