/** The trials of large-objects: the 10 MB DataFrame JSON and the feature vector, side by side in each. */
import type { Redis } from 'ioredis';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import { RespConnection } from '../../bench/load/resp-connection.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { decodeValue, encodeValue } from '../../src/cache/codec.ts';
import { createDefaultCodecRegistry } from '../../src/cache/codec-registry.ts';
import { DEFAULT_FEATURE_CACHE_OPTIONS } from '../../src/cache/feature-cache.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { dataFrameOfSize, toJsonBuffer } from './data-frame-json.ts';
import { DOCUMENT_TTL_SECONDS, Mover, runWindow } from './head-of-line.ts';
import type { MovedValue, WindowResult } from './head-of-line.ts';
import type { LargeObjectsParams } from './large-objects-params.ts';
import { featureValues } from '../memory-sizing/memory-fill.ts';

/** The document's keys: `all_data:AAPL` and `features:AAPL:2025-01-17`. */
export const SYMBOL = 'AAPL';
export const DATE = '2025-01-17';
export const LARGE_KEY = `all_data:${SYMBOL}`;
export const VECTOR_KEY = featureKey(SYMBOL, DATE);
/** The other client's key: another symbol's feature vector. */
const PROBE_KEY = featureKey('MSFT', DATE);
/** The feature vector's operations are µs: this many per large one, so its medians are as steady. */
const VECTOR_REPEAT = 20;

/** One trial's figures, each the median over its repetitions. */
export interface LargeObjectTrial {
  /** Serialise (to a Buffer) + parse, ms. */
  readonly largeCodecMs: number;
  readonly vectorCodecMs: number;
  readonly largeSetMs: number;
  readonly largeGetMs: number;
  readonly vectorSetMs: number;
  readonly vectorGetMs: number;
  readonly largeMemoryUsage: number;
  readonly vectorMemoryUsage: number;
  readonly windows: Readonly<Record<MovedValue, WindowResult>>;
}

export interface LargeObjectsMeasurement {
  readonly p: LargeObjectsParams;
  readonly rows: number;
  readonly largeBytes: number;
  readonly vectorBytes: number;
  readonly trials: readonly LargeObjectTrial[];
}

function elapsedMs(start: bigint): number {
  return Number(nowNs() - start) / NS_PER_MS;
}

/** Median time of `repeat` runs of `work`, ms. */
async function medianMs(repeat: number, work: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = nowNs();
    await work();
    times.push(elapsedMs(start));
  }
  return medianOf(times);
}

/** What the trials share: the two values, the vector, the clients and the mover. */
interface Rig {
  readonly vector: Float64Array;
  readonly vectorValue: Buffer;
  readonly largeValue: Buffer;
  readonly client: Redis;
  readonly mover: Mover;
  readonly probe: RespConnection;
}

/** Serialise + parse of the large object (in the mover's thread) and encode + decode of the vector, ms. */
async function codecTimes(rig: Rig, p: LargeObjectsParams, largeFirst: boolean) {
  const registry = createDefaultCodecRegistry();
  const codec = DEFAULT_FEATURE_CACHE_OPTIONS.codec;
  const large = async (): Promise<number> => medianOf([...(await rig.mover.codec(p.codecRepetitions))]);
  const vector = (): Promise<number> =>
    medianMs(p.codecRepetitions * VECTOR_REPEAT, () => {
      const decoded = decodeValue(registry, encodeValue(codec, rig.vector), rig.vector.length, { only: codec });
      if (!decoded.ok) throw new Error(`the feature vector did not decode: ${decoded.reason}`);
    });
  if (largeFirst) {
    const l = await large();
    return { large: l, vector: await vector() };
  }
  const v = await vector();
  return { large: await large(), vector: v };
}

async function ioTimes(rig: Rig, key: string, value: Buffer, repeat: number) {
  const set = await medianMs(repeat, () => rig.client.set(key, value, 'EX', DOCUMENT_TTL_SECONDS));
  const get = await medianMs(repeat, async () => {
    const got = await rig.client.getBuffer(key);
    if (got === null || got.length !== value.length)
      throw new Error(`GET ${key} returned ${got?.length ?? 'nil'} bytes, expected ${value.length}`);
  });
  const usage = await rig.client.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
  return { set, get, usage: typeof usage === 'number' ? usage : Number.NaN };
}

