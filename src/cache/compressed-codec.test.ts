import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, decodeValue, encodeValue } from './codec.ts';
import {
  CODEC_NAMES,
  SHIPPED_CODECS,
  codecByName,
  createDefaultCodecRegistry,
  jsonArrayBrotliCodec,
  jsonArrayGzipCodec,
  jsonObjectGzipCodec,
} from './codec-registry.ts';
import { createCompressedCodec } from './compressed-codec.ts';
import { jsonCodec } from './json-codec.ts';
import { jsonObjectCodec } from './json-object-codec.ts';

const registry = createDefaultCodecRegistry();

function vector(length = 158): Float64Array {
  return Float64Array.from({ length }, (_, i) => Math.sin(i + 1) * 10 ** ((i % 9) - 4));
}

function framed(tag: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xfe, 0x46, 1, tag]), payload]);
}

function reasonOf(value: Buffer): string {
  const result = decodeValue(registry, value);
  return result.ok ? 'ok' : `${result.reason}: ${result.detail}`;
}

const COMPRESSED = [jsonArrayGzipCodec, jsonObjectGzipCodec, jsonArrayBrotliCodec];

describe('every shipped codec', () => {
  it('has a distinct tag and name, and is found by name', () => {
    expect(new Set(SHIPPED_CODECS.map((c) => c.tag)).size).toBe(SHIPPED_CODECS.length);
    expect(CODEC_NAMES).toEqual([
      'json-object',
      'json-array',
      'json-array-gzip',
      'json-object-gzip',
      'json-array-brotli',
      'float64',
      'float32',
    ]);
    for (const name of CODEC_NAMES) expect(codecByName(name).name).toBe(name);
    expect(() => codecByName('gzip')).toThrow(
      /Unknown codec "gzip"; known: json-object, json-array, json-array-gzip, json-object-gzip, json-array-brotli, float64, float32/,
    );
  });

  it.each(SHIPPED_CODECS.filter((c) => c.name !== 'float32').map((c) => [c.name, c] as const))(
    '%s round-trips exactly, specials included',
    (_, codec) => {
      const input = vector();
      [Number.NaN, -0, Infinity, -Infinity, Number.MIN_VALUE, 0.1 + 0.2].forEach((x, i) => (input[i * 7] = x));
      const result = decodeValue(registry, encodeValue(codec, input), 158, { only: codec });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.codec).toBe(codec.name);
      expect(Buffer.from(result.features.buffer).equals(Buffer.from(input.buffer))).toBe(true);
    },
  );
});

describe('compressed codecs', () => {
  it('store the inner payload compressed: gunzip of json-object-gzip is the document dict JSON', () => {
    const input = vector();
    const payload = encodeValue(jsonObjectGzipCodec, input).subarray(FRAME_HEADER_BYTES);
    expect(payload.subarray(0, 2).toString('hex')).toBe('1f8b');
    expect(gunzipSync(payload).equals(jsonObjectCodec.encode(input))).toBe(true);
  });

  it('decode whatever level wrote the value (the level is encode-side only)', () => {
    const level9 = createCompressedCodec({
      inner: jsonCodec,
      algorithm: 'gzip',
      name: 'json-array-gzip',
      tag: jsonArrayGzipCodec.tag,
      level: 9,
      maxOutputBytes: 1 << 20,
    });
    const level1 = createCompressedCodec({
      inner: jsonCodec,
      algorithm: 'gzip',
      name: 'json-array-gzip',
      tag: jsonArrayGzipCodec.tag,
      level: 1,
      maxOutputBytes: 1 << 20,
    });
    for (const codec of [level1, level9]) expect(reasonOf(encodeValue(codec, vector()))).toBe('ok');
    expect(encodeValue(level9, vector()).length).toBeLessThanOrEqual(encodeValue(level1, vector()).length);
  });

  it('refuse an invalid level, algorithm or output cap', () => {
    const base = { inner: jsonCodec, name: 'x', tag: 50, maxOutputBytes: 1024 } as const;
    expect(() => createCompressedCodec({ ...base, algorithm: 'gzip', level: 0 })).toThrow(
      /gzip level must be an integer 1-9/,
    );
    expect(() => createCompressedCodec({ ...base, algorithm: 'brotli', level: 12 })).toThrow(
      /brotli level must be an integer 0-11/,
    );
    expect(() => createCompressedCodec({ ...base, algorithm: 'lz4' as 'gzip', level: 1 })).toThrow(
      /unknown compression algorithm/,
    );
    expect(() => createCompressedCodec({ ...base, algorithm: 'gzip', level: 6, maxOutputBytes: 0 })).toThrow(
      /maxOutputBytes/,
    );
  });
});

