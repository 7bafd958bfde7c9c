import { describe, expect, it } from 'vitest';
import { TimeBalancedSchedule } from './time-balanced-schedule.ts';

/** Runs a phase of `phaseNs` on a simulated clock, each visit of a cell costing costNs[cell]. */
function simulate(
  schedule: TimeBalancedSchedule,
  costNs: readonly number[],
  phaseNs: number,
  minVisits: number | readonly number[],
): { visits: readonly number[]; order: number[] } {
  schedule.startPhase(minVisits);
  const mins = typeof minVisits === 'number' ? costNs.map(() => minVisits) : minVisits;
  const order: number[] = [];
  let clock = 0;
  // The round runner's rule: go on until the time is up and the minimum (the sum over cells) is reached;
  // that every cell gets its own minimum is the schedule's doing.
  const total = mins.reduce((sum, v) => sum + v, 0);
  while (clock < phaseNs || order.length < total) {
    const cell = schedule.next(phaseNs - clock);
    order.push(cell);
    schedule.record(cell, costNs[cell]);
    clock += costNs[cell];
  }
  return { visits: schedule.visits(), order };
}

describe('TimeBalancedSchedule', () => {
  it('visits every cell once first, in cell order', () => {
    const { order } = simulate(new TimeBalancedSchedule(3), [1_000, 10, 10], 100, 1);
    expect(order.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('shares the time equally: a cell 100x cheaper is visited about 100x more often', () => {
    const { visits } = simulate(new TimeBalancedSchedule(2), [100, 10_000], 200_000, 1);
    expect(visits[1]).toBeGreaterThanOrEqual(10);
    expect(visits[1]).toBeLessThanOrEqual(11);
    expect(visits[0]).toBeGreaterThanOrEqual(990);
  });

  it('pays each cell its own minimum, even in a phase too short for the time share to give it', () => {
    // Cell 1 is owed 8 visits of a phase that an equal time share would give it 2 of.
    const schedule = new TimeBalancedSchedule(3);
    const { visits } = simulate(schedule, [10, 10, 40], 100, [1, 8, 1]);
    expect(visits[1]).toBeGreaterThanOrEqual(8);
    expect(visits[0]).toBeGreaterThanOrEqual(1);
    expect(visits[2]).toBe(1);
    expect(schedule.owing()).toBe(false);
    schedule.startPhase([0, 2, 0]);
    expect(schedule.owing()).toBe(true);
  });

  it('pays the visits owed to an expensive cell before the time runs out, not by starving the cheap ones', () => {
    // The expensive cell alone owes 3 x 40 of a 200 phase: the cheap cells get the rest, then the debt is paid.
    const { visits, order } = simulate(new TimeBalancedSchedule(3), [1, 2, 40], 200, 3);
    expect(visits[2]).toBe(3);
    expect(order.slice(-2)).toEqual([2, 2]);
    expect(visits[0]).toBeGreaterThan(20);
    expect(visits[1]).toBeGreaterThan(10);
    // The phase overran by less than one expensive visit.
    expect(visits[0] * 1 + visits[1] * 2 + visits[2] * 40).toBeLessThan(200 + 40);
  });

  it('gives every cell its minimum even when the minimum alone outlasts the phase', () => {
    const { visits } = simulate(new TimeBalancedSchedule(2), [50, 50], 10, 4);
    expect(visits).toEqual([4, 4]);
  });

  it('starts every phase afresh', () => {
    const schedule = new TimeBalancedSchedule(2);
    simulate(schedule, [5, 5], 50, 1);
    expect(schedule.visits()).toEqual([5, 5]);
    schedule.startPhase(3);
    expect(schedule.visits()).toEqual([0, 0]);
    expect(schedule.owedNs()).toBe(0);
    expect(schedule.next(1_000)).toBe(0);
  });

  it('rejects a bad cell count, minimum or cell index', () => {
    expect(() => new TimeBalancedSchedule(0)).toThrow(RangeError);
    const schedule = new TimeBalancedSchedule(2);
    expect(() => schedule.startPhase(-1)).toThrow(RangeError);
    expect(() => schedule.startPhase([1])).toThrow(RangeError);
    expect(() => schedule.record(2, 1)).toThrow(RangeError);
  });
});
