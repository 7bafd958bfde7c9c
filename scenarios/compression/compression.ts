import os from 'node:os';
import type { Redis } from 'ioredis';
import { CODEC_NAMES } from '../../src/cache/codec-registry.ts';
import { FRAME_HEADER_BYTES, encodeValue } from '../../src/cache/codec.ts';
import { COMPRESSION_LEVEL_RANGE } from '../../src/cache/compressed-codec.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { maxRelativeError } from '../../src/cache/float32-codec.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { CLAIMS } from '../../bench/analysis/claim-registry.ts';
import {
  breakEven,
  describeBreakEven,
  formatKbPerSecond,
  sizeRatio,
  transferMs,
} from './compression-figures.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { formatFigure, judgeClaim } from '../../bench/analysis/verdict.ts';
import { isLoopbackAddress } from '../../bench/faults/fault-proxy-options.ts';
import { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import type { Toxic } from '../../bench/faults/toxic.ts';
import { buildCompressionDataset } from './compression-dataset.ts';
import type { CompressionSample } from './compression-dataset.ts';
import {
  buildCells,
  cellLabel,
  COMPRESSION_METRICS,
  drainBytes,
  featuresOf,
  visitCell,
} from './compression-cells.ts';
import { TokenBucket } from '../../bench/faults/token-bucket.ts';
import type { CompressionCell, ValueSize } from './compression-cells.ts';
import { MeasuredRounds } from '../../bench/run/measured-rounds.ts';
import type { RoundPlan } from '../../bench/run/round-runner.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome, ScenarioValue } from '../../bench/core/scenario.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

const SCENARIO_ID = 'compression';
const CLAIM_ID = 'optimization.gzip-ratio';
const NS_PER_MS = 1e6;
/** Read before each timed read on the limited link, to empty the proxy's token bucket. */
const DRAIN_KEY = 'rpb:compression:drain';
/** The baseline of the break-even: the service's default codec, what a switch would replace. */
const BREAK_EVEN_BASELINE = 'json-array';
/** The document's format, the baseline of every size ratio. */
const RATIO_BASELINE = 'json-object';

export interface CompressionParams extends RoundPlan {
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

export const DEFAULT_COMPRESSION_PARAMS: CompressionParams = {
  rounds: 5,
  roundDurationMs: 4_000,
  minIterationsPerRound: 1,
  maxIterationsPerRound: 100_000,
  warmupDurationMs: 1_000,
  warmupIterations: 1,
  codec: 'all',
  gzipLevel: 9,
  brotliQuality: 5,
  largeJsonKb: 50,
  bandwidthKbPerSecond: 1_000,
  limitedRttMs: 0,
  repeats: 10,
  ttlSeconds: 3_600,
};

/** --quick: 3 rounds (the fewest that give a verdict), short rounds. */
export const QUICK_COMPRESSION_PARAMS: CompressionParams = {
  ...DEFAULT_COMPRESSION_PARAMS,
  rounds: 3,
  roundDurationMs: 1_200,
  warmupDurationMs: 300,
};

export const COMPRESSION_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 3,
    max: 30,
    description: 'rounds; each uses another symbol and date (trials behind the verdict)',
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

interface Route {
  readonly clients: { direct: Redis; limited: Redis | null };
  readonly proxy: FaultProxy | null;
  readonly skippedLimited: string | null;
}

async function openRoute(context: ScenarioContext, params: CompressionParams): Promise<Route> {
  const clientOptions = { commandTimeoutMs: 60_000, connectionName: 'rpb-compression' };
  const opened: Redis[] = [];
  let proxy: FaultProxy | null = null;
  let skippedLimited: string | null = null;
  try {
    const direct = createRedisClient(context.redisUrl, clientOptions);
    opened.push(direct);
    let limited: Redis | null = null;
    const url = new URL(context.redisUrl);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (params.bandwidthKbPerSecond > 0 && !isLoopbackAddress(host === 'localhost' ? '127.0.0.1' : host)) {
      skippedLimited = `no limited link: the target ${context.redactedUrl} is not on loopback, and the fault proxy forwards only to loopback`;
    } else if (params.bandwidthKbPerSecond > 0) {
      const toxics: Toxic[] = [
        { kind: 'bandwidth', kbPerSecond: params.bandwidthKbPerSecond, direction: 'downstream' },
      ];
      if (params.limitedRttMs > 0)
        toxics.push({ kind: 'latency', latencyMs: params.limitedRttMs / 2, direction: 'both' });
      proxy = await FaultProxy.start({
        upstreamHost: host === 'localhost' ? '127.0.0.1' : host,
        upstreamPort: Number(url.port || 6379),
        toxics,
        seed: context.params.seed,
      });
      url.hostname = proxy.host;
      url.port = String(proxy.port);
      limited = createRedisClient(url.toString(), { ...clientOptions, connectionName: 'rpb-compression-limited' });
      opened.push(limited);
    }
    for (const client of opened) await waitUntilReady(client, 5_000);
    return { clients: { direct, limited }, proxy, skippedLimited };
  } catch (error) {
    for (const client of opened) client.disconnect();
    await proxy?.close();
    throw error;
  }
}

/** Per-round (per-sample) sizes: framed value bytes and Redis MEMORY USAGE of each cell. */
interface RoundSizes {
  readonly valueBytes: Map<string, number>;
  readonly memoryBytes: Map<string, number | null>;
}

async function storeSample(
  cells: readonly CompressionCell[],
  sample: CompressionSample,
  admin: Redis,
  written: Set<string>,
): Promise<RoundSizes> {
  const valueBytes = new Map<string, number>();
  const memoryBytes = new Map<string, number | null>();
  for (const cell of cells) {
    const features = featuresOf(sample, cell.size);
    await cell.direct.set(cell.symbol, sample.date, features);
    const key = featureKey(cell.symbol, sample.date);
    written.add(key);
    valueBytes.set(cellLabel(cell), encodeValue(cell.codec, features).length);
    const usage = await admin.call('MEMORY', 'USAGE', key, 'SAMPLES', '0').catch(() => null);
    memoryBytes.set(cellLabel(cell), typeof usage === 'number' ? usage : null);
  }
  return { valueBytes, memoryBytes };
}

function p50Ms(context: ScenarioContext, metric: string): number | null {
  if (!context.recorders.names().includes(metric)) return null;
  const total = context.recorders.metric(metric).total();
  return total.totalCount === 0 ? null : total.getValueAtPercentile(50) / NS_PER_MS;
}

function medianOrNull(values: readonly (number | null | undefined)[]): number | null {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return finite.length > 0 ? medianOf(finite) : null;
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { params: runParams, recorders, progress, admin } = context;
  const params: CompressionParams = {
    ...(runParams.quick ? QUICK_COMPRESSION_PARAMS : DEFAULT_COMPRESSION_PARAMS),
    ...context.overrides,
  };
  const claim = CLAIMS.find((c) => c.id === CLAIM_ID);
  if (claim === undefined) throw new Error(`claim ${CLAIM_ID} is missing from the claim registry`);
  const dataset = buildCompressionDataset(params.rounds, runParams.seed, params.largeJsonKb * 1_000);
  const written = new Set<string>();
  const route = await openRoute(context, params);
  const sizesPerRound: RoundSizes[] = [];
  const f32ErrorPerRound: Map<ValueSize, number>[] = [];
  const anomalies: string[] = [];
  let anomalyCount = 0;
  let cells: CompressionCell[] = [];
  let result;
  try {
    cells = buildCells(dataset, params, params.codec, route.clients, params.ttlSeconds);
    const measured = new MeasuredRounds(
      context,
      SCENARIO_ID,
      {
        ...params,
        minIterationsPerRound: params.minIterationsPerRound * cells.length,
        maxIterationsPerRound: params.maxIterationsPerRound * cells.length,
        warmupIterations: params.warmupIterations * cells.length,
      },
      'cell visits',
    );
    const sink = {
      latency(metric: string, ns: number) {
        if (measured.measuring) recorders.metric(metric).recordNs(ns);
      },
      anomaly(message: string) {
        anomalyCount += 1;
        if (anomalies.length < 20) anomalies.push(message);
      },
    };
    const limitedClient = route.clients.limited;
    const drainLimitedLink = async (): Promise<unknown> =>
      limitedClient === null ? null : limitedClient.getBuffer(DRAIN_KEY);
    if (limitedClient !== null) {
      await admin.set(
        DRAIN_KEY,
        Buffer.alloc(drainBytes(params.bandwidthKbPerSecond, TokenBucket.burstMs), 0x5a),
        'EX',
        params.ttlSeconds,
      );
      written.add(DRAIN_KEY);
    }
    let storedRound: number | null = null;
    let visit = 0;
    progress(
      `${cells.length} cells (${[...new Set(cells.map((c) => c.codec.name))].join(', ')} x ${dataset.lags > 0 ? `vector and large (${dataset.lags} lags)` : 'vector'}); ${route.clients.limited === null ? 'no limited link' : `limited link ${formatKbPerSecond(params.bandwidthKbPerSecond)}`}; warm-up ${params.warmupDurationMs} ms, then ${params.rounds} rounds of ${params.roundDurationMs} ms`,
    );
    result = await measured.run({
      iterate: async (round) => {
        const sampleIndex = Math.max(round, 0);
        const sample = dataset.samples[sampleIndex]!;
        if (storedRound !== round) {
          storedRound = round;
          const sizes = await storeSample(cells, sample, admin, written);
          if (round >= 0) sizesPerRound[round] = sizes;
        }
        const cell = cells[visit % cells.length]!;
        visit += 1;
        await visitCell(
          cell,
          sample.date,
          featuresOf(sample, cell.size),
          { repeats: params.repeats, bandwidthKbPerSecond: params.bandwidthKbPerSecond, drainLimitedLink },
          sink,
        );
      },
      onRoundDone: (round) => {
        const sample = dataset.samples[round]!;
        const errors = new Map<ValueSize, number>();
        for (const cell of cells.filter((c) => c.codec.name === 'float32')) {
          const features = featuresOf(sample, cell.size);
          errors.set(cell.size, maxRelativeError(features, cell.codec.decode(cell.codec.encode(features))));
        }
        f32ErrorPerRound[round] = errors;
      },
    });
  } finally {
    for (const client of [route.clients.direct, route.clients.limited]) client?.disconnect();
    await route.proxy?.close();
    // Best effort: the keys carry a TTL if Redis is gone; the run's own error matters more.
    if (written.size > 0) await admin.unlink(...written).catch(() => 0);
  }

  const rounds = sizesPerRound.length;
  const claimSize: ValueSize = dataset.lags > 0 ? 'large' : 'vector';
  const label = (codec: string, size: ValueSize): string => `codec=${codec},size=${size}`;
  const payloadBytes = (round: number, codec: string, size: ValueSize): number =>
    (sizesPerRound[round]?.valueBytes.get(label(codec, size)) ?? Number.NaN) - FRAME_HEADER_BYTES;
  const ratioTrials = (codec: string, size: ValueSize): number[] =>
    Array.from({ length: rounds }, (_, r) =>
      sizeRatio(payloadBytes(r, RATIO_BASELINE, size), payloadBytes(r, codec, size)),
    );
  const claimTrials = ratioTrials('json-object-gzip', claimSize);
  const values: Record<string, ScenarioValue> = {};
  const notes: string[] = [];
  const sizes = [...new Set(cells.map((c) => c.size))];
  for (const size of sizes) {
    const baselineDecode = p50Ms(context, `decode[${label(BREAK_EVEN_BASELINE, size)}]`);
    const baselineBytes = medianOrNull(sizesPerRound.map((s) => s.valueBytes.get(label(BREAK_EVEN_BASELINE, size))));
    for (const cell of cells.filter((c) => c.size === size)) {
      const name = cellLabel(cell);
      const bytes = medianOrNull(sizesPerRound.map((s) => s.valueBytes.get(name)));
      const memory = medianOrNull(sizesPerRound.map((s) => s.memoryBytes.get(name)));
      const ratio = medianOrNull(ratioTrials(cell.codec.name, size));
      const encodeMs = p50Ms(context, COMPRESSION_METRICS.encode(cell));
      const decodeMs = p50Ms(context, COMPRESSION_METRICS.decode(cell));
      const getMs = p50Ms(context, COMPRESSION_METRICS.getDecode(cell));
      const limitedMs = p50Ms(context, COMPRESSION_METRICS.getDecodeLimited(cell, params.bandwidthKbPerSecond));
      values[`bytes[${name}]`] = {
        value: bytes,
        unit: 'bytes',
        description: `stored value size (4-byte frame header included), median over rounds`,
      };
      values[`ratio[${name}]`] = {
        value: ratio,
        unit: 'x',
        description: `${RATIO_BASELINE} payload bytes / this codec's payload bytes (the document's dict JSON vs this), median over rounds`,
      };
      values[`memory-usage[${name}]`] = {
        value: memory,
        unit: 'bytes',
        description: 'Redis MEMORY USAGE of the key (SAMPLES 0), median over rounds',
      };
      values[`encode-p50-us[${name}]`] = {
        value: encodeMs === null ? null : encodeMs * 1_000,
        unit: 'us',
        description: 'p50 of encodeValue (codec + frame), all rounds',
      };
      values[`decode-p50-us[${name}]`] = {
        value: decodeMs === null ? null : decodeMs * 1_000,
        unit: 'us',
        description: 'p50 of decodeValue (frame check + codec), all rounds',
      };
      values[`get-decode-p50-ms[${name}]`] = {
        value: getMs,
        unit: 'ms',
        description: `p50 of FeatureCache.get (GET + decode), ${context.network}`,
      };
      if (route.clients.limited !== null) {
        values[`get-decode-limited-p50-ms[${name}]`] = {
          value: limitedMs,
          unit: 'ms',
          description: `p50 of FeatureCache.get over the limited link (${formatKbPerSecond(params.bandwidthKbPerSecond)} replies${params.limitedRttMs > 0 ? `, +${params.limitedRttMs} ms round trip` : ''})`,
        };
      }
      let breakEvenText = 'n/a';
      if (
        decodeMs !== null &&
        baselineDecode !== null &&
        bytes !== null &&
        baselineBytes !== null &&
        cell.codec.name !== BREAK_EVEN_BASELINE
      ) {
        const even = breakEven({ bytes, decodeMs }, { bytes: baselineBytes, decodeMs: baselineDecode });
        breakEvenText = describeBreakEven(even, BREAK_EVEN_BASELINE);
        values[`break-even-kbps[${name}]`] = {
          value: even.kbPerSecond,
          unit: 'KB/s',
          description: `${breakEvenText}: bandwidth where (bytes / bandwidth + decode p50) equals ${BREAK_EVEN_BASELINE}'s; null when it pays always or never (see notes)`,
        };
      }
      const fmt = (v: number | null, unit: string): string => (v === null ? 'n/a' : formatFigure(v, unit));
      notes.push(
        `${size} ${cell.codec.name}: ${bytes ?? 'n/a'} bytes (${ratio === null ? 'n/a' : formatFigure(ratio, 'x')} smaller than ${RATIO_BASELINE}), Redis memory ${memory ?? 'n/a'} bytes; encode p50 ${fmt(encodeMs === null ? null : encodeMs * 1_000, 'us')}, decode p50 ${fmt(decodeMs === null ? null : decodeMs * 1_000, 'us')}; GET+decode p50 ${fmt(getMs, 'ms')} direct${route.clients.limited === null ? '' : `, ${fmt(limitedMs, 'ms')} limited (wire time at that bandwidth ${bytes === null ? 'n/a' : formatFigure(transferMs(bytes, params.bandwidthKbPerSecond), 'ms')})`}; ${breakEvenText}`,
      );
    }
    const f32 = medianOrNull(f32ErrorPerRound.map((m) => m?.get(size)));
    if (f32 !== null) {
      values[`float32-max-relative-error[size=${size}]`] = {
        value: f32,
        unit: 'ratio',
        description:
          'largest |float32(x) - x| / |x| over the finite non-zero features, median over rounds (bound 2^-24 = 5.96e-8)',
      };
      notes.push(
        `float32 (lossy), ${size}: largest relative error ${f32.toExponential(2)} (about ${Math.floor(-Math.log10(f32))} significant digits kept; float64 keeps 15-17)`,
      );
    }
  }
  const claimRatio = medianOrNull(claimTrials);
  const docBytes = medianOrNull(Array.from({ length: rounds }, (_, r) => payloadBytes(r, RATIO_BASELINE, claimSize)));
  const gzBytes = medianOrNull(
    Array.from({ length: rounds }, (_, r) => payloadBytes(r, 'json-object-gzip', claimSize)),
  );
  values['gzip-ratio'] = {
    value: claimRatio,
    unit: 'x',
    description: `the claim's figure: document dict JSON bytes / its gzip (level ${params.gzipLevel}) at the ${claimSize} size, median over rounds`,
  };
  notes.unshift(
    `document: "Uncompressed: 50KB JSON" -> "Compressed: 5KB (10x smaller)"; measured at the ${claimSize} size: ${docBytes ?? 'n/a'} bytes of dict JSON -> ${gzBytes ?? 'n/a'} bytes gzipped (level ${params.gzipLevel}), ${claimRatio === null ? 'n/a' : formatFigure(claimRatio, 'x')}; Alpha158 values are high-entropy floats (15-17 significant digits each), so gzip mostly saves the repeated key names and digit alphabet`,
    `metric names: encode|decode|get-decode[codec=<name>,size=vector|large] and get-decode[...,link=<KB/s>KBps] over the limited link; sizes: vector = the document's value (158 floats), large = ${dataset.lags} trading days of Alpha158 (NAME_LAG keys), about ${params.largeJsonKb} KB of dict JSON`,
    `each round uses another symbol and date (${dataset.samples
      .slice(0, rounds)
      .map((s) => `${s.symbol} ${s.date}`)
      .join(', ')})`,
  );
  if (route.skippedLimited !== null) notes.push(route.skippedLimited);
  if (route.clients.limited !== null)
    notes.push(
      `limited link: fault proxy bandwidth toxic ${params.bandwidthKbPerSecond} KB/s on replies (token bucket with a ${TokenBucket.burstMs} ms burst); before each timed read an untimed read of ${drainBytes(params.bandwidthKbPerSecond, TokenBucket.burstMs)} bytes empties the bucket, so the timed reply pays about bytes / bandwidth, as on a link other traffic keeps busy (an idle link would pass replies under the burst at full speed)`,
    );
  notes.push(`anomalies (wrong vector, miss): ${anomalyCount}`, ...anomalies.map((a) => `anomaly: ${a}`));
  if (result?.interrupted)
    notes.push('interrupted: fewer rounds than planned; the unfinished round is in the histograms but is not a trial');
  values.anomalies = {
    value: anomalyCount,
    unit: 'count',
    description: 'decodes or GETs that gave a wrong vector or a miss (expected 0)',
  };
  const conditions = [
    `${claimSize === 'large' ? `the document's large case: ${dataset.lags} days of Alpha158 as one dict of ${dataset.largeNames.length} named floats, ~${params.largeJsonKb} KB of JSON` : "the document's value: one dict of 158 named floats"}`,
    `gzip level ${params.gzipLevel} (zlib ${process.versions.zlib}); synthetic OHLCV bars (seed ${runParams.seed}), one symbol and date per round; Node ${process.version}, ${os.cpus().length} CPUs`,
    'ratio of payloads (the 4-byte frame header excluded on both sides)',
  ].join('; ');
  return {
    values,
    trials: { [CLAIM_ID]: claimTrials, 'gzip-ratio[size=vector]': ratioTrials('json-object-gzip', 'vector') },
    verdicts: [judgeClaim(claim, claimTrials, conditions)],
    parameters: {
      ...params,
      lags: dataset.lags,
      cells: cells.map(cellLabel),
      limitedLink: route.clients.limited !== null,
    },
    notes,
  };
}

export const compression: Scenario = {
  id: SCENARIO_ID,
  description:
    'Feature-value codecs (JSON dict/array, gzip, brotli, float64, float32): bytes, Redis memory, encode/decode cost, GET+decode direct and over a bandwidth-limited link, and the break-even bandwidth.',
  claims: [CLAIM_ID],
  tunables: COMPRESSION_TUNABLES,
  run,
};
