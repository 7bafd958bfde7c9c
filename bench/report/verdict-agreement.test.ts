import { describe, expect, it } from 'vitest';
import type { ClaimDefinition, CoveredClaim } from '../core/claim.ts';
import { judgeClaim, notMeasuredVerdict } from '../analysis/verdict.ts';
import { formatAgreement, verdictAgreement } from './verdict-agreement.ts';

const claim = (id: string): ClaimDefinition => ({
  id,
  pattern: 'cache-aside',
  quote: 'q',
  claimed: 5,
  thresholdSource: 'document',
  unit: 'ms',
  rule: { kind: 'at-most' },
  measuredAs: 'p50',
  better: 'lower',
});
const row = (id: string, figures: number[]): CoveredClaim => ({
  scenario: 's',
  verdict: figures.length === 0 ? notMeasuredVerdict(claim(id), 'not run') : judgeClaim(claim(id), figures, ''),
});
const holds = [1, 1, 1, 1, 1, 1];
const fails = [9, 9, 9, 9, 9, 9];
const open = [1, 9, 1, 9, 1, 9];

describe('verdictAgreement', () => {
  it('tells the same verdict, a flip between holds and does not hold, and a change to inconclusive apart', () => {
    const a = { claims: [row('same', holds), row('flip', holds), row('change', holds), row('absent', [])] };
    const b = { claims: [row('same', holds), row('flip', fails), row('change', open), row('absent', holds)] };
    const agreement = verdictAgreement([a, b]);
    expect(agreement.rows.map((r) => [r.claimId, r.kind])).toEqual([
      ['same', 'same'],
      ['flip', 'flip'],
      ['change', 'change'],
      ['absent', 'change'],
    ]);
    expect(agreement).toMatchObject({ same: 1, flips: 1, changes: 2 });
    const text = formatAgreement(agreement, ['run 1', 'run 2']);
    expect(text).toContain('| flip | holds, 1.00 ms (n=6) | does not hold (worse), 9.00 ms (n=6) | **flip** |');
    expect(text).toContain('1 of 4 claims the same in every run; 1 flip(s)');
  });
});
