import type { RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The document's claims that compression measures, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const COMPRESSION_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'optimization.gzip-ratio',
    pattern: 'optimization',
    scenario: 'compression',
    quote: 'Uncompressed: 50KB JSON … Compressed: 5KB (10x smaller)',
    claimed: 10,
    thresholdSource: 'document',
    unit: 'x',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      "per sample (another symbol and date each): bytes of the document's dict JSON (json.dumps of named floats) / bytes of its gzip (level 9, as Python's gzip.compress), at the document's large case (~50 KB of JSON: several days of Alpha158)",
  },
];
