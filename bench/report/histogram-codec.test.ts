import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { encodeHistogram } from './histogram-codec.ts';
import { JHICCUP_LOG_HEAD } from './fixtures/jhiccup-log-head.ts';

function uncompressed(base64: string): Buffer {
  const raw = Buffer.from(base64, 'base64');
  return inflateSync(raw.subarray(8, 8 + raw.readInt32BE(4)));
}

describe('encodeHistogram', () => {
  it('writes the header fields exactly as Java does (offset 0, conversion ratio 1.0 as a double)', () => {
    const javaBase64 = (JHICCUP_LOG_HEAD.split('\n')[4] ?? '').split(',')[3];
    const decoded = decodeFromCompressedBase64(javaBase64, 64);
    const ours = uncompressed(encodeHistogram(decoded));
    const java = uncompressed(javaBase64);
    expect(Buffer.from(javaBase64, 'base64').readInt32BE(0)).toBe(
      Buffer.from(encodeHistogram(decoded), 'base64').readInt32BE(0),
    );
    expect(ours.readInt32BE(0)).toBe(java.readInt32BE(0)); // cookie
    expect(ours.subarray(8, 40).equals(java.subarray(8, 40))).toBe(true); // offset, digits, lowest, highest, ratio
    expect(ours.readInt32BE(8)).toBe(0);
    expect(ours.readDoubleBE(32)).toBe(1);
  });

  it('round-trips through the library decoder with every count intact', () => {
    const histogram = createLatencyHistogram();
    for (let i = 1; i <= 5_000; i++) histogram.recordValue(i * 997);
    histogram.recordValue(3_600_000_000_000);
    const decoded = decodeFromCompressedBase64(encodeHistogram(histogram), 64);
    expect(decoded.totalCount).toBe(histogram.totalCount);
    expect(decoded.highestTrackableValue).toBe(3_600_000_000_000);
    for (const percentile of [0, 10, 50, 90, 99, 99.9, 99.99, 100]) {
      expect(decoded.getValueAtPercentile(percentile)).toBe(histogram.getValueAtPercentile(percentile));
    }
  });
});
