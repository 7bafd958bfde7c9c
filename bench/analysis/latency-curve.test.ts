import { describe, expect, it } from 'vitest';
import { formatCurve, kneeRate, saturationReason, withinBudget } from './latency-curve.ts';
import type { CurvePoint } from './latency-curve.ts';

const point = (targetRate: number, p99Ms: number | null, extra: Partial<CurvePoint> = {}): CurvePoint => ({
  targetRate,
  achievedRate: targetRate,
  p50Ms: p99Ms === null ? null : p99Ms / 4,
  p99Ms,
  maxMs: p99Ms,
  rateHeld: true,
  failures: 0,
  ...extra,
});

describe('throughput-latency curve', () => {
  it('the knee is the highest rate within budget, rate held and nothing failed', () => {
    const points = [point(1000, 0.5), point(2000, 0.8), point(4000, 4.9), point(8000, 12)];
    expect(kneeRate(points, 5)).toBe(4000);
    expect(kneeRate(points, 0.6)).toBe(1000);
    expect(kneeRate(points, 0.1)).toBeNull();
    expect(kneeRate([point(1000, 0.5), point(2000, 0.6, { rateHeld: false, achievedRate: 1500 })], 5)).toBe(1000);
    expect(kneeRate([point(1000, 0.5), point(2000, 0.6, { failures: 3 })], 5)).toBe(1000);
    expect(withinBudget(point(1, null), 5)).toBe(false);
  });

  it('says why a step ends the sweep', () => {
    expect(saturationReason(point(1000, 1), 5)).toBeNull();
    expect(saturationReason(point(1000, 6), 5)).toMatch(/above the 5 ms budget/);
    expect(saturationReason(point(1000, 1, { rateHeld: false, achievedRate: 700 }), 5)).toMatch(
      /achieved 700 ops\/s of 1000/,
    );
    expect(saturationReason(point(1000, 1, { failures: 2 }), 5)).toMatch(/2 operations failed/);
    expect(saturationReason(point(1000, 1, { rateHeld: false, achievedRate: 995, unsent: 15 }), 5)).toMatch(
      /15 operations due were never sent: the in-flight bound .* stayed full \(achieved 995 ops\/s of 1000/,
    );
  });

  it('marks the knee in the text', () => {
    const text = formatCurve('GET', [point(1000, 0.5), point(2000, 9)], 5);
    expect(text).toMatch(/1000\/s .*<- knee; 2000\/s/);
    expect(text).toMatch(/knee 1000 ops\/s/);
    expect(formatCurve('SET', [point(1000, 9)], 5)).toMatch(/no rate kept p99 within 5 ms/);
  });
});
