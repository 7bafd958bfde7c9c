import { APPROX, type RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The document's claims that pipelining measures, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 *
 * The document's example is 5 GETs at 1 ms per round trip ("5 × 1ms = 5ms"), so all three are
 * judged with 1 ms added per round trip; on loopback a round trip costs a tenth of that, and the
 * loopback figures are reported beside them, not judged. The factor 2 of "within 2x" is APPROX's,
 * the harness's reading of the document's round numbers.
 */
export const PIPELINING_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'optimization.pipeline-5-gets',
    pattern: 'optimization',
    scenario: 'pipelining',
    quote: 'Slow: 5 round trips to Redis … 5 × 1ms = 5ms … Fast: 1 round trip to Redis … 1ms total',
    claimed: 5,
    thresholdSource: 'document',
    unit: 'x',
    rule: APPROX,
    better: 'higher',
    measuredAs:
      "per round: p50 of 5 sequential GETs / p50 of one pipeline of the same 5 GETs (feature values, json-array), with 1 ms added per round trip (the document's premise); 5x is the quotient of the document's 5 ms and 1 ms; the loopback ratio is reported as speedup[batch=5], not judged",
  },
  {
    id: 'optimization.pipeline-sequential-5ms',
    pattern: 'optimization',
    scenario: 'pipelining',
    quote: 'Slow: 5 round trips to Redis … 5 × 1ms = 5ms',
    claimed: 5,
    thresholdSource: 'document',
    unit: 'ms',
    rule: APPROX,
    better: 'lower',
    measuredAs:
      "per round: p50 of 5 GETs one after another, each awaited (feature values, json-array), with 1 ms added per round trip (the document's 1 ms per GET)",
  },
  {
    id: 'optimization.pipeline-1ms',
    pattern: 'optimization',
    scenario: 'pipelining',
    quote: 'Fast: 1 round trip to Redis … 1ms total',
    claimed: 1,
    thresholdSource: 'document',
    unit: 'ms',
    rule: APPROX,
    better: 'lower',
    measuredAs:
      'per round: p50 of one pipeline of the same 5 GETs (written at once, one exec()), with 1 ms added per round trip',
  },
];
