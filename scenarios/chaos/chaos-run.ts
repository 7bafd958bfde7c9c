import type { BreakerState, CacheHealthSnapshot } from '../../src/cache/cache-health.ts';
import type { LogFields } from '../../src/logger.ts';
import type { MarketDataSource } from '../../src/market/market-data-source.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import type { LinearModel } from '../../src/signals/linear-model.ts';
import type { ComputeFeatures } from '../../src/signals/signal-generator.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import { nowEpochMs, nowNs } from '../../bench/measure/clock.ts';
import type { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { ChaosFaultId, ChaosFaultSpec, ChaosVariant } from './chaos-faults.ts';
import { EventLog, openSystem, waitForReady } from './chaos-system.ts';
import type { SystemUnderTest } from './chaos-system.ts';
import { runFaultSchedule, sleepUnlessAborted } from '../../bench/faults/fault-schedule.ts';
import type { FaultAction } from '../../bench/faults/fault-schedule.ts';

export interface ChaosLoadParams {
  readonly preMs: number;
  readonly faultMs: number;
  readonly postMs: number;
  readonly rateOpsPerSecond: number;
  /** Harness-side bound on one request: the naive client may wait forever, the run must not. */
  readonly requestCapMs: number;
  readonly sampleMs: number;
  /** Share of requests for a key drawn from the whole key space (mostly misses that must be written). */
  readonly coldFraction: number;
}

export interface ChaosClientParams {
  readonly ttlSeconds: number;
  readonly ttlJitterFraction: number;
  readonly commandTimeoutMs: number;
  readonly callTimeoutMs: number;
  readonly failureThreshold: number;
  readonly openDurationMs: number;
  readonly reconnectMaxDelayMs: number;
}

export interface ChaosParams extends ChaosLoadParams, ChaosClientParams {
  readonly fault: 'all' | ChaosFaultId;
  readonly symbolCount: number;
  /** Hot set: the first hotSymbols symbols x the last hotDates dates, warmed into the cache before each run. */
  readonly hotSymbols: number;
  readonly hotDates: number;
  /** Dates of the whole key space (the cold requests). */
  readonly keyDates: number;
  /** Timeline resolution. */
  readonly bucketMs: number;
  readonly steadyWindowMs: number;
  /** A maxmemory fault leaves room for this share of the cache's data. */
  readonly fullFraction: number;
  readonly latencyMs: number;
}

export interface ChaosKey {
  readonly symbol: string;
  readonly date: string;
}

/** What every variant of a fault shares: the data, the model, the key space, the expected answers. */
export interface ChaosWorkload {
  readonly market: MarketDataSource;
  readonly model: LinearModel;
  readonly computeFeatures: ComputeFeatures;
  readonly hotKeys: readonly ChaosKey[];
  readonly coldSymbols: readonly string[];
  readonly coldDates: readonly string[];
  /** Score of each hot key computed without any cache: a cached answer must equal it. */
  readonly expectedScores: ReadonlyMap<string, number>;
  readonly seed: number;
}

export interface RequestRecord {
  /** Intended send time, ms from the load's start. */
  readonly intendedMs: number;
  readonly settledMs: number;
  /** Settled minus intended send time (coordinated omission corrected). */
  readonly latencyMs: number;
  /** error: the request threw; capped: still pending at the harness's requestCapMs. */
  readonly outcome: 'ok' | 'error' | 'capped';
  readonly hits: number;
  readonly misses: number;
  readonly cacheErrors: number;
  /** A hot key whose score differs from the one computed without a cache. */
  readonly wrong: boolean;
  readonly checked: boolean;
}

export interface ChaosSample {
  readonly tMs: number;
  readonly inFlight: number;
  readonly heapMb: number;
  readonly breaker: BreakerState | null;
  readonly connected: boolean;
}

export interface LoggedEvent {
  readonly tMs: number;
  readonly level: 'warn' | 'info';
  readonly message: string;
  readonly fields: LogFields | undefined;
}

export interface VariantRun {
  readonly fault: ChaosFaultSpec;
  readonly variant: ChaosVariant;
  /** Epoch ms of the load's start (the recorders' clock). */
  readonly loadStartEpochMs: number;
  /** Fault steps in ms from the load's start (negative: before it, Redis absent at startup). */
  readonly injectMs: number | null;
  readonly healedMs: number | null;
  readonly records: readonly RequestRecord[];
  readonly samples: readonly ChaosSample[];
  readonly load: LoadResult;
  readonly computes: number;
  readonly coalesced: { readonly executed: number; readonly joined: number };
  readonly events: readonly LoggedEvent[];
  readonly warnings: number;
  readonly health: CacheHealthSnapshot | null;
  readonly connectionResets: number;
  readonly stillPendingAtEnd: number;
}

export function keyId(key: ChaosKey): string {
  return `${key.symbol}|${key.date}`;
}

class CappedError extends Error {
  constructor(capMs: number) {
    super(`request still pending after the harness cap of ${capMs} ms`);
    // load-operation.ts classifies it as a timeout by this name.
    this.name = 'TimeoutError';
  }
}

export interface VariantRunOptions {
  readonly fault: ChaosFaultSpec;
  readonly action: FaultAction;
  readonly variant: ChaosVariant;
  readonly sutUrl: string;
  readonly workload: ChaosWorkload;
  readonly load: ChaosLoadParams;
  readonly client: ChaosClientParams;
  readonly recorders: RecorderSet;
  readonly signal: AbortSignal;
}

/**
 * One client variant under one fault: the system under test is opened, an open-loop load of
 * single-symbol signal requests runs for pre + fault + post, and the fault is injected at t1 and
 * healed at t2 (or injected before the service starts, for "absent"). Every request is logged with
 * its intended send time, outcome and cache tally; in-flight count and heap are sampled.
 */
export async function runChaosVariant(options: VariantRunOptions): Promise<VariantRun> {
  const { fault, variant, workload, load, recorders, signal } = options;
  const rng = SeededRandom.forKey(workload.seed, `chaos:${fault.id}`);
  let loadStartEpochMs = nowEpochMs();
  const log = new EventLog(() => loadStartEpochMs);
  let computes = 0;
  const counted: ComputeFeatures = (series, asOfDate) => {
    computes += 1;
    return workload.computeFeatures(series, asOfDate);
  };
  const records: RequestRecord[] = [];
  const samples: ChaosSample[] = [];
  const pending = new Set<Promise<unknown>>();
  let sut: SystemUnderTest | null = null;
  let loadResult: LoadResult | null = null;
  const totalMs = load.preMs + load.faultMs + load.postMs;
  const pick = (): ChaosKey & { hot: boolean } => {
    if (rng.nextFloat() < load.coldFraction) {
      return {
        symbol: workload.coldSymbols[rng.nextInt(workload.coldSymbols.length)]!,
        date: workload.coldDates[rng.nextInt(workload.coldDates.length)]!,
        hot: false,
      };
    }
    // Skewed toward the first hot keys (density ~ 1/sqrt(x)): some keys are requested many times a second.
    const u = rng.nextFloat();
    const key = workload.hotKeys[Math.min(workload.hotKeys.length - 1, Math.floor(u * u * workload.hotKeys.length))]!;
    return { ...key, hot: true };
  };

  let health: CacheHealthSnapshot | null = null;
  let times: Awaited<ReturnType<typeof runFaultSchedule>>['times'];
  try {
    ({ times } = await runFaultSchedule(
      options.action,
      {
        injectAtMs: fault.atStart ? 'before' : load.preMs,
        healAtMs: fault.atStart ? load.faultMs : load.preMs + load.faultMs,
        signal,
      },
      async () => {
        sut = openSystem(variant, options.sutUrl, workload, options.client, log, counted);
        const system: SystemUnderTest = sut;
        if (!fault.atStart) await waitForReady(system.client, 5_000, signal);
        let inFlight = 0;
        const startNs = nowNs();
        loadStartEpochMs = nowEpochMs();
        const periodNs = 1e9 / load.rateOpsPerSecond;
        const relMs = (ns: bigint): number => Number(ns - startNs) / 1e6;
        const sampler = setInterval(() => {
          const health = system.resilient?.health() ?? null;
          samples.push({
            tMs: nowEpochMs() - loadStartEpochMs,
            inFlight,
            heapMb: process.memoryUsage().heapUsed / 2 ** 20,
            breaker: health?.breakerState ?? null,
            connected: system.client.status === 'ready',
          });
        }, load.sampleMs);
        try {
          loadResult = await runOpenLoop(
            {
              rateOpsPerSecond: load.rateOpsPerSecond,
              durationMs: totalMs,
              warmupDurationMs: 0,
              maxInFlight: Math.ceil((load.rateOpsPerSecond * (load.requestCapMs + 1_000)) / 1_000) + 100,
              metricName: `${fault.id}.${variant}`,
              drainTimeoutMs: load.requestCapMs + 1_000,
              sendLagWarningMs: 50,
            },
            async (sequence) => {
              const intendedNs = startNs + BigInt(Math.round(sequence * periodNs));
              const key = pick();
              inFlight += 1;
              const work = system.generator.generate([key.symbol], key.date);
              const tracked = work.finally(() => {
                inFlight -= 1;
                pending.delete(tracked);
              });
              tracked.catch(() => {});
              pending.add(tracked);
              let timer: NodeJS.Timeout | undefined;
              const cap = new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new CappedError(load.requestCapMs)), load.requestCapMs);
              });
              try {
                const batch = await Promise.race([work, cap]);
                const doneNs = nowNs();
                const expected = key.hot ? workload.expectedScores.get(keyId(key)) : undefined;
                const score = batch.signals[0]!.score;
                records.push({
                  intendedMs: relMs(intendedNs),
                  settledMs: relMs(doneNs),
                  latencyMs: Number(doneNs - intendedNs) / 1e6,
                  outcome: 'ok',
                  hits: batch.cache.hits,
                  misses: batch.cache.misses,
                  cacheErrors: batch.cache.errors,
                  checked: expected !== undefined,
                  wrong: expected !== undefined && !sameScore(score, expected),
                });
                return batch;
              } catch (error) {
                const doneNs = nowNs();
                records.push({
                  intendedMs: relMs(intendedNs),
                  settledMs: relMs(doneNs),
                  latencyMs: Number(doneNs - intendedNs) / 1e6,
                  outcome: error instanceof CappedError ? 'capped' : 'error',
                  hits: 0,
                  misses: 0,
                  cacheErrors: 0,
                  checked: false,
                  wrong: false,
                });
                throw error;
              } finally {
                clearTimeout(timer);
              }
            },
            recorders,
            signal,
          );
        } finally {
          clearInterval(sampler);
          health = system.resilient?.health() ?? null;
        }
      },
    ));
  } finally {
    // Requests past the cap are still pending inside the naive client: closing it fails them, then they settle.
    (sut as SystemUnderTest | null)?.client.disconnect();
  }
  const system = sut as SystemUnderTest | null;
  const connectionResets = system?.resilient?.stats().connectionResets ?? 0;
  const coalesced = system?.generator.coalescing() ?? { executed: 0, joined: 0 };
  const stillPendingAtEnd = pending.size;
  await Promise.race([Promise.allSettled([...pending]), sleepUnlessAborted(3_000, undefined)]);
  const rel = (epochMs: number | null): number | null => (epochMs === null ? null : epochMs - loadStartEpochMs);
  return {
    fault,
    variant,
    loadStartEpochMs,
    injectMs: rel(times.injectStartMs),
    healedMs: rel(times.healedMs),
    records,
    samples,
    load: loadResult as unknown as LoadResult,
    computes,
    coalesced,
    events: log.events,
    warnings: log.warnings,
    health,
    connectionResets,
    stillPendingAtEnd,
  };
}

function sameScore(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}
