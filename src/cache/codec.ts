/**
 * How a feature vector becomes the bytes stored at a key. Every stored value is framed:
 *
 *   byte 0-1  magic 0xFE 0x46   (0xFE never occurs in UTF-8, so no text value, e.g. a bare JSON
 *                                 array written by an older client, is ever taken for a framed one)
 *   byte 2    framing version (1)
 *   byte 3    codec tag (1-255, one per codec and payload format, never reused)
 *   byte 4-   the codec's payload
 *
 * A change of codec is therefore never misread: the tag says who wrote the value.
 */
export interface FeatureCodec {
  readonly name: string;
  /** The tag byte written in the header: an integer 1-255, permanent for this codec's format. */
  readonly tag: number;
  encode(features: Float64Array): Buffer;
  /** Throws FeatureDecodeError (or any error, taken as 'malformed') when the payload is not its format. */
  decode(payload: Buffer): Float64Array;
}

export const FRAME_MAGIC_0 = 0xfe;
export const FRAME_MAGIC_1 = 0x46;
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 4;
export const ALPHA158_LENGTH = 158;

export type DecodeFailureReason =
  | 'bad-header' // too short, no magic, or a framing version this code does not know
  | 'unknown-codec' // the tag is not in the registry
  | 'wrong-codec' // a known codec, but not the one the reader accepts
  | 'malformed' // the codec could not parse the payload
  | 'non-numeric' // parsed, but an entry is not a number
  | 'wrong-length'; // a vector of another length than expected

export type DecodeResult =
  | { readonly ok: true; readonly features: Float64Array; readonly codec: string }
  | { readonly ok: false; readonly reason: DecodeFailureReason; readonly detail: string };

/** Thrown by a codec's decode to name why a payload is unusable. */
export class FeatureDecodeError extends Error {
  readonly reason: 'malformed' | 'non-numeric';

  constructor(reason: 'malformed' | 'non-numeric', message: string) {
    super(message);
    this.name = 'FeatureDecodeError';
    this.reason = reason;
  }
}

/** What decodeValue needs from a registry: codecs by tag. */
export interface CodecLookup {
  byTag(tag: number): FeatureCodec | undefined;
}

export function assertValidTag(tag: number, name: string): void {
  if (!Number.isInteger(tag) || tag < 1 || tag > 255)
    throw new RangeError(`Codec ${name}: tag must be an integer 1-255 (got ${tag})`);
}

/** Header + payload, ready for SET. */
export function encodeValue(codec: FeatureCodec, features: Float64Array): Buffer {
  assertValidTag(codec.tag, codec.name);
  const payload = codec.encode(features);
  const value = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  value[0] = FRAME_MAGIC_0;
  value[1] = FRAME_MAGIC_1;
  value[2] = FRAME_VERSION;
  value[3] = codec.tag;
  payload.copy(value, FRAME_HEADER_BYTES);
  return value;
}

export interface DecodeOptions {
  /** If given, a value written by any other known codec is rejected as 'wrong-codec'. */
  readonly only?: FeatureCodec;
}

/** Never throws: every unusable value comes back as a reason. */
export function decodeValue(
  codecs: CodecLookup,
  value: Buffer,
  expectedLength: number = ALPHA158_LENGTH,
  options: DecodeOptions = {},
): DecodeResult {
  if (value.length < FRAME_HEADER_BYTES || value[0] !== FRAME_MAGIC_0 || value[1] !== FRAME_MAGIC_1) {
    return fail(
      'bad-header',
      `no feature-value header (${value.length} bytes, starts ${value.subarray(0, 4).toString('hex') || 'empty'})`,
    );
  }
  if (value[2] !== FRAME_VERSION) return fail('bad-header', `unknown framing version ${value[2]}`);
  const tag = value[3]!;
  const codec = codecs.byTag(tag);
  if (codec === undefined) return fail('unknown-codec', `no codec with tag ${tag}`);
  if (options.only !== undefined && codec.tag !== options.only.tag) {
    return fail(
      'wrong-codec',
      `written by codec ${codec.name} (tag ${tag}), expected ${options.only.name} (tag ${options.only.tag})`,
    );
  }
  let features: Float64Array;
  try {
    features = codec.decode(value.subarray(FRAME_HEADER_BYTES));
  } catch (error) {
    if (error instanceof FeatureDecodeError) return fail(error.reason, `${codec.name}: ${error.message}`);
    return fail('malformed', `${codec.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (features.length !== expectedLength)
    return fail('wrong-length', `${features.length} features, expected ${expectedLength}`);
  return { ok: true, features, codec: codec.name };
}

function fail(reason: DecodeFailureReason, detail: string): DecodeResult {
  return { ok: false, reason, detail };
}
