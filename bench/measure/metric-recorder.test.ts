import { describe, expect, it } from 'vitest';
import { HIGHEST_TRACKABLE_VALUE_NS } from './histogram-bounds.ts';
import { MetricRecorder } from './metric-recorder.ts';

const T0 = 1_700_000_000_000;

describe('MetricRecorder', () => {
  it('puts values in the interval that was open when they were recorded', () => {
    const recorder = new MetricRecorder('get', T0);
    recorder.recordNs(1_000);
    recorder.recordNs(2_000);
    recorder.cutInterval(T0 + 1_000);
    recorder.recordNs(5_000_000);
    recorder.cutInterval(T0 + 2_000);
    recorder.cutInterval(T0 + 3_000);

    const [first, second, third] = recorder.intervals();
    expect(recorder.intervals()).toHaveLength(3);
    expect([first.startTimeMs, first.endTimeMs, first.totalCount]).toEqual([T0, T0 + 1_000, 2]);
    expect(first.histogram.getValueAtPercentile(100)).toBe(2_000);
    expect([second.startTimeMs, second.endTimeMs, second.totalCount]).toEqual([T0 + 1_000, T0 + 2_000, 1]);
    expect(second.histogram.getValueAtPercentile(0)).toBeGreaterThanOrEqual(4_995_000);
    expect(third.totalCount).toBe(0);
    expect(third.histogram.totalCount).toBe(0);
  });

  it('total() counts closed intervals plus the open one, and does not change the recorder', () => {
    const recorder = new MetricRecorder('get', T0);
    for (let i = 0; i < 10; i++) recorder.recordNs(1_000 + i);
    recorder.cutInterval(T0 + 1_000);
    for (let i = 0; i < 5; i++) recorder.recordNs(9_000_000);
    expect(recorder.total().totalCount).toBe(15);
    expect(recorder.total().totalCount).toBe(15);
    expect(recorder.openCount).toBe(5);
    recorder.cutInterval(T0 + 2_000);
    const intervalSum = recorder.intervals().reduce((sum, interval) => sum + interval.totalCount, 0);
    expect(intervalSum).toBe(15);
    expect(recorder.total().totalCount).toBe(15);
    expect(recorder.total().getValueAtPercentile(100)).toBe(
      recorder.intervals()[1].histogram.getValueAtPercentile(100),
    );
  });

  it('each histogram access is a fresh copy, so a caller cannot corrupt the record', () => {
    const recorder = new MetricRecorder('get', T0);
    recorder.recordNs(1_000);
    const interval = recorder.cutInterval(T0 + 1_000);
    interval.histogram.recordValue(7);
    recorder.total().recordValue(7);
    expect(interval.histogram.totalCount).toBe(1);
    expect(recorder.total().totalCount).toBe(1);
  });

  it('reset drops the warm-up, counters included, and opens an interval at the reset time', () => {
    const recorder = new MetricRecorder('get', T0);
    recorder.recordNs(50_000_000);
    recorder.recordNs(-1);
    recorder.cutInterval(T0 + 1_000);
    recorder.recordNs(40_000_000);
    recorder.reset(T0 + 1_500);
    expect(recorder.intervals()).toHaveLength(0);
    expect(recorder.total().totalCount).toBe(0);
    expect(recorder.invalid).toBe(0);
    recorder.recordNs(1_000);
    const interval = recorder.cutInterval(T0 + 2_500);
    expect([interval.startTimeMs, interval.endTimeMs, interval.totalCount]).toEqual([T0 + 1_500, T0 + 2_500, 1]);
    expect(recorder.total().getValueAtPercentile(100)).toBe(1_000);
  });

  it('clamps values above one hour to the maximum and counts them', () => {
    const recorder = new MetricRecorder('get', T0);
    recorder.recordNs(HIGHEST_TRACKABLE_VALUE_NS);
    recorder.recordNs(HIGHEST_TRACKABLE_VALUE_NS + 1);
    recorder.recordNs(1e15);
    expect(recorder.clamped).toBe(2);
    expect(recorder.invalid).toBe(0);
    const total = recorder.total();
    expect(total.totalCount).toBe(3);
    expect(total.getValueAtPercentile(0)).toBeGreaterThanOrEqual(HIGHEST_TRACKABLE_VALUE_NS * 0.999);
  });

  it('counts negative, NaN and infinite values as invalid and does not record them', () => {
    const recorder = new MetricRecorder('get', T0);
    for (const bad of [-1, -0.5, Number.NaN, Infinity, -Infinity]) recorder.recordNs(bad);
    recorder.recordNs(0);
    expect(recorder.invalid).toBe(5);
    expect(recorder.clamped).toBe(0);
    expect(recorder.total().totalCount).toBe(1);
  });

  it('never closes an interval before it opened', () => {
    const recorder = new MetricRecorder('get', T0);
    const interval = recorder.cutInterval(T0 - 5);
    expect([interval.startTimeMs, interval.endTimeMs]).toEqual([T0, T0]);
  });

  it('keeps the display unit, defaulting to ms', () => {
    expect(new MetricRecorder('a', T0).options.displayUnit).toBe('ms');
    expect(new MetricRecorder('b', T0, { displayUnit: 'us' }).options.displayUnit).toBe('us');
  });
});
