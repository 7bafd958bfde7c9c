import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { DEFAULT_SIGNAL_WORKLOAD, generateSignalTrace, hottestShares, workloadProblems } from './signal-workload.ts';

describe('signal workload', () => {
  it('is seeded: the same workload gives the same trace, another seed another one', () => {
    const w = { ...DEFAULT_SIGNAL_WORKLOAD, accesses: 5_000 };
    expect(Array.from(generateSignalTrace(w).keys)).toEqual(Array.from(generateSignalTrace(w).keys));
    expect(Array.from(generateSignalTrace({ ...w, seed: 43 }).keys)).not.toEqual(
      Array.from(generateSignalTrace(w).keys),
    );
  });

  it('skews requests to the first symbols and the latest dates, at the request rate', () => {
    const w = { ...DEFAULT_SIGNAL_WORKLOAD, symbols: 100, dates: 10, accesses: 20_000, requestsPerSecond: 500 };
    const trace = generateSignalTrace(w);
    let firstSymbol = 0;
    let latestDate = 0;
    for (const key of trace.keys) {
      if (Math.floor(key / w.dates) === 0) firstSymbol += 1;
      if (key % w.dates === w.dates - 1) latestDate += 1;
    }
    // Zipf 0.99 over 100 symbols gives the first ~19%; uniform would give 1%.
    expect(firstSymbol / w.accesses).toBeGreaterThan(0.12);
    expect(latestDate / w.accesses).toBeGreaterThan(0.25);
    expect(trace.timesMs[500]).toBeCloseTo(1_000, 9);
    expect(trace.durationMs).toBeCloseTo(40_000, 9);
    expect(trace.keyName(w.dates - 1)).toBe('features:AAPL:2025-01-17');
    expect(hottestShares(w).symbol).toBeCloseTo(firstSymbol / w.accesses, 1);
  });

  it('names every bad field at once', () => {
    const problems = workloadProblems({ ...DEFAULT_SIGNAL_WORKLOAD, symbols: 0, dateTheta: 1, requestsPerSecond: -1 });
    expect(problems).toHaveLength(3);
    expect(() => generateSignalTrace({ ...DEFAULT_SIGNAL_WORKLOAD, dates: 0 })).toThrow(ConfigError);
  });
});
