import type { RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The document's claims that pipelining measures, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const PIPELINING_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'optimization.pipeline-5-gets',
    pattern: 'optimization',
    scenario: 'pipelining',
    quote: 'Slow: 5 round trips to Redis … 5 × 1ms = 5ms … Fast: 1 round trip to Redis … 1ms total',
    claimed: 5,
    thresholdSource: 'harness',
    thresholdReason:
      'the document gives 5 ms for 5 round trips and 1 ms for one pipeline, not a ratio; the harness judges their quotient, 5x, as a lower bound on the speedup',
    unit: 'x',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      'per round: p50 of 5 sequential GETs / p50 of one pipeline of the same 5 GETs (feature values, json-array), loopback with no added round trip',
  },
];
