import { describe, expect, it } from 'vitest';
import { ALPHA158_NAMES } from '../features/alpha158-names.ts';
import { decodeValue, encodeValue } from './codec.ts';
import { createDefaultCodecRegistry } from './codec-registry.ts';
import { jsonCodec } from './json-codec.ts';
import { createJsonObjectCodec, jsonObjectCodec } from './json-object-codec.ts';

const registry = createDefaultCodecRegistry();

function vector(): Float64Array {
  return Float64Array.from({ length: 158 }, (_, i) => Math.cos(i + 1) * 10 ** ((i % 7) - 3));
}

function payloadOf(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xfe, 0x46, 1, jsonObjectCodec.tag]), Buffer.from(text, 'utf8')]);
}

describe('json-object codec (the document format: a dict of 158 named floats)', () => {
  it('writes a JSON object keyed by the Alpha158 names, in order', () => {
    const text = jsonObjectCodec.encode(vector()).toString('utf8');
    const parsed = JSON.parse(text) as Record<string, number>;
    expect(Object.keys(parsed)).toEqual(ALPHA158_NAMES);
    expect(text.startsWith('{"KMID":')).toBe(true);
  });

  it('round-trips bit for bit, NaN, -0 and infinities included', () => {
    const input = vector();
    input[0] = Number.NaN;
    input[1] = -0;
    input[2] = Infinity;
    input[3] = -Infinity;
    input[4] = 0.1 + 0.2;
    const result = decodeValue(registry, encodeValue(jsonObjectCodec, input));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.codec).toBe('json-object');
    expect(
      Buffer.from(result.features.buffer).equals(
        Buffer.from(Float64Array.from(input, (x) => (Number.isNaN(x) ? Number.NaN : x)).buffer),
      ),
    ).toBe(true);
  });

  it('is larger than the bare array because it carries the names', () => {
    const v = vector();
    expect(jsonObjectCodec.encode(v).length).toBeGreaterThan(jsonCodec.encode(v).length + 158 * 5);
  });

  it('refuses a dict with a missing, an extra or a non-numeric feature, and an array', () => {
    const good = JSON.parse(jsonObjectCodec.encode(vector()).toString('utf8')) as Record<string, unknown>;
    const missing = { ...good };
    delete missing.KMID;
    const extra = { ...good, EXTRA: 1 };
    const text = { ...good, KLEN: 'abc' };
    const reason = (value: unknown): string => {
      const r = decodeValue(registry, payloadOf(JSON.stringify(value)));
      return r.ok ? 'ok' : `${r.reason}: ${r.detail}`;
    };
    expect(reason(good)).toBe('ok');
    expect(reason(missing)).toMatch(/^malformed: .*KMID is missing/);
    expect(reason(extra)).toMatch(/^malformed: .*159 keys/);
    expect(reason(text)).toMatch(/^non-numeric/);
    expect(reason([1, 2, 3])).toMatch(/^malformed: .*an array/);
    expect(reason(null)).toMatch(/^malformed/);
  });

  it('refuses to encode a vector of another length than its names', () => {
    expect(() => createJsonObjectCodec(['A', 'B']).encode(Float64Array.of(1))).toThrow(/1 features for 2 names/);
  });
});
