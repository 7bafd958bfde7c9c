import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import type { FeatureCodec } from './codec.ts';
import { FeatureDecodeError } from './codec.ts';

export type CompressionAlgorithm = 'gzip' | 'brotli';

export interface CompressedCodecOptions {
  /** The codec whose payload is compressed (json-array, json-object, ...). */
  readonly inner: FeatureCodec;
  readonly algorithm: CompressionAlgorithm;
  readonly name: string;
  /** Permanent tag of this (inner format, algorithm) pair; the level does not change the format. */
  readonly tag: number;
  /** gzip: zlib level 1-9; brotli: quality 0-11. Encode-side only: any level decodes with any other. */
  readonly level: number;
  /**
   * Largest decompressed payload accepted. A value that inflates beyond it (a decompression bomb,
   * or simply not a feature vector) is refused as malformed after at most this many bytes of output.
   */
  readonly maxOutputBytes: number;
}

export const COMPRESSION_LEVEL_RANGE: Readonly<
  Record<CompressionAlgorithm, { readonly min: number; readonly max: number }>
> = {
  gzip: { min: 1, max: 9 },
  brotli: { min: 0, max: 11 },
};

/** zlib's own default; Python's gzip.compress (the document's call) uses 9. */
export const DEFAULT_GZIP_LEVEL = 6;
/** Brotli's default quality is 11, far slower to encode for a few % fewer bytes on small values. */
export const DEFAULT_BROTLI_QUALITY = 5;
/** 1 MiB: ~200x a 158-float JSON dict, ~20x the document's 50 KB "large" value. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 1024 * 1024;

/**
 * The inner codec's payload, compressed: the document's `gzip.compress(json.dumps(features).encode())`.
 * Decompression is bounded by maxOutputBytes (zlib's maxOutputLength stops inflating there), so a
 * hostile or corrupt value costs at most that much memory and is then a miss, never a crash.
 */
export function createCompressedCodec(options: CompressedCodecOptions): FeatureCodec {
  const { inner, algorithm, name, tag, level, maxOutputBytes } = options;
  const range = COMPRESSION_LEVEL_RANGE[algorithm];
  if (range === undefined)
    throw new RangeError(`Codec ${name}: unknown compression algorithm ${JSON.stringify(algorithm)} (gzip or brotli)`);
  if (!Number.isInteger(level) || level < range.min || level > range.max) {
    throw new RangeError(
      `Codec ${name}: ${algorithm} level must be an integer ${range.min}-${range.max} (got ${level})`,
    );
  }
  if (!Number.isSafeInteger(maxOutputBytes) || maxOutputBytes <= 0)
    throw new RangeError(`Codec ${name}: maxOutputBytes must be a positive integer (got ${maxOutputBytes})`);
  const compress =
    algorithm === 'gzip'
      ? (data: Buffer): Buffer => gzipSync(data, { level })
      : (data: Buffer): Buffer =>
          brotliCompressSync(data, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: level,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
            },
          });
  const decompress =
    algorithm === 'gzip'
      ? (data: Buffer): Buffer => gunzipSync(data, { maxOutputLength: maxOutputBytes })
      : (data: Buffer): Buffer => brotliDecompressSync(data, { maxOutputLength: maxOutputBytes });
  return Object.freeze({
    name,
    tag,
    encode(features: Float64Array): Buffer {
      return compress(inner.encode(features));
    },
    decode(payload: Buffer): Float64Array {
      let inflated: Buffer;
      try {
        inflated = decompress(payload);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ERR_BUFFER_TOO_LARGE')
          throw new FeatureDecodeError(
            'malformed',
            `${algorithm} payload inflates beyond ${maxOutputBytes} bytes (refused)`,
          );
        throw new FeatureDecodeError(
          'malformed',
          `not ${algorithm} data (${code ?? (error instanceof Error ? error.message : String(error))})`,
        );
      }
      return inner.decode(inflated);
    },
  });
}
