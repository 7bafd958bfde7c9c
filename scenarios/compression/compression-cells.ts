import type { Redis } from 'ioredis';
import { CodecRegistry, COMPRESSED_CODEC_TAGS } from '../../src/cache/codec-registry.ts';
import type { FeatureCodec } from '../../src/cache/codec.ts';
import { decodeValue, encodeValue } from '../../src/cache/codec.ts';
import { createCompressedCodec, DEFAULT_MAX_DECOMPRESSED_BYTES } from '../../src/cache/compressed-codec.ts';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { float32Codec, FLOAT32_MAX_RELATIVE_ERROR, maxRelativeError } from '../../src/cache/float32-codec.ts';
import { float64Codec } from '../../src/cache/float64-codec.ts';
import { jsonCodec } from '../../src/cache/json-codec.ts';
import { createJsonObjectCodec } from '../../src/cache/json-object-codec.ts';
import { ALPHA158_NAMES } from '../../src/features/alpha158-names.ts';
import { elapsedNs, nowNs } from '../../bench/measure/clock.ts';
import type { CompressionDataset, CompressionSample } from './compression-dataset.ts';

export type ValueSize = 'vector' | 'large';

export interface CodecLevels {
  readonly gzipLevel: number;
  readonly brotliQuality: number;
}

/**
 * The baselines every run keeps, whatever codec the user picked: the document's dict, the service's
 * array, the claim's gzip.
 */
export const ALWAYS_COMPARED = ['json-object', 'json-array', 'json-object-gzip'] as const;

/**
 * The shipped codecs, built for one value shape: the json-object codec needs the feature names
 * (the large case has NAME_LAG names), and the gzip/brotli levels come from the scenario.
 */
export function codecsFor(names: readonly string[], levels: CodecLevels): FeatureCodec[] {
  const jsonObject = createJsonObjectCodec(names);
  const compressed = (
    inner: FeatureCodec,
    algorithm: 'gzip' | 'brotli',
    name: keyof typeof COMPRESSED_CODEC_TAGS,
  ): FeatureCodec =>
    createCompressedCodec({
      inner,
      algorithm,
      name,
      tag: COMPRESSED_CODEC_TAGS[name],
      level: algorithm === 'gzip' ? levels.gzipLevel : levels.brotliQuality,
      maxOutputBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
    });
  return [
    jsonObject,
    jsonCodec,
    compressed(jsonCodec, 'gzip', 'json-array-gzip'),
    compressed(jsonObject, 'gzip', 'json-object-gzip'),
    compressed(jsonCodec, 'brotli', 'json-array-brotli'),
    float64Codec,
    float32Codec,
  ];
}

/** One codec at one value size: its own key, read through the service's FeatureCache on each route. */
export interface CompressionCell {
  readonly codec: FeatureCodec;
  readonly size: ValueSize;
  readonly symbol: string;
  readonly featureCount: number;
  readonly registry: CodecRegistry;
  readonly direct: FeatureCache;
  readonly limited: FeatureCache | null;
}

export function cellLabel(cell: Pick<CompressionCell, 'codec' | 'size'>): string {
  return `codec=${cell.codec.name},size=${cell.size}`;
}

export interface CompressionClients {
  readonly direct: Redis;
  /** Through the bandwidth-limited fault proxy; null when that link is off. */
  readonly limited: Redis | null;
}

/** Cells in order: every size, every codec kept by `only` ('all' or one codec name). */
export function buildCells(
  dataset: CompressionDataset,
  levels: CodecLevels,
  only: string,
  clients: CompressionClients,
  ttlSeconds: number,
): CompressionCell[] {
  const keep = (codec: FeatureCodec): boolean =>
    only === 'all' || codec.name === only || (ALWAYS_COMPARED as readonly string[]).includes(codec.name);
  const shapes: { size: ValueSize; names: readonly string[] }[] = [{ size: 'vector', names: ALPHA158_NAMES }];
  if (dataset.lags > 0) shapes.push({ size: 'large', names: dataset.largeNames });
  const cells: CompressionCell[] = [];
  for (const { size, names } of shapes) {
    const codecs = codecsFor(names, levels);
    const registry = new CodecRegistry(codecs);
    for (const codec of codecs.filter(keep)) {
      const cache = (client: Redis): FeatureCache =>
        new FeatureCache({ client, codec, registry, featureCount: names.length, ttlSeconds });
      cells.push({
        codec,
        size,
        // Keys follow the service's format, one symbol per codec and size: features:CMP3V:2025-01-17.
        symbol: `CMP${codec.tag}${size === 'vector' ? 'V' : 'L'}`,
        featureCount: names.length,
        registry,
        direct: cache(clients.direct),
        limited: clients.limited === null ? null : cache(clients.limited),
      });
    }
  }
  return cells;
}

