import { describe, expect, it } from 'vitest';
import type { FeatureCodec } from './codec.ts';
import { FRAME_HEADER_BYTES, FeatureDecodeError, decodeValue, encodeValue } from './codec.ts';
import { CodecRegistry, createDefaultCodecRegistry } from './codec-registry.ts';
import { jsonCodec } from './json-codec.ts';

const registry = createDefaultCodecRegistry();

function vector(length = 158): Float64Array {
  return Float64Array.from({ length }, (_, i) => Math.sin(i + 1) * 10 ** ((i % 9) - 4));
}

/** A second codec, to check that one codec's bytes are never read as another's. */
const rawCodec: FeatureCodec = {
  name: 'test-raw-f64',
  tag: 200,
  encode: (f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength),
  decode: (p) => {
    if (p.length % 8 !== 0) throw new FeatureDecodeError('malformed', 'not a multiple of 8 bytes');
    return new Float64Array(p.buffer.slice(p.byteOffset, p.byteOffset + p.length));
  },
};

function framed(tag: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.from([0xfe, 0x46, 1, tag]), body]);
}

function reasonOf(value: Buffer, codecs = registry, length = 158, only?: FeatureCodec): string {
  const result = decodeValue(codecs, value, length, only ? { only } : {});
  return result.ok ? 'ok' : result.reason;
}

describe('json codec round trip', () => {
  it('is exact, bit for bit, for ordinary, tiny, huge and special values', () => {
    const specials = [
      Number.NaN,
      -0,
      0,
      Infinity,
      -Infinity,
      Number.MIN_VALUE,
      -Number.MAX_VALUE,
      0.1 + 0.2,
      1e21,
      1e-7,
      123456789.12345678,
    ];
    const input = vector();
    specials.forEach((x, i) => (input[i * 3] = x));
    const result = decodeValue(registry, encodeValue(jsonCodec, input));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.codec).toBe('json-array');
    expect(Buffer.from(result.features.buffer).equals(Buffer.from(input.buffer))).toBe(true);
    expect(Object.is(result.features[3], -0)).toBe(true);
    expect(Number.isNaN(result.features[0])).toBe(true);
  });

  it('writes NaN as null, infinities as strings and keeps the sign of zero', () => {
    const payload = jsonCodec.encode(Float64Array.from([Number.NaN, Infinity, -Infinity, -0, 1.5])).toString('utf8');
    expect(payload).toBe('[null,"Infinity","-Infinity",-0,1.5]');
  });

  it('frames the payload behind a 4-byte header with the codec tag', () => {
    const value = encodeValue(jsonCodec, vector());
    expect([...value.subarray(0, FRAME_HEADER_BYTES)]).toEqual([0xfe, 0x46, 1, jsonCodec.tag]);
    expect(value.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + 1).toString()).toBe('[');
  });
});

describe('decodeValue never misreads a value', () => {
  const good = encodeValue(jsonCodec, vector());
  const bareJson = JSON.stringify(Array.from(vector()));

  it.each<[string, Buffer, string]>([
    ['an empty buffer', Buffer.alloc(0), 'bad-header'],
    ['garbage bytes', Buffer.from('not a feature vector at all'), 'bad-header'],
    ['random binary', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42]), 'bad-header'],
    ['a bare JSON array without the header (an old writer)', Buffer.from(bareJson), 'bad-header'],
    ['a header cut short', good.subarray(0, 3), 'bad-header'],
    ['an unknown framing version', Buffer.concat([Buffer.from([0xfe, 0x46, 9, 1]), good.subarray(4)]), 'bad-header'],
    ['an unknown codec tag', framed(77, bareJson), 'unknown-codec'],
    ['truncated JSON', good.subarray(0, good.length - 10), 'malformed'],
    ['a header with no payload', good.subarray(0, 4), 'malformed'],
    ['JSON that is not an array', framed(1, '{"KMID":1}'), 'malformed'],
    ['JSON null', framed(1, 'null'), 'malformed'],
    ['invalid UTF-8', framed(1, Buffer.from([0x5b, 0xff, 0xfe, 0x5d])), 'malformed'],
    ['valid JSON of the wrong length', framed(1, JSON.stringify(Array.from(vector(157)))), 'wrong-length'],
    ['an empty array', framed(1, '[]'), 'wrong-length'],
    ['a numeric string entry', framed(1, JSON.stringify(['1.5', ...Array.from(vector(157))])), 'non-numeric'],
    ['a boolean entry', framed(1, JSON.stringify([...Array.from(vector(157)), true])), 'non-numeric'],
    ['a nested array entry', framed(1, JSON.stringify([[1], ...Array.from(vector(157))])), 'non-numeric'],
  ])('%s -> %s', (_, value, reason) => {
    expect(reasonOf(value)).toBe(reason);
  });

  it("another codec's bytes are refused by a reader that accepts only its own codec", () => {
    const both = new CodecRegistry([jsonCodec, rawCodec]);
    const rawValue = encodeValue(rawCodec, vector());
    expect(reasonOf(rawValue, both, 158, jsonCodec)).toBe('wrong-codec');
    // ...are 'unknown-codec' where that codec is not registered...
    expect(reasonOf(rawValue, registry)).toBe('unknown-codec');
    // ...and decode exactly where it is and any codec is accepted.
    const decoded = decodeValue(both, rawValue);
    expect(decoded.ok && Buffer.from(decoded.features.buffer).equals(Buffer.from(vector().buffer))).toBe(true);
  });

  it('reads raw binary bytes under the JSON tag as malformed, not as numbers', () => {
    expect(reasonOf(framed(jsonCodec.tag, rawCodec.encode(vector())))).toBe('malformed');
  });

  it('reports an unexpected codec exception as malformed', () => {
    const throwing: FeatureCodec = {
      name: 'boom',
      tag: 9,
      encode: () => Buffer.alloc(0),
      decode: () => {
        throw new TypeError('boom');
      },
    };
    expect(reasonOf(framed(9, 'x'), new CodecRegistry([throwing]))).toBe('malformed');
  });

  it('honours expectedLength', () => {
    expect(reasonOf(encodeValue(jsonCodec, vector(10)), registry, 10)).toBe('ok');
    expect(reasonOf(good, registry, 10)).toBe('wrong-length');
  });
});

describe('CodecRegistry', () => {
  it('refuses a reused tag or name and a tag outside 1-255', () => {
    expect(() => new CodecRegistry([jsonCodec, { ...rawCodec, tag: jsonCodec.tag }])).toThrow(
      /tag 1 is already taken by json-array/,
    );
    expect(() => new CodecRegistry([jsonCodec, { ...rawCodec, name: 'json-array' }])).toThrow(/named json-array/);
    expect(() => new CodecRegistry([{ ...rawCodec, tag: 256 }])).toThrow(/1-255/);
    expect(() => new CodecRegistry([{ ...rawCodec, tag: 0 }])).toThrow(/1-255/);
  });

  it('finds codecs by name and lists the known ones when it cannot', () => {
    expect(registry.byName('json-array')).toBe(jsonCodec);
    expect(() => registry.byName('gzip-json')).toThrow(/known: json-object, json-array/);
  });
});
