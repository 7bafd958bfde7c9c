import type { RegisteredClaim } from '../../bench/core/claim.ts';
import { MIX_IMPROVEMENT, MIX_NO_CACHE, MIX_WITH_CACHE } from '../shared-readings.ts';

/** How a trial of the three claims is formed (scenarios/http-signals/mix-example.ts). */
const TRIAL =
  "one trial per round: two new keep-alive connections, each warmed by one untimed request; the fifth symbol's key removed before each request (untimed); a pair whose cached request was not exactly 4 hits and 1 miss is left out and counted";

/**
 * The document's claims that http-signals (the 5-symbol mix over HTTP) measures, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const HTTP_SIGNALS_CLAIMS: readonly RegisteredClaim[] = [
  {
    ...MIX_NO_CACHE,
    id: 'http.mix-no-cache',
    scenario: 'http-signals',
    measuredAs: `p50 over a round's kept pairs of POST /api/v1/signals for 5 symbols on the service with REDIS_ENABLED=false, end to end over HTTP; ${TRIAL}`,
  },
  {
    ...MIX_WITH_CACHE,
    id: 'http.mix-with-cache',
    scenario: 'http-signals',
    measuredAs: `p50 over a round's kept pairs of POST /api/v1/signals for 5 symbols of which 4 are cached (80% hit rate), end to end over HTTP; ${TRIAL}`,
  },
  {
    ...MIX_IMPROVEMENT,
    id: 'http.mix-improvement',
    scenario: 'http-signals',
    measuredAs: `median over a round's kept pairs of (no-cache - 80%-hit) / no-cache, each pair the same request sent to both services back to back (order swapped every pair); ${TRIAL}`,
  },
];