async function trial(
  context: ScenarioContext,
  rig: Rig,
  p: LargeObjectsParams,
  index: number,
): Promise<LargeObjectTrial> {
  const largeFirst = index % 2 === 0;
  const codec = await codecTimes(rig, p, largeFirst);
  const order: MovedValue[] = largeFirst ? ['large', 'vector'] : ['vector', 'large'];
  const io: Record<MovedValue, { set: number; get: number; usage: number }> = {} as never;
  for (const moved of order)
    io[moved] =
      moved === 'large'
        ? await ioTimes(rig, LARGE_KEY, rig.largeValue, p.ioRepetitions)
        : await ioTimes(rig, VECTOR_KEY, rig.vectorValue, p.ioRepetitions * VECTOR_REPEAT);
  const windows = {} as Record<MovedValue, WindowResult>;
  const plan = {
    mover: rig.mover,
    probe: rig.probe,
    probeKey: PROBE_KEY,
    windowMs: p.windowMs,
    probeRatePerSecond: p.probeRatePerSecond,
    recorders: context.recorders,
    signal: context.signal,
  };
  for (const moved of order) {
    windows[moved] = await runWindow(plan, moved, (moved === 'large' ? rig.largeValue : rig.vectorValue).length);
  }
  context.recorders.markTrial();
  return {
    largeCodecMs: codec.large,
    vectorCodecMs: codec.vector,
    largeSetMs: io.large.set,
    largeGetMs: io.large.get,
    vectorSetMs: io.vector.set,
    vectorGetMs: io.vector.get,
    largeMemoryUsage: io.large.usage,
    vectorMemoryUsage: io.vector.usage,
    windows,
  };
}

/** Builds the frame, opens the three connections, runs the trials; everything is closed and removed after. */
export async function measureLargeObjects(
  context: ScenarioContext,
  p: LargeObjectsParams,
): Promise<LargeObjectsMeasurement> {
  const seed = context.params.seed;
  context.progress(
    `building the DataFrame: one-minute bars of ${SYMBOL}, ${(p.largeBytes / 2 ** 20).toFixed(1)} MB of JSON`,
  );
  // The frame object itself is not kept: the mover's thread parses the JSON back into it to time the codec.
  const { rows, largeValue } = ((built) => ({ rows: built.rows, largeValue: toJsonBuffer(built.frame) }))(
    dataFrameOfSize(SYMBOL, p.largeBytes, DATE, seed),
  );
  const values = featureValues(seed, 1);
  const vector = values.vector(0);
  const url = context.target.url;
  const client = createRedisClient(url, { connectionName: 'rpb-large-client', commandTimeoutMs: 30_000 });
  client.on('error', () => {});
  const lean = { connectTimeoutMs: 10_000, commandTimeoutMs: 30_000 };
  let mover: Mover | null = null;
  let probe: RespConnection | null = null;
  try {
    await waitUntilReady(client, 10_000);
    const vectorValue = values.value(0);
    mover = await Mover.open(url, {
      large: { key: LARGE_KEY, value: largeValue },
      vector: { key: VECTOR_KEY, value: vectorValue },
    });
    probe = await RespConnection.open(url, { ...lean, connectionName: 'rpb-large-probe' });
    const rig: Rig = { vector, vectorValue, largeValue, client, mover, probe };
    await client.set(PROBE_KEY, rig.vectorValue, 'EX', DOCUMENT_TTL_SECONDS);
    const trials: LargeObjectTrial[] = [];
    for (let t = 0; t < p.trials && !context.signal.aborted; t++) {
      trials.push(await trial(context, rig, p, t));
      const last = trials[trials.length - 1];
      context.progress(
        `trial ${t + 1}/${p.trials}: serialise+parse ${last.largeCodecMs.toFixed(0)} ms vs ${(last.vectorCodecMs * 1000).toFixed(0)} µs; GET ${last.largeGetMs.toFixed(1)} ms vs ${last.vectorGetMs.toFixed(3)} ms`,
      );
    }
    return { p, rows, largeBytes: rig.largeValue.length, vectorBytes: rig.vectorValue.length, trials };
  } finally {
    await mover?.close();
    probe?.close();
    await client.unlink(LARGE_KEY, VECTOR_KEY, PROBE_KEY).catch(() => 0);
    client.disconnect();
  }
}
