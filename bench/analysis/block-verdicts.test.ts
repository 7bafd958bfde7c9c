import { describe, expect, it } from 'vitest';
import type { ClaimDefinition } from '../core/claim.ts';
import { poolBlockVerdicts, undecidedClaims } from './block-verdicts.ts';
import { judgeClaim, notMeasuredVerdict } from './verdict.ts';

const claim: ClaimDefinition = {
  id: 't.hit',
  pattern: 'cache-aside',
  quote: 'HIT 5ms',
  claimed: 5,
  thresholdSource: 'document',
  unit: 'ms',
  rule: { kind: 'at-most' },
  measuredAs: 'p50',
  better: 'lower',
};
const claims = new Map([[claim.id, claim]]);

describe('poolBlockVerdicts', () => {
  it('judges the pooled figures of every block: two blocks of 3 trials make one verdict of 6', () => {
    const a = judgeClaim(claim, [1, 2, 3], 'block a');
    const b = judgeClaim(claim, [2, 3, Number.NaN, 4], 'block b');
    expect(a.outcome).toBe('inconclusive');
    const [pooled] = poolBlockVerdicts(claims, [[a], [b]], 0.95);
    expect(pooled).toMatchObject({ outcome: 'holds', trials: 6, failedTrials: 1 });
    expect(pooled!.figures).toEqual([1, 2, 3, 2, 3, null, 4]);
    expect(pooled!.conditions).toBe('block b; trials pooled from 2 runs of the scenario (blocks)');
  });

  it('re-judges a single block at the confidence asked for', () => {
    const figures = Array.from({ length: 20 }, (_, i) => i + 1);
    const [at80] = poolBlockVerdicts(claims, [[judgeClaim(claim, figures, '')]], 0.8);
    expect(at80!.coverage).toBeGreaterThanOrEqual(0.8);
    expect(at80!.coverage).toBeLessThan(0.95);
    expect(at80!.conditions).toBe('');
  });

  it('keeps a not-measured verdict and a claim it does not know as the scenario wrote them', () => {
    const missing = notMeasuredVerdict(claim, 'needs --thorough');
    expect(poolBlockVerdicts(claims, [[missing]], 0.95)).toEqual([missing]);
    const unknown = { ...judgeClaim(claim, [9, 9, 9, 9, 9, 9], ''), claimId: 'not.registered' };
    expect(poolBlockVerdicts(claims, [[unknown]], 0.95)).toEqual([unknown]);
  });

  it('lists the inconclusive verdicts as undecided', () => {
    const decided = judgeClaim(claim, [1, 1, 1, 1, 1, 1], '');
    const open = judgeClaim(claim, [1, 1], '');
    expect(undecidedClaims([decided, open])).toEqual([open]);
    // every trial ran and none gave a figure: inconclusive, but more blocks would not help
    const noFigure = judgeClaim(claim, [Number.NaN, Number.NaN, Number.NaN], 'c');
    expect(noFigure.outcome).toBe('inconclusive');
    expect(undecidedClaims([noFigure, open])).toEqual([open]);
    // 2 figures from a block: another block at that yield reaches 4, not 6: not pursued
    const two = judgeClaim(claim, [Number.NaN, 4, Number.NaN, 4, Number.NaN], 'c');
    expect(undecidedClaims([two], 1)).toEqual([]);
    // 3 from one block: one more block can reach 6; after 2 blocks the yield is 1.5 a block: no
    const three = judgeClaim(claim, [4, 4, 4, Number.NaN], 'c');
    expect(undecidedClaims([three], 1)).toEqual([three]);
    expect(undecidedClaims([three], 2)).toEqual([]);
    // enough trials but an interval across the boundary: always open
    expect(undecidedClaims([open], 5)).toEqual([open]);
  });
});
