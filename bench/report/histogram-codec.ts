import { deflateSync, inflateSync } from 'node:zlib';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/*
 * HdrHistogram V2 compressed encoding: [cookie:int32][deflated length:int32][zlib(header + ZigZag
 * LEB128 counts)], header = cookie, payload length, normalizingIndexOffset:int32,
 * significantDigits:int32, lowest:int64, highest:int64, integerToDoubleValueConversionRatio:float64
 * (Java AbstractHistogram.encodeIntoByteBuffer). hdr-histogram-js 3.0.1 writes normalizingIndexOffset 1
 * and the ratio as the int64 1 (a denormal double); Java ignores both for a plain Histogram, but
 * HdrHistogram_c uses the offset when decoding. We rewrite the two fields to what Java writes.
 */
const NORMALIZING_INDEX_OFFSET_AT = 8;
const CONVERSION_RATIO_AT = 32;

/** Base64 of the compressed V2 encoding, byte-for-byte in the header as Java's encodeIntoCompressedByteBuffer. */
export function encodeHistogram(histogram: Histogram): string {
  // Level 0: the library's deflate (JavaScript) only stores; the payload is inflated and deflated natively below.
  const library = Buffer.from(encodeIntoCompressedBase64(histogram, 0), 'base64');
  const plain = inflateSync(library.subarray(8, 8 + library.readInt32BE(4)));
  plain.writeInt32BE(0, NORMALIZING_INDEX_OFFSET_AT);
  plain.writeDoubleBE(1, CONVERSION_RATIO_AT);
  // Java's HistogramLogWriter compresses with Deflater.BEST_COMPRESSION.
  const deflated = deflateSync(plain, { level: 9 });
  const out = Buffer.alloc(8 + deflated.length);
  out.writeInt32BE(library.readInt32BE(0), 0);
  out.writeInt32BE(deflated.length, 4);
  deflated.copy(out, 8);
  return out.toString('base64');
}
