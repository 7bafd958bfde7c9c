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
      "hit rate of the signal-service workload model (zipfian symbols x latest dates, cache-aside with TTL) replayed on Redis at the document's configuration (maxmemory 512mb, volatile-lru, TTL 3600 s), per segment of the replay after its warm-up",
  },
  {
    id: 'degradation.cache-full-hit-rate',
    scenario: 'hit-rate-curve',
    ...SLIGHT_HIT_RATE_DECREASE,
    measuredAs:
      "hit-rate decrease in percentage points when maxmemory holds half the bytes of the keys the trace requests (volatile-lru, TTL 3600 s) against the document's 512mb where it all fits, same trace, per segment of the replay",
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
      'share of cache-aside fills (SET with TTL after a miss) that Redis accepts while the cache is full (maxmemory at half the bytes of the keys the trace requests, volatile-lru), per segment of the replay',
  },
];