export function featuresOf(sample: CompressionSample, size: ValueSize): Float64Array {
  return size === 'vector' ? sample.vector : sample.large;
}

/** True when `decoded` is what the codec promises for `original`: bit-exact, or within float32 rounding. */
export function decodedCorrectly(codec: FeatureCodec, original: Float64Array, decoded: Float64Array | null): boolean {
  if (decoded === null || decoded.length !== original.length) return false;
  if (codec.tag === float32Codec.tag) return maxRelativeError(original, decoded) <= FLOAT32_MAX_RELATIVE_ERROR;
  return Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength).equals(
    Buffer.from(original.buffer, original.byteOffset, original.byteLength),
  );
}

export interface CellSink {
  latency(metric: string, ns: number): void;
  anomaly(message: string): void;
}

export const COMPRESSION_METRICS = {
  encode: (cell: CompressionCell) => `encode[${cellLabel(cell)}]`,
  decode: (cell: CompressionCell) => `decode[${cellLabel(cell)}]`,
  getDecode: (cell: CompressionCell) => `get-decode[${cellLabel(cell)}]`,
  getDecodeLimited: (cell: CompressionCell, kbPerSecond: number) =>
    `get-decode[${cellLabel(cell)},link=${kbPerSecond}KBps]`,
};

/**
 * One visit of a cell: `repeats` timed encodes, decodes and GET+decode on the direct connection,
 * then one GET+decode over the limited link, right after a drain read (so the link is busy, as
 * when other traffic saturates it, and the reply pays about bytes / bandwidth). Encode/decode are the
 * codec alone (frame included); GET+decode is FeatureCache.get, the service's hit path. Every result is
 * checked, untimed.
 */
export interface VisitOptions {
  readonly repeats: number;
  readonly bandwidthKbPerSecond: number;
  /** An untimed read on the limited connection that empties the proxy's token bucket (see drainBytes). */
  readonly drainLimitedLink: () => Promise<unknown>;
}

/**
 * Bytes of the value read to drain the limited link before each timed read: a little more than
 * the proxy's burst (TokenBucket.burstMs of the rate). Without it, a reply smaller than the burst
 * would cross an idle link at full speed and the bandwidth would not show at all.
 */
export function drainBytes(kbPerSecond: number, burstMs: number): number {
  return Math.ceil(kbPerSecond * burstMs * 1.1);
}

export async function visitCell(
  cell: CompressionCell,
  date: string,
  features: Float64Array,
  options: VisitOptions,
  sink: CellSink,
): Promise<void> {
  const { repeats, bandwidthKbPerSecond } = options;
  const { codec, registry } = cell;
  let value: Buffer = Buffer.alloc(0);
  for (let i = 0; i < repeats; i++) {
    const start = nowNs();
    value = encodeValue(codec, features);
    sink.latency(COMPRESSION_METRICS.encode(cell), elapsedNs(start));
  }
  for (let i = 0; i < repeats; i++) {
    const start = nowNs();
    const result = decodeValue(registry, value, cell.featureCount, { only: codec });
    sink.latency(COMPRESSION_METRICS.decode(cell), elapsedNs(start));
    if (!decodedCorrectly(codec, features, result.ok ? result.features : null))
      sink.anomaly(`${cellLabel(cell)}: decode gave a wrong or no vector${result.ok ? '' : ` (${result.reason})`}`);
  }
  for (let i = 0; i < repeats; i++) {
    const start = nowNs();
    const decoded = await cell.direct.get(cell.symbol, date);
    sink.latency(COMPRESSION_METRICS.getDecode(cell), elapsedNs(start));
    if (!decodedCorrectly(codec, features, decoded))
      sink.anomaly(`${cellLabel(cell)}: GET+decode gave a wrong vector or a miss`);
  }
  if (cell.limited !== null) {
    await options.drainLimitedLink();
    const start = nowNs();
    const decoded = await cell.limited.get(cell.symbol, date);
    sink.latency(COMPRESSION_METRICS.getDecodeLimited(cell, bandwidthKbPerSecond), elapsedNs(start));
    if (!decodedCorrectly(codec, features, decoded))
      sink.anomaly(`${cellLabel(cell)}: GET+decode over the limited link gave a wrong vector or a miss`);
  }
}
