import { APPROX, type RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The document's claims that connections measures, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const CONNECTIONS_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'optimization.connection-overhead',
    pattern: 'optimization',
    scenario: 'connections',
    quote: 'Avoid connection overhead (~10ms per connection)',
    claimed: 10,
    thresholdSource: 'document',
    unit: 'ms',
    rule: APPROX,
    better: 'lower',
    measuredAs:
      'per round: median of the paired differences (new connection + GET) minus (GET on a shared client), the two timed back to back in each iteration, in ms; connect and first command included, close not timed',
  },
];
