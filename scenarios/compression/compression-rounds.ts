/** The measuring half of compression: every codec x size cell visited in turn, round after round. */
import type { Redis } from 'ioredis';
import type { RoundsResult } from '../../bench/run/round-runner.ts';
import { TokenBucket } from '../../bench/faults/token-bucket.ts';
import { MeasuredRounds } from '../../bench/run/measured-rounds.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { encodeValue } from '../../src/cache/codec.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { maxRelativeError } from '../../src/cache/float32-codec.ts';
import { buildCells, cellLabel, drainBytes, featuresOf, visitCell } from './compression-cells.ts';
import type { CellSink, CompressionCell, ValueSize } from './compression-cells.ts';
import type { CompressionDataset, CompressionSample } from './compression-dataset.ts';
import { formatKbPerSecond } from './compression-figures.ts';
import type { CompressionParams } from './compression-params.ts';
import type { Route } from './compression-route.ts';

export const SCENARIO_ID = 'compression';
/** Read before each timed read on the limited link, to empty the proxy's token bucket. */
const DRAIN_KEY = 'rpb:compression:drain';

/** What the rounds measured besides the histograms (those are in context.recorders). */
export interface CompressionMeasurement {
  readonly cells: readonly CompressionCell[];
  /** Per sample (one symbol and date each): framed value bytes of every cell, by cellLabel. */
  readonly bytesPerSample: readonly ReadonlyMap<string, number>[];
  /** Per sample: float32's largest relative error at each size. */
  readonly f32ErrorPerSample: readonly ReadonlyMap<ValueSize, number>[];
  /** Per timing round: Redis MEMORY USAGE of every cell's key (null when the server refused it). */
  readonly memoryPerRound: Map<string, number | null>[];
  /** The first 20 anomaly messages, and how many there were in all. */
  readonly anomalies: string[];
  readonly anomalyCount: number;
  readonly result: RoundsResult;
}

/** Framed bytes of every cell's value for one sample: pure, no Redis. */
function sampleBytes(cells: readonly CompressionCell[], sample: CompressionSample): Map<string, number> {
  return new Map(cells.map((cell) => [cellLabel(cell), encodeValue(cell.codec, featuresOf(sample, cell.size)).length]));
}

/** Stores one sample in every cell (each cell's own key) and reads each key's MEMORY USAGE. */
async function storeSample(
  cells: readonly CompressionCell[],
  sample: CompressionSample,
  admin: Redis,
  written: Set<string>,
): Promise<Map<string, number | null>> {
  const memoryBytes = new Map<string, number | null>();
  for (const cell of cells) {
    await cell.direct.set(cell.symbol, sample.date, featuresOf(sample, cell.size));
    const key = featureKey(cell.symbol, sample.date);
    written.add(key);
    const usage = await admin.call('MEMORY', 'USAGE', key, 'SAMPLES', '0').catch(() => null);
    memoryBytes.set(cellLabel(cell), typeof usage === 'number' ? usage : null);
  }
  return memoryBytes;
}

/** The untimed read that empties the limited link's token bucket (a no-op without that link). */
async function prepareDrain(
  context: ScenarioContext,
  params: CompressionParams,
  route: Route,
  written: Set<string>,
): Promise<() => Promise<unknown>> {
  const limitedClient = route.clients.limited;
  if (limitedClient !== null) {
    await context.admin.set(
      DRAIN_KEY,
      Buffer.alloc(drainBytes(params.bandwidthKbPerSecond, TokenBucket.burstMs), 0x5a),
      'EX',
      params.ttlSeconds,
    );
    written.add(DRAIN_KEY);
  }
  return async (): Promise<unknown> => (limitedClient === null ? null : limitedClient.getBuffer(DRAIN_KEY));
}

function planLine(
  params: CompressionParams,
  dataset: CompressionDataset,
  route: Route,
  cells: readonly CompressionCell[],
): string {
  return `${cells.length} cells (${[...new Set(cells.map((c) => c.codec.name))].join(', ')} x ${dataset.lags > 0 ? `vector and large (${dataset.lags} lags)` : 'vector'}); sizes of ${params.samples} samples; ${route.clients.limited === null ? 'no limited link' : `limited link ${formatKbPerSecond(params.bandwidthKbPerSecond)}`}; timing: warm-up ${params.warmupDurationMs} ms, then ${params.rounds} round(s) of ${params.roundDurationMs} ms`;
}

/** float32's largest relative error on each size of this round's sample. */
function float32Errors(cells: readonly CompressionCell[], sample: CompressionSample): Map<ValueSize, number> {
  const errors = new Map<ValueSize, number>();
  for (const cell of cells.filter((c) => c.codec.name === 'float32')) {
    const features = featuresOf(sample, cell.size);
    errors.set(cell.size, maxRelativeError(features, cell.codec.decode(cell.codec.encode(features))));
  }
  return errors;
}

/**
 * The sizes of every sample in every cell (pure: the claim's trials), then the timing rounds: each
 * stores its own sample in every cell (MEMORY USAGE per round) and visits the cells in turn; one
 * cell visit is one iteration. Every key written is added to `written`.
 */
export async function measureCells(
  context: ScenarioContext,
  params: CompressionParams,
  dataset: CompressionDataset,
  route: Route,
  written: Set<string>,
): Promise<CompressionMeasurement> {
  const cells = buildCells(dataset, params, params.codec, route.clients, params.ttlSeconds);
  const samples = dataset.samples.slice(0, params.samples);
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
  const measurement = {
    cells,
    bytesPerSample: samples.map((sample) => sampleBytes(cells, sample)),
    f32ErrorPerSample: samples.map((sample) => float32Errors(cells, sample)),
    memoryPerRound: [] as Map<string, number | null>[],
    anomalies: [] as string[],
    anomalyCount: 0,
  };
  const sink: CellSink = {
    latency(metric: string, ns: number) {
      if (measured.measuring) context.recorders.metric(metric).recordNs(ns);
    },
    anomaly(message: string) {
      measurement.anomalyCount += 1;
      if (measurement.anomalies.length < 20) measurement.anomalies.push(message);
    },
  };
  const drainLimitedLink = await prepareDrain(context, params, route, written);
  const visit = { repeats: params.repeats, bandwidthKbPerSecond: params.bandwidthKbPerSecond, drainLimitedLink };
  let storedRound: number | null = null;
  let visits = 0;
  context.progress(planLine(params, dataset, route, cells));
  const result = await measured.run({
    iterate: async (round) => {
      const sample = dataset.samples[Math.max(round, 0)]!;
      if (storedRound !== round) {
        storedRound = round;
        const memory = await storeSample(cells, sample, context.admin, written);
        if (round >= 0) measurement.memoryPerRound[round] = memory;
      }
      const cell = cells[visits % cells.length]!;
      visits += 1;
      await visitCell(cell, sample.date, featuresOf(sample, cell.size), visit, sink);
    },
  });
  return { ...measurement, result };
}
