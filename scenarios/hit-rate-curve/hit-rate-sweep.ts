/** The measuring half of the hit-rate scenario: bytes per key, then one replay per sweep point. */
import type { Redis } from 'ioredis';
import { predictHitRatios } from '../../bench/analysis/miss-ratio-curve.ts';
import { MS_PER_S } from '../../bench/core/units.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import { measureMemoryPerKey } from '../../bench/workload/memory-per-key.ts';
import type { MemoryPerKey } from '../../bench/workload/memory-per-key.ts';
import type { SignalTrace } from '../../bench/workload/signal-workload.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import type { HitRateParams, SweepPoint } from './hit-rate-plan.ts';
import { replayTrace } from './trace-replay.ts';
import type { ReplayResult } from './trace-replay.ts';

export const MB = 1024 * 1024;

/** The trace and values every point replays: one trace per skew, the base trace's working set, the payloads. */
export interface HitRateWorkload {
  readonly p: HitRateParams;
  readonly baseTrace: SignalTrace;
  /** Distinct keys the base trace requests: maxmemory fractions are shares of their bytes. */
  readonly workingSet: number;
  /** Accesses of every replay that warm the cache and are not counted. */
  readonly warmup: number;
  traceFor(symbolTheta: number): SignalTrace;
  payload(keyId: number): Buffer;
}

export interface PointResult {
  readonly point: SweepPoint;
  readonly maxmemoryBytes: number;
  readonly capacityKeys: number;
  readonly replay: ReplayResult;
  readonly measured: number;
  readonly predicted: number;
  readonly evictedKeys: number;
  readonly expiredKeys: number;
  readonly trace: SignalTrace;
}

/** What the sweep measured, the input of every figure, series and verdict. */
export interface HitRateMeasurement {
  readonly workload: HitRateWorkload;
  readonly memory: MemoryPerKey;
  readonly results: readonly PointResult[];
}

function statsField(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return match === null ? Number.NaN : Number(match[1]);
}

/** Keys that fit under maxmemory: (maxmemory - the empty instance's used_memory) / measured bytes per key. */
export function capacityKeys(maxmemoryBytes: number, memory: MemoryPerKey, keySpace: number): number {
  return Math.max(
    0,
    Math.min(keySpace * 4, Math.floor((maxmemoryBytes - memory.baselineUsedMemory) / memory.usedMemoryPerKey)),
  );
}

/** A fraction is a share of the working set: the distinct keys the base trace requests (same bytes for every skew). */
function maxmemoryOf(point: SweepPoint, memory: MemoryPerKey, workingSetKeys: number): number {
  if (point.maxmemory.kind === 'bytes') return point.maxmemory.bytes;
  return Math.round(memory.baselineUsedMemory + point.maxmemory.fraction * workingSetKeys * memory.usedMemoryPerKey);
}

export function distinctKeys(trace: SignalTrace): number {
  const seen = new Uint8Array(trace.keySpace);
  let count = 0;
  for (const key of trace.keys) {
    if (seen[key] === 0) count += 1;
    seen[key] = 1;
  }
  return count;
}

/** The maxmemory sweep: allkeys-lru, samples 10, the base TTL and skew, by growing maxmemory. */
export function lruSweep(results: readonly PointResult[], p: HitRateParams): PointResult[] {
  return results
    .filter(
      (r) =>
        r.point.policy === 'allkeys-lru' &&
        r.point.samples === 10 &&
        r.point.ttlSeconds === p.ttlSeconds &&
        r.point.symbolTheta === p.symbolTheta &&
        r.point.maxmemory.kind === 'fraction',
    )
    .sort((a, b) => a.maxmemoryBytes - b.maxmemoryBytes);
}

async function configure(admin: Redis, point: SweepPoint, maxmemoryBytes: number): Promise<void> {
  await admin.flushall();
  await admin.config('SET', 'maxmemory', String(maxmemoryBytes));
  await admin.config('SET', 'maxmemory-policy', point.policy);
  await admin.config('SET', 'maxmemory-samples', String(point.samples));
  await admin.config('RESETSTAT');
}

