import type { RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The cache-aside statements cache-correctness checks, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const CACHE_CORRECTNESS_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'cache.deterministic',
    pattern: 'cache-aside',
    scenario: 'cache-correctness',
    quote: 'Same symbol + date = same features (always)',
    claimed: 0,
    thresholdSource: 'document',
    unit: 'count',
    rule: { kind: 'never-observed' },
    better: 'lower',
    measuredAs:
      'per round (one trial): over its symbol-dates, the count of feature vectors (and signal scores) that are not bit-for-bit equal to the vector computed directly from the market data, compared across the miss and the hit of the per-symbol loop (with single flight), the batched MGET/pipelined SET path, the resilient cache path, the HTTP service, every lossless codec read back, a second Node process (its computed vectors and its cache reads, by SHA-256) and, in default mode, a Redis Cluster; "equal" is float64 bit equality with any NaN equal to any NaN (-0 and 0 differ); float32 is lossy by design: its largest error is reported as a figure, not counted',
  },
  {
    id: 'cache.ttl-always-set',
    pattern: 'cache-aside',
    scenario: 'cache-correctness',
    quote: 'Default: 1 hour (3600 seconds) … DO always set TTL',
    claimed: 0,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'never-observed' },
    better: 'lower',
    measuredAs:
      "per round (one trial): share of the cache keys the system under test wrote in that round whose TTL is outside (0, 3600] s, read by SCAN MATCH + PTTL right after each write path (set, pipelined setMany, every codec, jittered TTL, single-flight misses, the resilient cache, the HTTP service; a cluster's masters in default mode); keys planted by the harness without a TTL (the TTL repair on read) are reported apart, not in the trial; the runner's audit of every scenario's keyspace (summary.keyspaceAudit) is reported beside it and is not a trial, since other scenarios' harnesses write cache keys directly",
  },
];
