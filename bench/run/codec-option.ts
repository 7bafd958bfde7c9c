import { CODEC_NAMES, codecByName } from '../../src/cache/codec-registry.ts';
import type { FeatureCodec } from '../../src/cache/codec.ts';
import { ConfigError } from '../errors.ts';

/** A shipped codec chosen by the user (`--set codec=...`); an unknown name is a ConfigError listing the valid ones. */
export function resolveCodecOption(name: string, option = 'codec'): FeatureCodec {
  if (!CODEC_NAMES.includes(name)) {
    throw new ConfigError(`unknown ${option} ${JSON.stringify(name)}`, {
      problems: [`${option}=${name}: expected one of ${CODEC_NAMES.join(', ')}`],
      hint: `use one of: ${CODEC_NAMES.join(', ')}`,
    });
  }
  return codecByName(name);
}
