import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { CODEC_NAMES } from '../../src/cache/codec-registry.ts';
import { resolveCodecOption } from './codec-option.ts';

describe('resolveCodecOption', () => {
  it('finds every shipped codec by name', () => {
    for (const name of CODEC_NAMES) expect(resolveCodecOption(name).name).toBe(name);
  });

  it('throws a ConfigError naming the option and every valid name', () => {
    let caught: unknown;
    try {
      resolveCodecOption('zstd', 'serviceCodec');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.message).toBe('unknown serviceCodec "zstd"');
    expect(error.problems[0]).toBe(`serviceCodec=zstd: expected one of ${CODEC_NAMES.join(', ')}`);
    expect(error.hint).toMatch(/json-array-gzip/);
  });
});
