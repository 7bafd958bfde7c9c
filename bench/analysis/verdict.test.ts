import { describe, expect, it } from 'vitest';
import type { ClaimDefinition } from '../core/claim.ts';
import { compactFigure, judgeClaim, notMeasuredVerdict, ruleText } from './verdict.ts';

const hitClaim: ClaimDefinition = {
  id: 'test.hit',
  pattern: 'cache-aside',
  quote: 'HIT 5ms',
  claimed: 5,
  thresholdSource: 'document',
  unit: 'ms',
  rule: { kind: 'approx', factor: 2 },
  measuredAs: 'p50',
  better: 'lower',
};

/** "Silent losses happen": a yes/no claim on a count of losses per trial. */
const lossesHappen: ClaimDefinition = {
  ...hitClaim,
  id: 'test.losses',
  claimed: 0,
  unit: '%',
  rule: { kind: 'observed' },
};
const neverLost: ClaimDefinition = { ...lossesHappen, id: 'test.never', rule: { kind: 'never-observed' } };

describe('judgeClaim', () => {
  it('holds when every trial lies inside the accepted range', () => {
    const v = judgeClaim(hitClaim, [4, 5, 6, 5, 4.5, 5.5], 'loopback');
    expect(v.outcome).toBe('holds');
    expect(v.measured).toBe(5);
    expect(v.figures).toEqual([4, 5, 6, 5, 4.5, 5.5]);
    expect(v.direction).toBeNull();
  });

  it('does not hold, better than claimed, when far faster', () => {
    const v = judgeClaim(hitClaim, [0.1, 0.12, 0.11, 0.1, 0.13, 0.1], 'loopback');
    expect(v.outcome).toBe('does not hold');
    expect(v.direction).toBe('better');
    expect(v.explanation).toContain('below the claim');
  });

  it('does not hold, worse than claimed, when far slower', () => {
    const v = judgeClaim(hitClaim, [20, 21, 22, 19, 20, 21], 'loopback');
    expect(v).toMatchObject({ outcome: 'does not hold', direction: 'worse' });
  });

  it('is inconclusive when the interval straddles a boundary', () => {
    expect(judgeClaim(hitClaim, [2, 3, 9, 11, 12, 10], 'loopback').outcome).toBe('inconclusive');
  });

  it('is inconclusive with too few trials and not measured with none', () => {
    const five = judgeClaim(hitClaim, [5, 5, 5, 5, 5], 'loopback');
    expect(five.outcome).toBe('inconclusive');
    expect(five.explanation).toContain('n < 6');
    expect(judgeClaim(hitClaim, [5, 5, 5, 5, 5, 5], 'loopback').outcome).toBe('holds');
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
    expect(judgeClaim(speedup, [30, 31, 29, 33, 30, 32], '').outcome).toBe('holds');
    expect(judgeClaim(speedup, [3, 3.1, 2.9, 3.3, 3, 3.2], '')).toMatchObject({
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
    expect(judgeClaim(pct, [70, 75, 73, 71, 74, 72], '').outcome).toBe('holds');
    expect(judgeClaim(pct, [95, 96, 97, 95, 96, 97], '')).toMatchObject({
      outcome: 'does not hold',
      direction: 'better',
    });
  });

  it('carries the threshold source, the rule in words, the coverage and the trial count', () => {
    const v = judgeClaim(hitClaim, [4, 5, 6, 5, 4.5, 5.5, 5], 'loopback');
    expect(v).toMatchObject({
      thresholdSource: 'document',
      thresholdReason: null,
      ruleText: 'within 2x of 5 ms',
      trials: 7,
      failedTrials: 0,
    });
    // 7 trials: the interval is [min, max], coverage 1 - 2 / 2^7.
    expect(v.coverage).toBeCloseTo(0.984375, 6);
    expect(v.coverage).toBe(v.interval?.coverage);
    const harness: ClaimDefinition = { ...hitClaim, thresholdSource: 'harness', thresholdReason: 'chosen here' };
    expect(judgeClaim(harness, [5, 5, 5, 5, 5, 5], '')).toMatchObject({
      thresholdSource: 'harness',
      thresholdReason: 'chosen here',
    });
    expect(judgeClaim(harness, [5, 5, 5], '').explanation).toContain('threshold chosen by the harness');
  });

  it('counts NaN and infinite trials as failed, names them, and judges on the finite ones', () => {
    const v = judgeClaim(hitClaim, [5, Number.NaN, 5, Number.POSITIVE_INFINITY, 5, 5, 5, 5], 'loopback');
    expect(v).toMatchObject({ outcome: 'holds', trials: 6, failedTrials: 2 });
    expect(v.figures).toEqual([5, null, 5, null, 5, 5, 5, 5]);
    expect(v.explanation).toContain('2 failed trial(s)');
    // Trials that ran and all failed: measured, too few figures, so inconclusive (not "not measured").
    const none = judgeClaim(hitClaim, [Number.NaN, Number.NaN], 'loopback');
    expect(none).toMatchObject({ outcome: 'inconclusive', measured: null, trials: 0, failedTrials: 2, coverage: null });
    expect(none.explanation).toMatch(/^n < 6: 0 trial\(s\)/);
    expect(none.explanation).toContain('2 failed trial(s)');
    // Too few finite trials stays inconclusive however many failed.
    expect(judgeClaim(hitClaim, [5, 5, 5, 5, 5, Number.NaN, Number.NaN], '')).toMatchObject({
      outcome: 'inconclusive',
      failedTrials: 2,
    });
  });
});

describe('judgeClaim options', () => {
  it('narrows the interval at a lower confidence and widens it at a higher one', () => {
    const figures = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    const at95 = judgeClaim(hitClaim, figures, '');
    const at80 = judgeClaim(hitClaim, figures, '', { confidence: 0.8 });
    const at99 = judgeClaim(hitClaim, figures, '', { confidence: 0.99 });
    expect(at80.interval!.high - at80.interval!.low).toBeLessThan(at95.interval!.high - at95.interval!.low);
    expect(at99.interval!.high - at99.interval!.low).toBeGreaterThan(at95.interval!.high - at95.interval!.low);
    expect(at99.coverage).toBeGreaterThanOrEqual(0.99);
  });
});

describe('yes/no rules', () => {
  it('observed holds on a single trial above 0, whatever the trial count', () => {
    expect(judgeClaim(lossesHappen, [0, 0.5], '')).toMatchObject({ outcome: 'holds', direction: null });
    expect(judgeClaim(lossesHappen, [0, 0, 0, 2, 0], '').explanation).toContain('observed (> 0) in 1 of 5 trial(s)');
  });

  it('observed does not hold when 0 in every trial of at least the minimum, else is inconclusive', () => {
    expect(judgeClaim(lossesHappen, [0, 0, 0, 0, 0, 0], '')).toMatchObject({
      outcome: 'does not hold',
      direction: 'better',
    });
    expect(judgeClaim(lossesHappen, [0, 0, 0, 0, 0], '').outcome).toBe('inconclusive');
    expect(judgeClaim(lossesHappen, [0, 0, 0, 0, 0, 0], '', { minTrials: 7 }).outcome).toBe('inconclusive');
  });

  it('never-observed holds when 0 in every trial of at least the minimum and fails on one occurrence', () => {
    expect(judgeClaim(neverLost, [0, 0, 0, 0, 0, 0], '').outcome).toBe('holds');
    expect(judgeClaim(neverLost, [0, 0, 0, 0, 0], '').outcome).toBe('inconclusive');
    expect(judgeClaim(neverLost, [0, 0.01], '')).toMatchObject({ outcome: 'does not hold', direction: 'worse' });
  });
});

describe('ruleText', () => {
  const rule = (claimed: number, unit: ClaimDefinition['unit'], r: ClaimDefinition['rule']): string =>
    ruleText({ claimed, unit, rule: r });

  it('states each rule in words with the claimed figure', () => {
    expect(rule(5, 'ms', { kind: 'at-most' })).toBe('<= 5 ms');
    expect(rule(10, 'x', { kind: 'at-least' })).toBe('>= 10x');
    expect(rule(5, 'ms', { kind: 'approx', factor: 2 })).toBe('within 2x of 5 ms');
    expect(rule(1, 'x', { kind: 'approx', factor: 1.25 })).toBe('within 1.25x of 1x');
    expect(rule(72, '%', { kind: 'within-points', points: 10 })).toBe('72% ± 10 points');
    expect(rule(0, '%', { kind: 'observed' })).toBe('observed at least once');
    expect(rule(0, '%', { kind: 'never-observed' })).toBe('never observed');
    expect(rule(10_000, 'ms', { kind: 'at-most' })).toBe('<= 10 s');
    expect(rule(0.2, 'ms', { kind: 'approx', factor: 2 })).toBe('within 2x of 0.2 ms');
  });

  it('writes claimed figures compactly', () => {
    expect(compactFigure(0.01, '%')).toBe('0.01%');
    expect(compactFigure(5000, 'bytes')).toBe('5000 bytes');
    expect(compactFigure(1500, 'ms')).toBe('1.5 s');
  });
});

describe('notMeasuredVerdict', () => {
  it('carries the claim, its source and rule, and no figure', () => {
    const harness: ClaimDefinition = { ...hitClaim, thresholdSource: 'harness', thresholdReason: 'why' };
    expect(notMeasuredVerdict(harness, 'scenario not run')).toMatchObject({
      outcome: 'not measured',
      thresholdSource: 'harness',
      thresholdReason: 'why',
      ruleText: 'within 2x of 5 ms',
      measured: null,
      interval: null,
      coverage: null,
      trials: 0,
      failedTrials: 0,
      explanation: 'scenario not run',
    });
  });

  it('a harness threshold without its reason does not compile', () => {
    // @ts-expect-error thresholdReason is required when the harness chose the threshold
    const noReason: ClaimDefinition = { ...hitClaim, thresholdSource: 'harness' };
    expect(noReason.thresholdSource).toBe('harness');
  });
});
