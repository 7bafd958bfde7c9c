import type { RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The document's claims that the chaos suite (graceful degradation) measures, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const CHAOS_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'degradation.redis-crash',
    pattern: 'degradation',
    scenario: 'chaos',
    quote: 'Redis crashes mid-request | Request completes, next requests work',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      'share of requests that complete while Redis is killed mid-run ("request completes" read as every request)',
  },
  {
    id: 'degradation.redis-not-installed',
    pattern: 'degradation',
    scenario: 'chaos',
    quote: 'Redis not installed | Services start without cache | No cache benefit',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      'share of signal requests that complete (per time bucket, resilient client) when Redis is absent at service start and appears later',
  },
  {
    id: 'degradation.connection-fails',
    pattern: 'degradation',
    scenario: 'chaos',
    quote: 'Redis connection fails | Services continue, log warning | No cache benefit',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      'share of signal requests that complete (per time bucket, resilient client) while the network to Redis is a black hole, and after it heals',
  },
  {
    id: 'degradation.cache-full-under-load',
    pattern: 'degradation',
    scenario: 'chaos',
    quote: 'Cache full (eviction) | LRU eviction, new keys cached | Slight hit rate decrease',
    claimed: 5,
    thresholdSource: 'harness',
    thresholdReason:
      '"slight hit rate decrease" gives no figure; the harness reads "slight" as a drop of at most 5 percentage points',
    unit: '%',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs:
      'hit-rate decrease in percentage points per time bucket under live open-loop load after maxmemory is lowered below the data in use (volatile-lru, keys with TTL), against the hit rate before',
  },
];
