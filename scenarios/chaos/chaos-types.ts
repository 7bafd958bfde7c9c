/** The types the chaos scenario's files share: parameters, the request log, one variant's run. */
import type { BreakerState, CacheHealthSnapshot } from '../../src/cache/cache-health.ts';
import type { LogFields } from '../../src/logger.ts';
import type { MarketDataSource } from '../../src/market/market-data-source.ts';
import type { LinearModel } from '../../src/signals/linear-model.ts';
import type { ComputeFeatures } from '../../src/signals/signal-generator.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import type { ChaosFaultId, ChaosFaultSpec, ChaosVariant } from './chaos-faults.ts';

export interface ChaosClientParams {
  readonly ttlSeconds: number;
  readonly ttlJitterFraction: number;
  readonly commandTimeoutMs: number;
  readonly callTimeoutMs: number;
  readonly failureThreshold: number;
  readonly openDurationMs: number;
  readonly reconnectMaxDelayMs: number;
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

export interface LoggedEvent {
  readonly tMs: number;
  readonly level: 'warn' | 'info';
  readonly message: string;
  readonly fields: LogFields | undefined;
  /** Logged while the harness closed the system after the window (held-back lines flushed, pending calls failed). */
  readonly atClose: boolean;
}

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

export interface ChaosParams extends ChaosLoadParams, ChaosClientParams {
  /** 'all': every fault; 'claims': the faults claims are judged on; 'kill-and-blackhole' (--quick); or one fault. */
  readonly fault: 'all' | 'claims' | 'kill-and-blackhole' | ChaosFaultId;
  /** Windows per judged client (safe, naive) of each fault a claim is judged on (a trial each; a verdict needs 6). */
  readonly trials: number;
  /** Fault windows per client of the other faults and clients, when the suite runs them (0: skipped). */
  readonly otherFaultTrials: number;
  readonly symbolCount: number;
  /** Hot set: the first hotSymbols symbols x the last hotDates dates, warmed into the cache before each run. */
  readonly hotSymbols: number;
  readonly hotDates: number;
  /** Dates of the whole key space (the cold requests). */
  readonly keyDates: number;
  /** Timeline resolution. */
  readonly bucketMs: number;
  readonly steadyWindowMs: number;
  readonly latencyMs: number;
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

/** One fault window of one client (one trial): a fresh system, one injection, the load around it. */
export interface VariantRun {
  readonly fault: ChaosFaultSpec;
  readonly variant: ChaosVariant;
  /** 0-based index of this window among the fault's windows for this client. */
  readonly trial: number;
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
  /** Warning and error lines the system logged during the window (not at close). */
  readonly warnings: number;
  /** Cache calls that threw during the window, by kind (counted outside the logger, on the generator's cache). */
  readonly failuresByKind: Readonly<Record<string, number>>;
  readonly health: CacheHealthSnapshot | null;
  readonly connectionResets: number;
  readonly stillPendingAtEnd: number;
}
