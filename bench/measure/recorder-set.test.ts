import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecorderSet } from './recorder-set.ts';

const T0 = 1_700_000_000_000;

function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = T0;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

describe('RecorderSet', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('creates a recorder on first use and returns the same one after', () => {
    const set = new RecorderSet({ clock: fakeClock().now });
    const get = set.metric('get');
    expect(set.metric('get')).toBe(get);
    set.metric('set', { displayUnit: 'us' });
    expect(set.names()).toEqual(['get', 'set']);
    expect(() => set.metric('set', { displayUnit: 'ms' })).toThrow(/display unit/);
  });

  it('cutAll and resetAll act on every recorder; resetAll moves the start time', () => {
    const clock = fakeClock();
    const set = new RecorderSet({ clock: clock.now });
    expect(set.startTimeMs).toBe(T0);
    set.metric('a').recordNs(1);
    set.metric('b').recordNs(2);
    clock.advance(1_000);
    set.cutAll();
    expect(set.metric('a').intervals()).toHaveLength(1);
    expect(set.metric('b').intervals()[0].endTimeMs).toBe(T0 + 1_000);
    set.resetAll(T0 + 1_200);
    expect(set.startTimeMs).toBe(T0 + 1_200);
    expect(set.metric('a').intervals()).toHaveLength(0);
    expect(set.metric('b').total().totalCount).toBe(0);
  });

  it('the ticker cuts one interval per tick and stopTicking clears the timer', () => {
    vi.useFakeTimers();
    const clock = fakeClock();
    const set = new RecorderSet({ clock: clock.now });
    const metric = set.metric('get');
    set.startTicking(1_000);
    expect(set.ticking).toBe(true);
    expect(vi.getTimerCount()).toBe(1);
    for (let second = 0; second < 3; second++) {
      metric.recordNs(1_000 * (second + 1));
      clock.advance(1_000);
      vi.advanceTimersByTime(1_000);
    }
    expect(metric.intervals().map((interval) => [interval.endTimeMs - T0, interval.totalCount])).toEqual([
      [1_000, 1],
      [2_000, 1],
      [3_000, 1],
    ]);
    set.stopTicking();
    set.stopTicking();
    expect(set.ticking).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    expect(metric.intervals()).toHaveLength(3);
  });

  it('starting again replaces the running timer instead of adding one', () => {
    vi.useFakeTimers();
    const set = new RecorderSet({ clock: fakeClock().now });
    set.startTicking(1_000);
    set.startTicking(500);
    expect(vi.getTimerCount()).toBe(1);
    set.stopTicking();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a tick interval that is not a positive number', () => {
    const set = new RecorderSet({ clock: fakeClock().now });
    expect(() => set.startTicking(0)).toThrow(/positive/);
    expect(() => set.startTicking(Number.NaN)).toThrow(/positive/);
    expect(set.ticking).toBe(false);
  });

  it('the real timer is unref-ed', () => {
    const set = new RecorderSet();
    try {
      set.startTicking(60_000);
      const timer = (set as unknown as { ticker: NodeJS.Timeout }).ticker;
      expect(timer.hasRef()).toBe(false);
    } finally {
      set.stopTicking();
    }
  });
});

describe('RecorderSet trials', () => {
  it('splits each metric into one histogram per trial, across interval cuts', () => {
    let now = 1_000;
    const set = new RecorderSet({ clock: () => now });
    const a = set.metric('a');
    a.recordNs(10);
    now = 2_000;
    set.cutAll(); // an interval boundary inside trial 1
    a.recordNs(20);
    set.markTrial();
    a.recordNs(1_000);
    a.recordNs(2_000);
    now = 3_000;
    set.markTrial();
    const trials = a.trialHistograms();
    expect(trials.map((h) => h.totalCount)).toEqual([2, 2]);
    expect(trials[0].maxValue).toBeLessThan(100);
    expect(trials[1].minNonZeroValue).toBeGreaterThanOrEqual(999);
  });

  it('drops trials with the warm-up on resetAll', () => {
    const set = new RecorderSet();
    set.metric('a').recordNs(5);
    set.markTrial();
    set.resetAll();
    expect(set.metric('a').trialHistograms()).toEqual([]);
  });
});

describe('RecorderSet.cutIfDue', () => {
  it('cuts only once the interval has passed since the last cut', () => {
    let now = 10_000;
    const set = new RecorderSet({ clock: () => now });
    set.metric('a').recordNs(1);
    now = 10_400;
    expect(set.cutIfDue(1_000)).toBe(false);
    now = 11_000;
    expect(set.cutIfDue(1_000)).toBe(true);
    expect(set.metric('a').intervals()).toHaveLength(1);
    now = 11_500;
    expect(set.cutIfDue(1_000)).toBe(false);
  });
});

describe('RecorderSet trial alignment', () => {
  it('gives a metric first recorded in a later trial empty histograms for the earlier trials', () => {
    const set = new RecorderSet();
    set.metric('early').recordNs(1);
    set.markTrial();
    set.metric('late').recordNs(2);
    set.markTrial();
    expect(
      set
        .metric('early')
        .trialHistograms()
        .map((h) => h.totalCount),
    ).toEqual([1, 0]);
    expect(
      set
        .metric('late')
        .trialHistograms()
        .map((h) => h.totalCount),
    ).toEqual([0, 1]);
  });
});
