import type { RegisteredClaim } from '../../bench/core/claim.ts';
import { SLIGHT_HIT_RATE_DECREASE } from '../shared-readings.ts';

/**
 * The document's claims that the hit-rate curve measures, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const HIT_RATE_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'monitoring.hit-rate',
    pattern: 'monitoring',
    scenario: 'hit-rate-curve',
    quote: 'Cache hit rate < 50% (expected: 70-80%) … Cache hit rate (target: > 70%)',
    claimed: 70,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      "hit rate after the warm-up (the first TTL) of a simulated trading day of the signal service (Poisson signal requests, zipfian symbols, recent dates more often, dates rolling over from day to day), cache-aside on Redis at the document's configuration (maxmemory 512mb, volatile-lru, TTL 3600 s scaled to the accelerated clock), one trial per day from a flushed Redis",
  },
  {
    id: 'degradation.cache-full-hit-rate',
    scenario: 'hit-rate-curve',
    ...SLIGHT_HIT_RATE_DECREASE,
    measuredAs:
      "hit rate with unlimited memory minus hit rate with the cache full (the shared CACHE_FULL definition: maxmemory at 50% of the working set's bytes, volatile-lru), in percentage points, the same simulated trading day replayed on both, one trial per day",
  },
  {
    id: 'degradation.cache-full-new-keys-cached',
    pattern: 'degradation',
    scenario: 'hit-rate-curve',
    quote: 'Cache full (eviction) | LRU eviction, new keys cached',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      "share of cache-aside fills (SET with TTL after a miss) that Redis accepts after the warm-up while the cache is full (the shared CACHE_FULL definition: maxmemory at 50% of the working set's bytes, volatile-lru), one trial per simulated trading day",
  },
];
