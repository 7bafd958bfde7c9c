import type { RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The document's claims that command-latency measures, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const COMMAND_LATENCY_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'monitoring.command-p99',
    pattern: 'monitoring',
    scenario: 'command-latency',
    quote: 'Command latency (P99 < 5ms)',
    claimed: 5,
    thresholdSource: 'document',
    unit: 'ms',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs:
      'per round: the worst p99 of GET, SET and MGET(5) of one feature vector, each at the document-derived load (2,000 commands/s, open loop, coordinated omission corrected), in ms; the p99 is of every outcome (the <metric>.all histogram): a command that fails or times out counts at its time from the intended send to the failure, so failures stay in the tail',
  },
];
