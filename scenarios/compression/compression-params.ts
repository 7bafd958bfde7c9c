import { CODEC_NAMES } from '../../src/cache/codec-registry.ts';
import { COMPRESSION_LEVEL_RANGE } from '../../src/cache/compressed-codec.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';
import type { RoundPlan } from '../../bench/run/round-runner.ts';

/**
 * The claim is a ratio of sizes, a pure function of the value: its trials are `samples` values
 * (another symbol and date each), encoded without Redis. The rounds only time the codecs (encode,
 * decode, GET over each link) for the figures without a claim; each stores another sample.
 */
export interface CompressionParams extends RoundPlan {
  /** Values (one symbol and date each) whose sizes are the trials of the gzip claim. */
  readonly samples: number;
  /** 'all', or one codec name (the baselines json-object, json-array and json-object-gzip are always kept). */
  readonly codec: string;
  /** The claim's gzip and json-array-gzip; 9 is Python's gzip.compress default, the document's call. */
  readonly gzipLevel: number;
  readonly brotliQuality: number;
  /** The document's "large features" JSON size in KB (1000 bytes); 0: only the 158-float vector. */
  readonly largeJsonKb: number;
  /** Replies over the limited link are shaped to this (fault proxy bandwidth toxic); 0: no limited link. */
  readonly bandwidthKbPerSecond: number;
  /** Round trip added on the limited link (half each way), on top of the bandwidth limit. */
  readonly limitedRttMs: number;
  /** Timed encodes, decodes and direct GETs per cell visit (the limited link gets one GET). */
  readonly repeats: number;
  readonly ttlSeconds: number;
}

/** 9 samples give a 95% interval that drops the lowest and the highest ratio. */
export const DEFAULT_COMPRESSION_PARAMS: CompressionParams = {
  samples: 9,
  rounds: 3,
  roundDurationMs: 2_000,
  minIterationsPerRound: 1,
  maxIterationsPerRound: 100_000,
  // zlib and brotli are native: the warm-up covers the JIT of the JSON codecs and the connections.
  warmupDurationMs: 300,
  warmupIterations: 0,
  codec: 'all',
  gzipLevel: 9,
  brotliQuality: 5,
  largeJsonKb: 50,
  bandwidthKbPerSecond: 1_000,
  limitedRttMs: 0,
  repeats: 10,
  ttlSeconds: 3_600,
};

/** --quick: 6 samples (the fewest that give a verdict), one timing round of one visit per cell. */
export const QUICK_COMPRESSION_PARAMS: CompressionParams = {
  ...DEFAULT_COMPRESSION_PARAMS,
  samples: 6,
  rounds: 1,
  roundDurationMs: 200,
  warmupDurationMs: 150,
};

export const COMPRESSION_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  samples: {
    kind: 'integer',
    min: 1,
    max: 100,
    description: 'values (another symbol and date each) whose sizes are the trials behind the verdict',
  },
  rounds: {
    kind: 'integer',
    min: 1,
    max: 30,
    description: 'timing rounds (figures without a claim); each stores another symbol and date',
  },
  roundDurationMs: {
    kind: 'integer',
    min: 50,
    max: 600_000,
    description: 'length of one round, shared by every codec x size cell',
  },
  warmupDurationMs: { kind: 'integer', min: 0, max: 600_000, description: 'warm-up before the first round' },
  minIterationsPerRound: {
    kind: 'integer',
    min: 1,
    max: 10_000,
    description: 'visits of every cell per round at least',
  },
  codec: {
    kind: 'choice',
    values: ['all', ...CODEC_NAMES],
    description: 'compare every codec, or one codec against the baselines (json-object, json-array, json-object-gzip)',
  },
  gzipLevel: {
    kind: 'integer',
    min: COMPRESSION_LEVEL_RANGE.gzip.min,
    max: COMPRESSION_LEVEL_RANGE.gzip.max,
    description: "gzip level (9: Python's gzip.compress default, as in the document)",
  },
  brotliQuality: {
    kind: 'integer',
    min: COMPRESSION_LEVEL_RANGE.brotli.min,
    max: COMPRESSION_LEVEL_RANGE.brotli.max,
    description: 'brotli quality',
  },
  largeJsonKb: {
    kind: 'integer',
    min: 0,
    max: 500,
    description:
      'size of the "large features" value in KB of dict JSON (the document: 50); 0 = only the 158-float vector',
  },
  bandwidthKbPerSecond: {
    kind: 'number',
    min: 0,
    max: 100_000,
    description:
      'bandwidth of the limited link in KB/s (1 KB = 1000 bytes), through the fault proxy; 0 = no limited link',
  },
  limitedRttMs: { kind: 'number', min: 0, max: 1_000, description: 'round trip added on the limited link, ms' },
  repeats: {
    kind: 'integer',
    min: 1,
    max: 1_000,
    description: 'timed encodes, decodes and direct GETs per cell visit',
  },
};
