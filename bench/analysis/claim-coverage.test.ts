import { describe, expect, it } from 'vitest';
import type { RegisteredClaim } from '../core/claim.ts';
import { coverClaims } from './claim-coverage.ts';
import { judgeClaim } from './verdict.ts';

function claim(id: string, scenario: string | null): RegisteredClaim {
  return {
    id,
    scenario,
    pattern: 'cache-aside',
    quote: `quote of ${id}`,
    claimed: 5,
    thresholdSource: 'document',
    unit: 'ms',
    rule: { kind: 'approx', factor: 2 },
    better: 'lower',
    measuredAs: 'p50',
  };
}

/** A registry in document order: the runner gets the real one (scenarios/claims.ts) from the commands. */
const CLAIMS: readonly RegisteredClaim[] = [
  claim('cache.hit-latency', 'miss-vs-hit'),
  claim('cache.speedup', 'miss-vs-hit'),
  claim('pubsub.latency', 'pubsub-latency'),
  claim('unassigned', null),
];

describe('coverClaims', () => {
  it('lists every registry claim once, in order, measured or not', () => {
    const hit = CLAIMS.find((c) => c.id === 'cache.hit-latency')!;
    const verdict = judgeClaim(hit, [0.3, 0.3, 0.3], 'loopback');
    const covered = coverClaims(CLAIMS, [{ id: 'miss-vs-hit', status: 'ok', verdicts: [verdict] }], ['miss-vs-hit']);
    expect(covered.map((c) => c.verdict.claimId)).toEqual(CLAIMS.map((c) => c.id));
    expect(covered.find((c) => c.verdict.claimId === 'cache.hit-latency')?.verdict).toBe(verdict);
    const speedup = covered.find((c) => c.verdict.claimId === 'cache.speedup')!.verdict;
    expect(speedup).toMatchObject({
      outcome: 'not measured',
      explanation: 'scenario miss-vs-hit ended ok before judging it',
    });
    const pubsub = covered.find((c) => c.verdict.claimId === 'pubsub.latency')!.verdict;
    expect(pubsub).toMatchObject({
      outcome: 'not measured',
      explanation: 'no scenario measures this claim yet',
      measured: null,
    });
    expect(covered.find((c) => c.verdict.claimId === 'unassigned')).toMatchObject({
      scenario: null,
      verdict: { explanation: 'no scenario measures this claim yet' },
    });
  });

  it('says when a scenario was not run or failed', () => {
    expect(coverClaims(CLAIMS, [], ['miss-vs-hit'])[0].verdict.explanation).toBe('scenario miss-vs-hit was not run');
    expect(
      coverClaims(CLAIMS, [{ id: 'miss-vs-hit', status: 'failed', verdicts: [] }], ['miss-vs-hit'])[0].verdict
        .explanation,
    ).toBe('scenario miss-vs-hit ended failed before judging it');
  });
});
