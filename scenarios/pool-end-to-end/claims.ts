import type { RegisteredClaim } from '../../bench/core/claim.ts';

/** Optimization 3 (connection pooling) end to end: what the pool saves a request of the signal service. */
export const POOL_END_TO_END_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'optimization.pool-end-to-end',
    pattern: 'optimization',
    scenario: 'pool-end-to-end',
    quote: 'Avoid connection overhead (~10ms per connection)',
    claimed: 10,
    thresholdSource: 'document',
    unit: 'ms',
    rule: { kind: 'approx', factor: 2 },
    better: 'lower',
    measuredAs:
      "per trial (the same warm 5-symbol requests sent to two instances of the signal service, one phase each, back to back, their order alternating): (HTTP p50 of the service opening a new Redis connection for each cache call minus HTTP p50 of the service on its one long-lived client, the document's pool) / 5, the connections a request opens (all hits: 5 per-symbol GETs), in ms per connection; closed loop on one keep-alive HTTP connection, so a request's latency is its own service time (with several in flight on one event loop the difference would also count the queue)",
  },
];
