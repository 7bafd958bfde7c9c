import { APPROX, type RegisteredClaim } from '../../bench/core/claim.ts';

const MIB = 1024 * 1024;

/**
 * The document's memory statements that memory-sizing measures, in the document's order: its INFO
 * example, anti-pattern 2 (no TTL), the redis.conf sizing and the evictions metric.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const MEMORY_SIZING_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'monitoring.memory-example',
    pattern: 'monitoring',
    scenario: 'memory-sizing',
    quote: 'used_memory_human:256.00M … (integer) 500',
    claimed: 256 * MIB,
    thresholdSource: 'document',
    unit: 'bytes',
    rule: APPROX,
    better: 'lower',
    measuredAs:
      "the INFO memory / DBSIZE example read as what the service's cache takes: used_memory (bytes) of a managed Redis holding exactly 500 feature keys (DBSIZE 500) written by src FeatureCache (default json-array codec, EX 3600), real Alpha158 vectors; one trial = one fill from a flushed Redis",
  },
  {
    id: 'antipattern.no-ttl',
    pattern: 'cache-aside',
    scenario: 'memory-sizing',
    quote: 'Data persists forever, memory grows unbounded',
    claimed: 95,
    thresholdSource: 'harness',
    thresholdReason:
      "the document gives no figure; under a maxmemory unbounded growth can only end at the cap, so the harness reads it against the document's own critical level 'Used memory > 95% of max'",
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'lower',
    measuredAs:
      "the document's bad code (SET features:{symbol}:{date} without TTL) for a stream of new trading dates, each date's symbols written in one burst, under maxmemory-policy volatile-lru (the document's) at a small maxmemory with room for a few dates; figure: used_memory at the end of the stream in % of maxmemory (writes refused with OOM counted beside); one trial = this stream and the good one on a flushed Redis, their order alternating",
  },
  {
    id: 'antipattern.always-ttl',
    pattern: 'cache-aside',
    scenario: 'memory-sizing',
    quote: 'Always set TTL - Prevents unbounded memory growth',
    claimed: 80,
    thresholdSource: 'harness',
    thresholdReason:
      "the document gives no figure for bounded memory; the harness holds it to the document's own warning level 'Used memory > 80% of max', which memory bounded by the TTL must never reach",
    unit: '%',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs:
      "the same stream of new dates written the document's good way (SET with TTL 3600 s, scaled to the accelerated clock on which one trading session of 23,400 s passes between dates), same maxmemory and volatile-lru; figure: peak used_memory over the stream (sampled after every date) in % of maxmemory; one trial = the good and the bad stream on a flushed Redis",
  },
  {
    id: 'production.maxmemory-fits',
    pattern: 'monitoring',
    scenario: 'memory-sizing',
    quote: 'maxmemory 512mb',
    claimed: 80,
    thresholdSource: 'harness',
    thresholdReason:
      "the document gives no headroom for its maxmemory; the harness holds the sizing to the document's own warning level 'Used memory > 80% of max', so the documented workload never trips the document's alert",
    unit: '%',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs:
      'peak used_memory (INFO memory polled every 20 ms) during a simulated trading day of the documented workload (the trading-day workload: 500 symbols x 20 dates, zipfian, 1 signal request/s of 5 symbols, cache-aside with TTL 3600 s on an accelerated clock, real feature values of the default codec) in % of maxmemory 512mb, volatile-lru; --quick: a smaller universe with maxmemory scaled by its share of the documented key space; one trial = one simulated day from a flushed Redis',
  },
  {
    id: 'production.evictions-near-zero',
    pattern: 'monitoring',
    scenario: 'memory-sizing',
    quote: 'Evictions per second (should be near 0)',
    claimed: 0.1,
    thresholdSource: 'harness',
    thresholdReason:
      "'near 0' gives no figure; the harness reads it as at most one eviction per 1,000 cache writes (0.1%), at which evictions cost at most 0.1 points of hit rate",
    unit: '%',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs:
      "INFO evicted_keys after the warm-up (the first TTL) in % of the cache-aside fills Redis accepted in the same span, same replay as production.maxmemory-fits (maxmemory 512mb, scaled for --quick, volatile-lru): a rate per write, so the clock's acceleration cancels; evictions per simulated second and the maxmemory at which they stop being near 0 (a sweep) are reported beside it; one trial = one simulated day",
  },
];
