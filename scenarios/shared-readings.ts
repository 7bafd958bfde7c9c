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
