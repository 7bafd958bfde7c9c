import { describe, expect, it } from 'vitest';
import { RateSchedule } from './rate-schedule.ts';

describe('RateSchedule', () => {
  it('spaces a constant rate evenly, whatever the op order asked', () => {
    const schedule = new RateSchedule([{ rateOpsPerSecond: 1_000, durationMs: 500 }]);
    expect(schedule.intendedOffsetNs(0)).toBe(0);
    expect(schedule.intendedOffsetNs(1)).toBe(1e6);
    expect(schedule.intendedOffsetNs(499)).toBe(499e6);
    expect(schedule.intendedOffsetNs(3)).toBe(3e6);
    expect(schedule.countBefore(500e6)).toBe(500);
    expect(schedule.countBefore(0.5e6)).toBe(1);
    expect(schedule.meanRateOpsPerSecond(500e6)).toBeCloseTo(1_000, 9);
  });

  it('switches rate at each stage boundary and holds the last stage', () => {
    const schedule = new RateSchedule([
      { rateOpsPerSecond: 10, durationMs: 1_000 },
      { rateOpsPerSecond: 100, durationMs: 1_000 },
    ]);
    expect(schedule.intendedOffsetNs(9)).toBe(900e6);
    expect(schedule.intendedOffsetNs(10)).toBe(1_000e6);
    expect(schedule.intendedOffsetNs(11)).toBe(1_010e6);
    expect(schedule.countBefore(1_000e6)).toBe(10);
    expect(schedule.countBefore(2_000e6)).toBe(110);
    // Past the stages, the last rate goes on.
    expect(schedule.intendedOffsetNs(110)).toBe(2_000e6);
    expect(schedule.countBefore(3_000e6)).toBe(210);
    expect(schedule.meanRateOpsPerSecond(2_000e6)).toBeCloseTo(55, 9);
  });

  it('rounds a stage with a fractional count up, so its last op still falls inside it', () => {
    const schedule = new RateSchedule([
      { rateOpsPerSecond: 3, durationMs: 1_000 },
      { rateOpsPerSecond: 1, durationMs: 1_000 },
    ]);
    expect(schedule.intendedOffsetNs(2)).toBeCloseTo(666.67e6, -4);
    expect(schedule.intendedOffsetNs(3)).toBe(1_000e6);
  });
});
