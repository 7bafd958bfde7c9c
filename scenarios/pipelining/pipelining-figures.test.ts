import { describe, expect, it } from 'vitest';
import {
  addedRttValueName,
  batchMetricName,
  exampleFigures,
  roundSpeedups,
  rttLabel,
  speedupValueName,
  trialsByName,
} from './pipelining-figures.ts';

describe('pipelining names', () => {
  it('leaves the round trip out at 0 and adds it as a second selector otherwise', () => {
    expect(batchMetricName('sequential', 5, 0)).toBe('sequential[batch=5]');
    expect(batchMetricName('auto-pipeline', 500, 2)).toBe('auto-pipeline[batch=500,rtt=2ms]');
    expect(batchMetricName('mget', 50, 0.5)).toBe('mget[batch=50,rtt=0.5ms]');
    expect(speedupValueName(5, 0)).toBe('speedup[batch=5]');
    expect(speedupValueName(5, 2)).toBe('speedup[batch=5,rtt=2ms]');
    expect(addedRttValueName(1)).toBe('added-rtt[rtt=1ms]');
  });

  it('gives every mode, batch and round trip its own name', () => {
    const names = new Set<string>();
    for (const mode of ['sequential', 'pipeline', 'mget', 'auto-pipeline'] as const) {
      for (const batch of [1, 5, 50]) for (const rtt of [0, 0.5, 2]) names.add(batchMetricName(mode, batch, rtt));
    }
    expect(names.size).toBe(4 * 3 * 3);
  });

  it('rejects a batch size or round trip that cannot be', () => {
    expect(() => batchMetricName('pipeline', 0, 0)).toThrow(RangeError);
    expect(() => speedupValueName(2.5, 0)).toThrow(RangeError);
    expect(() => rttLabel(-1)).toThrow(RangeError);
    expect(() => rttLabel(Number.NaN)).toThrow(RangeError);
    expect(() => addedRttValueName(0)).toThrow(RangeError);
  });
});

describe('roundSpeedups', () => {
  const grid = { batchSizes: [1, 5], addedRttsMs: [0, 2] };

  it('divides the sequential p50 by the pipeline p50 for every batch size and round trip', () => {
    const p50 = new Map<string, number>([
      ['sequential[batch=1]', 100_000],
      ['pipeline[batch=1]', 100_000],
      ['sequential[batch=5]', 400_000],
      ['pipeline[batch=5]', 125_000],
      ['sequential[batch=1,rtt=2ms]', 2_200_000],
      ['pipeline[batch=1,rtt=2ms]', 2_000_000],
      ['sequential[batch=5,rtt=2ms]', 10_500_000],
      ['pipeline[batch=5,rtt=2ms]', 2_100_000],
    ]);
    const speedups = roundSpeedups((m) => p50.get(m), grid);
    expect(speedups).toEqual({
      'speedup[batch=1]': 1,
      'speedup[batch=5]': 3.2,
      'speedup[batch=1,rtt=2ms]': 1.1,
      'speedup[batch=5,rtt=2ms]': 5,
    });
  });

  it('gives NaN, not a ratio, when a p50 is missing or zero', () => {
    const speedups = roundSpeedups(
      (m) => (m === 'sequential[batch=1]' ? 1_000 : m === 'pipeline[batch=5]' ? 0 : undefined),
      grid,
    );
    expect(Object.keys(speedups)).toHaveLength(4);
    for (const value of Object.values(speedups)) expect(value).toBeNaN();
  });
});

describe('exampleFigures', () => {
  it("gives one round's sequential and pipeline p50 in ms and their ratio, for the cell asked", () => {
    const p50 = new Map<string, number>([
      ['sequential[batch=5]', 400_000],
      ['pipeline[batch=5]', 125_000],
      ['sequential[batch=5,rtt=1ms]', 6_300_000],
      ['pipeline[batch=5,rtt=1ms]', 1_400_000],
    ]);
    const figures = exampleFigures((m) => p50.get(m), 5, 1);
    expect(figures.sequentialMs).toBeCloseTo(6.3, 9);
    expect(figures.pipelineMs).toBeCloseTo(1.4, 9);
    expect(figures.speedup).toBeCloseTo(4.5, 9);
    expect(exampleFigures((m) => p50.get(m), 5, 0)).toEqual({ speedup: 3.2, sequentialMs: 0.4, pipelineMs: 0.125 });
  });

  it('gives NaN for a missing or zero p50, and keeps the other figure', () => {
    const figures = exampleFigures((m) => (m === 'sequential[batch=5,rtt=1ms]' ? 5_000_000 : 0), 5, 1);
    expect(figures.sequentialMs).toBe(5);
    expect(figures.pipelineMs).toBeNaN();
    expect(figures.speedup).toBeNaN();
    const none = exampleFigures(() => undefined, 5, 1);
    expect([none.speedup, none.sequentialMs, none.pipelineMs].every(Number.isNaN)).toBe(true);
  });
});

describe('trialsByName', () => {
  it("lists each name's figure per round, keeping round order and gaps", () => {
    expect(trialsByName([{ a: 1, b: 2 }, { a: 3 }, { a: 5, b: 6 }])).toEqual({ a: [1, 3, 5], b: [2, Number.NaN, 6] });
    expect(trialsByName([])).toEqual({});
  });
});
