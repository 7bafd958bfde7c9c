import type { WorkingSetBytes } from '../shared-readings.ts';
import type { ChaosFaultSpec } from './chaos-faults.ts';
import type { ChaosSample, RequestRecord, VariantRun } from './chaos-types.ts';

/** What a variant's request log says about one fault (all times in ms; null: did not happen). */
export interface ChaosFigures {
  readonly requests: number;
  /** Requests that threw. */
  readonly failed: number;
  /** Requests still pending at the harness's cap (the naive client waiting on a dead Redis). */
  readonly capped: number;
  /** Hot-key answers that differ from the answer computed without a cache. */
  readonly wrong: number;
  readonly checked: number;
  /**
   * Requests intended inside [inject, healed]: count, p99 and max of the corrected latency (capped
   * ones at the cap).
   */
  readonly windowRequests: number;
  readonly windowP99Ms: number | null;
  readonly windowMaxMs: number | null;
  readonly windowHitRate: number | null;
  /** Inject to the first request that saw a cache error, failed or was capped. */
  readonly detectMs: number | null;
  /** Healed to the first request that used the cache without an error. */
  readonly firstSuccessAfterHealMs: number | null;
  /** Healed to the first cache hit. */
  readonly firstHitAfterHealMs: number | null;
  /** Healed to the last completion of the window: how long after the heal the window looked (null: no heal). */
  readonly observedAfterHealMs: number | null;
  /** Healed to the start of the first window after which every window is clean (no errors, hit rate back). */
  readonly steadyAfterHealMs: number | null;
  readonly preHitRate: number | null;
  readonly preP99Ms: number | null;
  /**
   * p99 of the requests that missed and computed cleanly before the fault (after the heal when there
   * was no before): the miss path.
   */
  readonly missP99Ms: number | null;
  readonly postHitRate: number | null;
  readonly maxInFlight: number;
  readonly maxHeapMb: number | null;
}

/** One fault window of one client (one trial): its run, its figures, and the working set it was reset with. */
export interface ChaosTrial {
  readonly run: VariantRun;
  readonly figures: ChaosFigures;
  /** Measured at the window's reset; the maxmemory faults size the full cache from it (CACHE_FULL). */
  readonly workingSet: WorkingSetBytes;
}

/** Every window of one fault, in the order they ran (clients interleaved). */
export interface FaultResult {
  readonly spec: ChaosFaultSpec;
  readonly runs: readonly ChaosTrial[];
}

