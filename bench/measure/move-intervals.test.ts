import { describe, expect, it } from 'vitest';
import { moveIntervals } from './move-intervals.ts';
import { RecorderSet } from './recorder-set.ts';

/** A set whose clock the test moves. */
function clocked(startMs: number): { set: RecorderSet; at: (ms: number) => void } {
  let now = startMs;
  return { set: new RecorderSet({ clock: () => now }), at: (ms) => (now = ms) };
}

describe('moveIntervals', () => {
  it('appends every interval of the scratch set, count for count, on its time grid, and keeps earlier metrics', () => {
    const target = clocked(1_000);
    target.set.metric('earlier').recordNs(5_000);
    target.at(1_500);
    target.set.cutAll();

    const scratch = clocked(2_000);
    const a = scratch.set.metric('a');
    const b = scratch.set.metric('a.uncorrected');
    for (let i = 0; i < 10; i++) a.recordNs(1_000 + i);
    b.recordNs(7);
    scratch.at(3_000);
    scratch.set.cutAll();
    for (let i = 0; i < 5; i++) a.recordNs(2_000_000 + i);
    a.recordNs(10 ** 16); // clamped: above one hour
    a.recordNs(-1); // invalid
    scratch.at(3_400); // the open, partial interval: moveIntervals closes it

    target.at(3_500);
    expect(moveIntervals(scratch.set, target.set)).toBe(17);
    const moved = target.set.metric('a');
    expect(moved.total().totalCount).toBe(16);
    expect(moved.clamped).toBe(1);
    expect(moved.invalid).toBe(1);
    // A metric new to the target starts with the scratch run, on the scratch intervals' own bounds.
    expect(moved.intervals().map((i) => [i.startTimeMs, i.endTimeMs, i.totalCount])).toEqual([
      [2_000, 3_000, 10],
      [3_000, 3_400, 6],
    ]);
    expect(target.set.metric('a.uncorrected').total().totalCount).toBe(1);
    expect(target.set.metric('earlier').total().totalCount).toBe(1);
    // An earlier metric: the gap before the scratch run is an empty interval, then the same cuts.
    expect(
      target.set
        .metric('earlier')
        .intervals()
        .map((i) => [i.startTimeMs, i.endTimeMs, i.totalCount]),
    ).toEqual([
      [1_000, 1_500, 1],
      [1_500, 2_000, 0],
      [2_000, 3_000, 0],
      [3_000, 3_400, 0],
    ]);
    expect(moved.openCount).toBe(0);
  });

  it('keeps trial boundaries of the target: a moved run between two marks is one trial', () => {
    const target = clocked(0);
    const move = (startMs: number, values: number[]): void => {
      const scratch = clocked(startMs);
      for (const v of values) scratch.set.metric('m').recordNs(v);
      scratch.at(startMs + 100);
      moveIntervals(scratch.set, target.set);
    };
    move(100, [1, 2, 3]);
    target.at(250);
    target.set.markTrial();
    move(300, [4, 5]);
    target.at(450);
    target.set.markTrial();
    expect(
      target.set
        .metric('m')
        .trialHistograms()
        .map((h) => h.totalCount),
    ).toEqual([3, 2]);
  });

  it('moves nothing from an empty set', () => {
    const target = clocked(0);
    expect(moveIntervals(new RecorderSet(), target.set)).toBe(0);
    expect(target.set.names()).toEqual([]);
  });
});
