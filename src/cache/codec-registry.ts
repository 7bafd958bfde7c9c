import type { CodecLookup, FeatureCodec } from './codec.ts';
import { assertValidTag } from './codec.ts';
import { jsonCodec } from './json-codec.ts';
import { jsonObjectCodec } from './json-object-codec.ts';

/** Codecs by tag and by name; a tag or a name is registered once (a reused tag would misread old values). */
export class CodecRegistry implements CodecLookup {
  private readonly tags = new Map<number, FeatureCodec>();
  private readonly names = new Map<string, FeatureCodec>();

  constructor(codecs: readonly FeatureCodec[] = []) {
    for (const codec of codecs) this.register(codec);
  }

  register(codec: FeatureCodec): this {
    assertValidTag(codec.tag, codec.name);
    const byTag = this.tags.get(codec.tag);
    if (byTag !== undefined) throw new RangeError(`Codec tag ${codec.tag} is already taken by ${byTag.name} (registering ${codec.name})`);
    if (this.names.has(codec.name)) throw new RangeError(`A codec named ${codec.name} is already registered`);
    this.tags.set(codec.tag, codec);
    this.names.set(codec.name, codec);
    return this;
  }

  byTag(tag: number): FeatureCodec | undefined {
    return this.tags.get(tag);
  }

  /** Throws RangeError listing the known names, for configuration (a CLI flag, a scenario). */
  byName(name: string): FeatureCodec {
    const codec = this.names.get(name);
    if (codec === undefined) throw new RangeError(`Unknown codec ${JSON.stringify(name)}; known: ${[...this.names.keys()].join(', ')}`);
    return codec;
  }

  list(): FeatureCodec[] {
    return [...this.tags.values()];
  }
}

/** Every codec this code base ships; later codecs (gzip, msgpack, binary) are added here. */
export function createDefaultCodecRegistry(): CodecRegistry {
  return new CodecRegistry([jsonObjectCodec, jsonCodec]);
}