/** A figure in progress lines and notes: '—' when it did not happen. */
export function fmt(value: number | null): string {
  return value === null ? '—' : value.toFixed(value >= 100 ? 0 : 1);
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank, as HdrHistogram's getValueAtPercentile.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Hits over lookups (0..1) of the records; null when they made no lookup. */
export function hitRate(records: readonly RequestRecord[]): number | null {
  let hits = 0;
  let lookups = 0;
  for (const r of records) {
    hits += r.hits;
    lookups += r.hits + r.misses;
  }
  return lookups === 0 ? null : hits / lookups;
}

const clean = (r: RequestRecord): boolean => r.outcome === 'ok' && r.cacheErrors === 0 && !r.wrong;

/** A window with fewer lookups than this (the drain at the end) says nothing about the hit rate. */
const MIN_LOOKUPS_FOR_HIT_RATE = 10;

export interface FigureInput {
  readonly records: readonly RequestRecord[];
  readonly samples: readonly ChaosSample[];
  readonly injectMs: number | null;
  readonly healedMs: number | null;
  /** Window of the steady-state test. */
  readonly steadyWindowMs: number;
  /** Hit rate within this many points (0..1) of the pre-fault one counts as recovered. */
  readonly steadyHitRateTolerance: number;
}

export function chaosFigures(input: FigureInput): ChaosFigures {
  const { records, samples } = input;
  const inject = input.injectMs ?? Number.POSITIVE_INFINITY;
  const healed = input.healedMs;
  const windowEnd = healed ?? Number.POSITIVE_INFINITY;
  const pre = beforeFault(records, inject);
  const inWindow = records.filter((r) => r.intendedMs >= inject && r.intendedMs <= windowEnd);
  const post = healed === null ? [] : records.filter((r) => r.intendedMs > healed);
  const bySettle = [...records].sort((a, b) => a.settledMs - b.settledMs);
  const detect = bySettle.find((r) => r.settledMs >= inject && !clean(r));
  const firstSuccess =
    healed === null ? undefined : bySettle.find((r) => r.settledMs >= healed && clean(r) && r.hits + r.misses > 0);
  const firstHit =
    healed === null
      ? undefined
      : bySettle.find((r) => r.settledMs >= healed && r.hits > 0 && r.cacheErrors === 0 && !r.wrong);
  const preHitRate = hitRate(pre);
  const windowLatencies = inWindow.map((r) => r.latencyMs);
  return {
    requests: records.length,
    failed: records.filter((r) => r.outcome === 'error').length,
    capped: records.filter((r) => r.outcome === 'capped').length,
    wrong: records.filter((r) => r.wrong).length,
    checked: records.filter((r) => r.checked).length,
    windowRequests: inWindow.length,
    windowP99Ms: percentile(windowLatencies, 99),
    windowMaxMs: windowLatencies.length === 0 ? null : Math.max(...windowLatencies),
    windowHitRate: hitRate(inWindow),
    detectMs: detect === undefined || !Number.isFinite(inject) ? null : detect.settledMs - Math.max(inject, 0),
    firstSuccessAfterHealMs: firstSuccess === undefined || healed === null ? null : firstSuccess.settledMs - healed,
    firstHitAfterHealMs: firstHit === undefined || healed === null ? null : firstHit.settledMs - healed,
    observedAfterHealMs:
      healed === null || bySettle.length === 0 ? null : bySettle[bySettle.length - 1]!.settledMs - healed,
    steadyAfterHealMs:
      healed === null
        ? null
        : steadyAfter(bySettle, healed, preHitRate, input.steadyWindowMs, input.steadyHitRateTolerance),
    preHitRate,
    preP99Ms: percentile(
      pre.map((r) => r.latencyMs),
      99,
    ),
    missP99Ms: percentile(
      (pre.length > 0 ? pre : post).filter((r) => clean(r) && r.misses > 0).map((r) => r.latencyMs),
      99,
    ),
    postHitRate: hitRate(post),
    maxInFlight: Math.max(0, ...samples.map((s) => s.inFlight)),
    maxHeapMb: samples.length === 0 ? null : Math.max(...samples.map((s) => s.heapMb)),
  };
}

/**
 * Cuts the time after the heal into windows (by completion time) and returns the offset of the
 * first window from which every later window is clean: no failures, cache errors or wrong answers,
 * and a hit rate no more than `tolerance` below the pre-fault one (judged on windows with at least
 * MIN_LOOKUPS_FOR_HIT_RATE lookups). null: never steady before the run ended.
 */
export function steadyAfter(
  bySettle: readonly RequestRecord[],
  healedMs: number,
  preHitRate: number | null,
  windowMs: number,
  tolerance: number,
): number | null {
  const after = bySettle.filter((r) => r.settledMs >= healedMs);
  if (after.length === 0) return null;
  const last = after[after.length - 1]!.settledMs;
  const windows = Math.max(1, Math.ceil((last - healedMs + 1e-9) / windowMs));
  const ok: boolean[] = [];
  for (let w = 0; w < windows; w++) {
    const from = healedMs + w * windowMs;
    const inside = after.filter((r) => r.settledMs >= from && r.settledMs < from + windowMs);
    const rate = hitRate(inside);
    const lookups = inside.reduce((sum, r) => sum + r.hits + r.misses, 0);
    ok.push(
      inside.every(clean) &&
        (preHitRate === null || rate === null || lookups < MIN_LOOKUPS_FOR_HIT_RATE || rate >= preHitRate - tolerance),
    );
  }
  let first = ok.length;
  while (first > 0 && ok[first - 1]) first -= 1;
  return first === ok.length ? null : first * windowMs;
}

export interface TimelineBucket {
  readonly startMs: number;
  readonly throughputPerSec: number;
  readonly hitRatePct: number | null;
  /** Latency of the requests intended in the bucket (every outcome: a capped one at the cap). */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  readonly inFlight: number;
  readonly heapMb: number | null;
  readonly cacheErrors: number;
  /** Requests that threw, counted in the bucket where they settled (when the caller saw the error). */
  readonly failed: number;
  /** Requests given up at the harness cap, counted in the bucket where the cap fired. */
  readonly capped: number;
}

/**
 * Per-bucket timeline: completions, failures, hit rate and cache errors by completion time (a bucket
 * holds [start, start + bucketMs)); latency by intended send time.
 */
export function chaosTimeline(
  records: readonly RequestRecord[],
  samples: readonly ChaosSample[],
  bucketMs: number,
): TimelineBucket[] {
  const end = Math.max(0, ...records.map((r) => r.settledMs), ...samples.map((s) => s.tMs));
  // Up to and including the bucket that holds `end`: a request settled on the last boundary still counts.
  const count = records.length + samples.length === 0 ? 0 : Math.floor(end / bucketMs) + 1;
  const buckets: TimelineBucket[] = [];
  for (let k = 0; k < count; k++) {
    const start = k * bucketMs;
    const inRange = (t: number): boolean => t >= start && t < start + bucketMs;
    const settled = records.filter((r) => inRange(r.settledMs));
    const intended = records.filter((r) => inRange(r.intendedMs)).map((r) => r.latencyMs);
    const sampled = samples.filter((s) => inRange(s.tMs));
    const rate = hitRate(settled);
    buckets.push({
      startMs: start,
      throughputPerSec: (settled.filter((r) => r.outcome === 'ok').length * 1_000) / bucketMs,
      hitRatePct: rate === null ? null : rate * 100,
      p50Ms: percentile(intended, 50),
      p99Ms: percentile(intended, 99),
      maxMs: intended.length === 0 ? null : Math.max(...intended),
      inFlight: Math.max(0, ...sampled.map((s) => s.inFlight)),
      heapMb: sampled.length === 0 ? null : Math.max(...sampled.map((s) => s.heapMb)),
      cacheErrors: settled.reduce((sum, r) => sum + r.cacheErrors, 0),
      failed: settled.filter((r) => r.outcome === 'error').length,
      capped: settled.filter((r) => r.outcome === 'capped').length,
    });
  }
  return buckets;
}

export interface AlignedBucket {
  /** Bucket start in ms from the inject (negative: before it). */
  readonly fromInjectMs: number;
  /** Requests that threw or were capped, settled in the bucket, per second and window (mean over the windows). */
  readonly failedPerSec: number;
  /** Latency of the requests intended in the bucket, every window's pooled (a capped one at the cap). */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/**
 * Several windows of one client laid over each other, each aligned on its own inject: per bucket of
 * time since the inject, failed requests (by when they failed) per second averaged over the
 * windows, and the latency of the requests intended in it, pooled. Windows without an inject are
 * left out; no window with one: empty.
 */
export function alignedTimeline(
  runs: readonly { readonly records: readonly RequestRecord[]; readonly injectMs: number | null }[],
  bucketMs: number,
): AlignedBucket[] {
  const injected = runs.filter((r): r is typeof r & { injectMs: number } => r.injectMs !== null);
  const bucket = (t: number, inject: number): number => Math.floor((t - inject) / bucketMs);
  const failed = new Map<number, number>();
  const latencies = new Map<number, number[]>();
  for (const { records, injectMs } of injected) {
    for (const r of records) {
      if (r.outcome !== 'ok') {
        const k = bucket(r.settledMs, injectMs);
        failed.set(k, (failed.get(k) ?? 0) + 1);
      }
      const k = bucket(r.intendedMs, injectMs);
      const list = latencies.get(k) ?? [];
      list.push(r.latencyMs);
      latencies.set(k, list);
    }
  }
  const keys = [...failed.keys(), ...latencies.keys()];
  if (keys.length === 0) return [];
  const buckets: AlignedBucket[] = [];
  for (let k = Math.min(...keys); k <= Math.max(...keys); k++) {
    const inside = latencies.get(k) ?? [];
    buckets.push({
      fromInjectMs: k * bucketMs,
      failedPerSec: ((failed.get(k) ?? 0) * 1_000) / bucketMs / injected.length,
      p50Ms: percentile(inside, 50),
      p99Ms: percentile(inside, 99),
    });
  }
  return buckets;
}

/** Completed share (ok, %) of the requests intended at or after fromMs; null when there were none. */
export function completedShare(records: readonly RequestRecord[], fromMs: number): number | null {
  const inside = records.filter((r) => r.intendedMs >= fromMs);
  // An answer computed from another key's features is not a completed request: behind a healed
  // black hole, ioredis with its defaults hands each new reply to the oldest command still waiting
  // (sent into the hole), so the document's client answered with other symbols' vectors.
  return inside.length === 0
    ? null
    : (inside.filter((r) => r.outcome === 'ok' && !r.wrong).length * 100) / inside.length;
}

/**
 * Latency (from the intended send, every outcome: a capped request at the cap) of the requests
 * intended at or after fromMs.
 */
export function latenciesFrom(records: readonly RequestRecord[], fromMs: number): number[] {
  return records.filter((r) => r.intendedMs >= fromMs).map((r) => r.latencyMs);
}

/** Requests intended and settled before the inject: the healthy stretch of a window. */
export function beforeFault(records: readonly RequestRecord[], injectMs: number): RequestRecord[] {
  return records.filter((r) => r.intendedMs < injectMs && r.settledMs < injectMs);
}

/** Requests settled in [fromMs, toMs): what the cache answered while the fault was in place. */
export function settledBetween(records: readonly RequestRecord[], fromMs: number, toMs: number): RequestRecord[] {
  return records.filter((r) => r.settledMs >= fromMs && r.settledMs < toMs);
}
