import { APPROX } from '../bench/core/claim.ts';
/**
 * A reading of the document that two scenarios judge: the "Cache full (eviction)" row's "Slight hit
 * rate decrease", measured by chaos (under live load) and by hit-rate-curve (on the replayed trace).
 * One definition, so the two verdicts cannot drift apart in quote, threshold or rule.
 */
export const SLIGHT_HIT_RATE_DECREASE = {
  pattern: 'degradation',
  quote: 'Cache full (eviction) | LRU eviction, new keys cached | Slight hit rate decrease',
  claimed: 5,
  thresholdSource: 'harness',
  thresholdReason:
    '"slight hit rate decrease" gives no figure; the harness reads "slight" as a drop of at most 5 percentage points',
  unit: '%',
  rule: { kind: 'at-most' },
  better: 'lower',
} as const;

/**
 * What "cache full" means wherever SLIGHT_HIT_RATE_DECREASE is judged (hit-rate-curve's
 * degradation.cache-full-hit-rate, chaos's degradation.cache-full-under-load):
 * - maxmemory = used_memory of the empty instance + `workingSetFraction` x the working set's bytes, where the
 *   working set's bytes = measured used_memory per key x the working set's keys: the distinct keys the workload
 *   requests within one TTL (Denning's working set with the TTL as its window: what a cache with unlimited memory
 *   holds at once; with keys that outlive the run, every key the load uses) (cacheFullMaxmemory);
 * - maxmemory-policy `policy` (the document's `maxmemory-policy volatile-lru`), maxmemory-samples `samples`
 *   (Redis's default), every fill with a TTL so the policy can evict;
 * - the figure = hit rate with unlimited memory (maxmemory 0) minus hit rate when full, same workload, in
 *   percentage points (cacheFullDecreasePoints); the rule is SLIGHT_HIT_RATE_DECREASE's.
 */
export const CACHE_FULL = {
  workingSetFraction: 0.5,
  policy: 'volatile-lru',
  samples: 5,
  definition:
    "cache full: maxmemory = empty instance's used_memory + 50% of the working set's bytes (measured used_memory per key x the distinct keys the workload requests within one TTL), maxmemory-policy volatile-lru (the document's), maxmemory-samples 5, every key with a TTL; figure = hit rate with unlimited memory (maxmemory 0) minus hit rate when full, same workload, percentage points",
} as const;

/** The bytes a workload's working set takes in Redis, measured on the instance that runs it. */
export interface WorkingSetBytes {
  /** used_memory of the empty instance (clients connected), bytes. */
  readonly baselineUsedMemory: number;
  /** (used_memory after filling N keys - baseline) / N: what maxmemory counts per key. */
  readonly usedMemoryPerKey: number;
  /** The working set's keys: distinct keys the workload requests within one TTL. */
  readonly distinctKeys: number;
}

/** maxmemory (bytes) of a full cache for this working set: baseline + fraction x bytes per key x distinct keys. */
export function cacheFullMaxmemory(
  workingSet: WorkingSetBytes,
  fraction: number = CACHE_FULL.workingSetFraction,
): number {
  return Math.round(workingSet.baselineUsedMemory + fraction * workingSet.distinctKeys * workingSet.usedMemoryPerKey);
}

/**
 * The cache-full figure of one trial: hit rate with unlimited memory minus hit rate when full, both in %
 * of lookups, as percentage points (positive: the full cache hits less).
 */
export function cacheFullDecreasePoints(unlimitedHitRatePercent: number, fullHitRatePercent: number): number {
  return unlimitedHitRatePercent - fullHitRatePercent;
}

/**
 * The document's worked example ("Without cache ... 250ms", "With cache ... 70ms", "Improvement ...
 * 72% faster"), judged in-process by miss-vs-hit and over HTTP by http-signals: one reading of each
 * line (quote, figure, rule), so the two scenarios' verdicts answer the same question.
 */
export const MIX_NO_CACHE = {
  pattern: 'cache-aside',
  quote: 'Without cache: 5 symbols × 50ms = 250ms',
  claimed: 250,
  thresholdSource: 'document',
  unit: 'ms',
  rule: APPROX,
  better: 'lower',
} as const;

export const MIX_WITH_CACHE = {
  ...MIX_NO_CACHE,
  quote: 'With cache: 4 HITs × 5ms + 1 MISS × 50ms = 20ms + 50ms = 70ms',
  claimed: 70,
} as const;

export const MIX_IMPROVEMENT = {
  pattern: 'cache-aside',
  quote: 'Improvement: (250ms - 70ms) / 250ms = 72% faster',
  claimed: 72,
  thresholdSource: 'document',
  unit: '%',
  rule: { kind: 'within-points', points: 10 },
  better: 'higher',
} as const;