describe('a corrupt compressed value is a miss, never a crash', () => {
  const good = encodeValue(jsonArrayGzipCodec, vector());
  const flipped = Buffer.from(good);
  flipped[FRAME_HEADER_BYTES + 20] = flipped[FRAME_HEADER_BYTES + 20]! ^ 0xff;

  it.each<[string, Buffer, RegExp]>([
    ['no payload', framed(jsonArrayGzipCodec.tag, Buffer.alloc(0)), /^malformed: json-array-gzip: not gzip/],
    ['truncated gzip', good.subarray(0, good.length - 12), /^malformed: json-array-gzip: not gzip/],
    ['a flipped byte (CRC or deflate error)', flipped, /^malformed/],
    [
      'plain JSON under the gzip tag',
      framed(jsonArrayGzipCodec.tag, jsonCodec.encode(vector())),
      /^malformed: json-array-gzip: not gzip/,
    ],
    [
      'gzip of text that is not JSON',
      framed(jsonArrayGzipCodec.tag, gzipSync('hello')),
      /^malformed: json-array-gzip: not JSON/,
    ],
    [
      'gzip of a JSON object under the array codec',
      framed(jsonArrayGzipCodec.tag, gzipSync('{"KMID":1}')),
      /^malformed: json-array-gzip: expected a JSON array/,
    ],
    ['gzip of a short array', framed(jsonArrayGzipCodec.tag, gzipSync('[1,2,3]')), /^wrong-length/],
    [
      'gzip bytes under the brotli tag',
      framed(jsonArrayBrotliCodec.tag, good.subarray(FRAME_HEADER_BYTES)),
      /^malformed: json-array-brotli/,
    ],
    [
      'random bytes under the brotli tag',
      framed(jsonArrayBrotliCodec.tag, Buffer.from('0badc0ffee0badc0ffee', 'hex')),
      /^malformed: json-array-brotli/,
    ],
    [
      'gzip of a partial dict',
      framed(jsonObjectGzipCodec.tag, gzipSync('{"KMID":1}')),
      /^malformed: json-object-gzip: feature .* is missing/,
    ],
  ])('%s', (_, value, reason) => {
    expect(reasonOf(value)).toMatch(reason);
  });

  it('stops inflating a decompression bomb at the output cap', () => {
    // 16 MiB of zeros compress to ~16 KB of gzip (less in brotli): decoding must refuse it after 1 MiB.
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    for (const [codec, payload] of [
      [jsonArrayGzipCodec, gzipSync(zeros, { level: 9 })],
      [jsonArrayBrotliCodec, brotliCompressSync(zeros)],
    ] as const) {
      const memoryBefore = process.memoryUsage().arrayBuffers;
      expect(reasonOf(framed(codec.tag, payload))).toMatch(/^malformed: .* inflates beyond 1048576 bytes \(refused\)/);
      expect(process.memoryUsage().arrayBuffers - memoryBefore).toBeLessThan(8 * 1024 * 1024);
    }
  });

  it('honours a smaller cap: a real value larger than the cap is refused too', () => {
    const tight = createCompressedCodec({
      inner: jsonCodec,
      algorithm: 'gzip',
      name: 'tight',
      tag: 60,
      level: 6,
      maxOutputBytes: 100,
    });
    expect(() => tight.decode(tight.encode(vector()))).toThrow(/inflates beyond 100 bytes/);
  });

  it('compresses every shipped compressed codec below its inner size for a real-looking vector', () => {
    for (const codec of COMPRESSED)
      expect(codec.encode(vector()).length).toBeLessThan(
        (codec === jsonObjectGzipCodec ? jsonObjectCodec : jsonCodec).encode(vector()).length,
      );
  });
});
