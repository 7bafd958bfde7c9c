import type { CodecLookup, FeatureCodec } from './codec.ts';
import { assertValidTag } from './codec.ts';
import {
  DEFAULT_BROTLI_QUALITY,
  DEFAULT_GZIP_LEVEL,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  createCompressedCodec,
} from './compressed-codec.ts';
import { float32Codec } from './float32-codec.ts';
import { float64Codec } from './float64-codec.ts';
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
    if (byTag !== undefined)
      throw new RangeError(`Codec tag ${codec.tag} is already taken by ${byTag.name} (registering ${codec.name})`);
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
    if (codec === undefined)
      throw new RangeError(`Unknown codec ${JSON.stringify(name)}; known: ${[...this.names.keys()].join(', ')}`);
    return codec;
  }

  list(): FeatureCodec[] {
    return [...this.tags.values()];
  }

  /** Registered names, in registration order. */
  nameList(): string[] {
    return [...this.names.keys()];
  }
}

/** Tags of the compressed formats (permanent, like every tag; 1 and 2 are json-array and json-object). */
export const COMPRESSED_CODEC_TAGS = { 'json-array-gzip': 3, 'json-object-gzip': 4, 'json-array-brotli': 5 } as const;

/** gzip of the compact JSON array, zlib level 6. */
export const jsonArrayGzipCodec: FeatureCodec = createCompressedCodec({
  inner: jsonCodec,
  algorithm: 'gzip',
  name: 'json-array-gzip',
  tag: COMPRESSED_CODEC_TAGS['json-array-gzip'],
  level: DEFAULT_GZIP_LEVEL,
  maxOutputBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
});

/** gzip of the document's dict JSON: its "Optimization 2" exactly (at zlib level 6 rather than Python's 9). */
export const jsonObjectGzipCodec: FeatureCodec = createCompressedCodec({
  inner: jsonObjectCodec,
  algorithm: 'gzip',
  name: 'json-object-gzip',
  tag: COMPRESSED_CODEC_TAGS['json-object-gzip'],
  level: DEFAULT_GZIP_LEVEL,
  maxOutputBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
});

/** Brotli (quality 5, text mode) of the compact JSON array. */
export const jsonArrayBrotliCodec: FeatureCodec = createCompressedCodec({
  inner: jsonCodec,
  algorithm: 'brotli',
  name: 'json-array-brotli',
  tag: COMPRESSED_CODEC_TAGS['json-array-brotli'],
  level: DEFAULT_BROTLI_QUALITY,
  maxOutputBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
});

/** Every codec this code base ships, in this order (json-object first: the document's format). */
export const SHIPPED_CODECS: readonly FeatureCodec[] = Object.freeze([
  jsonObjectCodec,
  jsonCodec,
  jsonArrayGzipCodec,
  jsonObjectGzipCodec,
  jsonArrayBrotliCodec,
  float64Codec,
  float32Codec,
]);

export function createDefaultCodecRegistry(): CodecRegistry {
  return new CodecRegistry(SHIPPED_CODECS);
}

/** Names a user may give (a CLI flag, `--set codec=...`), in SHIPPED_CODECS order. */
export const CODEC_NAMES: readonly string[] = Object.freeze(SHIPPED_CODECS.map((codec) => codec.name));

/** A shipped codec by name; throws RangeError listing the known names (the harness turns it into a ConfigError). */
export function codecByName(name: string): FeatureCodec {
  return createDefaultCodecRegistry().byName(name);
}
