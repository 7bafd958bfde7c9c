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
      'per round: p50 of (new connection + GET) minus p50 of a GET on a shared client, in ms; connect and first command included, close not timed',
  },
];