async function measureBytesPerKey(
  context: ScenarioContext,
  client: Redis,
  workload: HitRateWorkload,
): Promise<MemoryPerKey> {
  const { p, baseTrace } = workload;
  context.progress(
    `measuring bytes per key (${Math.min(baseTrace.keySpace, 50_000)} keys, ${p.codec} values, pipelined)`,
  );
  await context.admin.config('SET', 'maxmemory', '0');
  return measureMemoryPerKey(
    client,
    baseTrace.keySpace,
    (i) => baseTrace.keyName(i),
    workload.payload,
    p.ttlSeconds * MS_PER_S,
    context.signal,
  );
}

/** A point sized for this instance: its trace, its maxmemory in bytes and the keys that fit under it. */
interface SizedPoint {
  readonly point: SweepPoint;
  readonly trace: SignalTrace;
  readonly maxmemoryBytes: number;
  readonly capacityKeys: number;
}

function sizePoint(workload: HitRateWorkload, memory: MemoryPerKey, point: SweepPoint): SizedPoint {
  const trace = workload.traceFor(point.symbolTheta);
  const maxmemoryBytes = maxmemoryOf(point, memory, workload.workingSet);
  return { point, trace, maxmemoryBytes, capacityKeys: capacityKeys(maxmemoryBytes, memory, trace.keySpace) };
}

/** One point: configure Redis, replay its trace, read the evictions, predict the same replay exactly. */
async function measurePoint(
  context: ScenarioContext,
  client: Redis,
  workload: HitRateWorkload,
  sized: SizedPoint,
): Promise<PointResult> {
  const { admin, signal } = context;
  const { point, trace, maxmemoryBytes } = sized;
  await configure(admin, point, maxmemoryBytes);
  const replay = await replayTrace(client, {
    trace,
    ttlMs: point.ttlSeconds * MS_PER_S,
    payload: workload.payload,
    warmupAccesses: workload.warmup,
    windowMs: Math.max(250, trace.durationMs / 30),
    maxDurationMs: trace.durationMs * 3 + 10_000,
    signal,
  });
  const stats = await admin.info('stats');
  const predicted = predictHitRatios(trace, {
    sizesKeys: [sized.capacityKeys],
    ttlMs: point.ttlSeconds * MS_PER_S,
    warmupAccesses: workload.warmup,
    method: { kind: 'exact' },
  }).points[0].hitRatio;
  return {
    point,
    maxmemoryBytes,
    capacityKeys: sized.capacityKeys,
    replay,
    measured: replay.counted > 0 ? replay.hits / replay.counted : Number.NaN,
    predicted,
    evictedKeys: statsField(stats, 'evicted_keys'),
    expiredKeys: statsField(stats, 'expired_keys'),
    trace,
  };
}

/** Bytes per key, then every point of the plan in order, on one replay connection; Redis is flushed afterwards. */
export async function measureSweep(
  context: ScenarioContext,
  workload: HitRateWorkload,
  plan: readonly SweepPoint[],
): Promise<HitRateMeasurement> {
  const client = createRedisClient(context.target.url, {
    connectionName: 'rpb-hit-rate-replay',
    commandTimeoutMs: 10_000,
    connectTimeoutMs: 10_000,
  });
  client.on('error', () => {});
  const results: PointResult[] = [];
  try {
    await waitUntilReady(client, 10_000);
    const memory = await measureBytesPerKey(context, client, workload);
    for (const [index, point] of plan.entries()) {
      if (context.signal.aborted) break;
      const sized = sizePoint(workload, memory, point);
      context.progress(
        `point ${index + 1}/${plan.length} ${point.label}: ${point.policy}, samples ${point.samples}, maxmemory ${(sized.maxmemoryBytes / MB).toFixed(1)} MB (~${sized.capacityKeys} keys), TTL ${point.ttlSeconds} s`,
      );
      results.push(await measurePoint(context, client, workload, sized));
    }
    return { workload, memory, results };
  } finally {
    client.disconnect();
    await context.admin.flushall().catch(() => undefined);
  }
}
