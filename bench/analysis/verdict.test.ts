import { describe, expect, it } from 'vitest';
import type { ClaimDefinition } from '../core/claim.ts';
import { judgeClaim } from './verdict.ts';

const hitClaim: ClaimDefinition = {
  id: 'test.hit',
  pattern: 'cache-aside',
  quote: 'HIT 5ms',
  claimed: 5,
  unit: 'ms',
  rule: { kind: 'approx', factor: 2 },
  measuredAs: 'p50',
  better: 'lower',
};

describe('judgeClaim', () => {
  it('holds when every trial lies inside the accepted range', () => {
    const v = judgeClaim(hitClaim, [4, 5, 6, 5, 4.5], 'loopback');
    expect(v.outcome).toBe('holds');
    expect(v.measured).toBe(5);
    expect(v.direction).toBeNull();
  });

  it('does not hold, better than claimed, when far faster', () => {
    const v = judgeClaim(hitClaim, [0.1, 0.12, 0.11, 0.1, 0.13], 'loopback');
    expect(v.outcome).toBe('does not hold');
    expect(v.direction).toBe('better');
    expect(v.explanation).toContain('below the claim');
  });

  it('does not hold, worse than claimed, when far slower', () => {
    const v = judgeClaim(hitClaim, [20, 21, 22, 19, 20], 'loopback');
    expect(v).toMatchObject({ outcome: 'does not hold', direction: 'worse' });
  });

  it('is inconclusive when the interval straddles a boundary', () => {
    expect(judgeClaim(hitClaim, [2, 3, 9, 11, 12], 'loopback').outcome).toBe('inconclusive');
  });

  it('is inconclusive with too few trials and not measured with none', () => {
    expect(judgeClaim(hitClaim, [5, 5], 'loopback').outcome).toBe('inconclusive');
    expect(judgeClaim(hitClaim, [], 'loopback')).toMatchObject({ outcome: 'not measured', measured: null });
  });

  it('reads at-least claims in the higher-is-better direction', () => {
    const speedup: ClaimDefinition = {
      ...hitClaim,
      id: 'x',
      claimed: 10,
      unit: 'x',
      rule: { kind: 'at-least' },
      better: 'higher',
    };
    expect(judgeClaim(speedup, [30, 31, 29, 33, 30], '').outcome).toBe('holds');
    expect(judgeClaim(speedup, [3, 3.1, 2.9, 3.3, 3], '')).toMatchObject({
      outcome: 'does not hold',
      direction: 'worse',
    });
  });

  it('reads within-points claims as absolute percentage points', () => {
    const pct: ClaimDefinition = {
      ...hitClaim,
      id: 'p',
      claimed: 72,
      unit: '%',
      rule: { kind: 'within-points', points: 10 },
      better: 'higher',
    };
    expect(judgeClaim(pct, [70, 75, 73, 71, 74], '').outcome).toBe('holds');
    expect(judgeClaim(pct, [95, 96, 97, 95, 96], '')).toMatchObject({ outcome: 'does not hold', direction: 'better' });
  });
});
