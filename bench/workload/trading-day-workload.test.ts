import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import {
  DEFAULT_TRADING_DAY,
  generateTradingDayTrace,
  scaledTtlMs,
  tradingDayDate,
  tradingDayProblems,
  workingSetKeys,
} from './trading-day-workload.ts';

const SMALL = { ...DEFAULT_TRADING_DAY, symbols: 100, lookbackDates: 10, sessionSeconds: 3_600 };

describe('trading-day workload', () => {
  it('is seeded per day: the same day gives the same trace, another day or seed another one', () => {
    const keys = (w: typeof SMALL, day: number) => Array.from(generateTradingDayTrace(w, day).keys.slice(0, 500));
    expect(keys(SMALL, 0)).toEqual(keys(SMALL, 0));
    expect(keys(SMALL, 1)).not.toEqual(keys(SMALL, 0));
    expect(keys({ ...SMALL, seed: 7 }, 0)).not.toEqual(keys(SMALL, 0));
  });

  it('rolls the dates over: day d+1 is the next trading day, and its "one day ago" is day d\'s "today"', () => {
    // 2025-01-17 is a Friday: the next trading day is Monday 2025-01-20.
    expect(tradingDayDate('2025-01-17', 0)).toBe('2025-01-17');
    expect(tradingDayDate('2025-01-17', 1)).toBe('2025-01-20');
    expect(tradingDayDate('2025-01-18', 0)).toBe('2025-01-20');
    const friday = generateTradingDayTrace({ ...SMALL, firstDate: '2025-01-17' }, 0);
    const monday = generateTradingDayTrace({ ...SMALL, firstDate: '2025-01-17' }, 1);
    const today = SMALL.lookbackDates - 1;
    expect(friday.date).toBe('2025-01-17');
    expect(monday.date).toBe('2025-01-20');
    expect(friday.keyName(today)).toBe('features:AAPL:2025-01-17');
    expect(monday.keyName(today)).toBe('features:AAPL:2025-01-20');
    expect(monday.keyName(today - 1)).toBe(friday.keyName(today));
  });

  it("skews requests to the first symbols and to the day's own date, k distinct symbols per request", () => {
    const trace = generateTradingDayTrace(SMALL, 0);
    const n = trace.keys.length;
    let firstSymbol = 0;
    let ownDate = 0;
    for (const key of trace.keys) {
      if (Math.floor(key / SMALL.lookbackDates) === 0) firstSymbol += 1;
      if (key % SMALL.lookbackDates === SMALL.lookbackDates - 1) ownDate += 1;
    }
    // At most one lookup per request can be symbol 0 (5 distinct symbols per request): ~1/5 of requests
    // ask for it under zipf 0.99 over 100 symbols, uniform draws would give 5 in 100 requests.
    expect(firstSymbol / (n / SMALL.symbolsPerRequest)).toBeGreaterThan(0.12);
    // Zipf 0.99 over 10 offsets puts ~34% on offset 0; uniform would give 10%.
    expect(ownDate / n).toBeGreaterThan(0.25);
    const k = SMALL.symbolsPerRequest;
    let badRequests = 0;
    for (let i = 0; i < n; i += k) {
      const distinct = new Set(trace.keys.slice(i, i + k)).size === k;
      if (!distinct || trace.timesMs[i + k - 1] !== trace.timesMs[i]) badRequests += 1;
    }
    expect(badRequests).toBe(0);
  });

  it('spreads the requests over the session at the request rate (Poisson arrivals, simulated ms)', () => {
    const trace = generateTradingDayTrace({ ...SMALL, signalRequestsPerSecond: 2 }, 0);
    const requests = trace.keys.length / SMALL.symbolsPerRequest;
    // 7,200 expected; a Poisson count's standard deviation is ~85.
    expect(requests).toBeGreaterThan(6_900);
    expect(requests).toBeLessThan(7_500);
    expect(trace.durationMs).toBe(3_600_000);
    expect(trace.timesMs[trace.timesMs.length - 1]).toBeLessThan(trace.durationMs);
    let outOfOrder = 0;
    for (let i = 1; i < trace.timesMs.length; i++) if (trace.timesMs[i] < trace.timesMs[i - 1]) outOfOrder += 1;
    expect(outOfOrder).toBe(0);
  });

  it('scales the TTL with the clock: 3600 s at 1000x is 3.6 s of real time for SET PX', () => {
    expect(scaledTtlMs(3_600, 1_000)).toBe(3_600);
    expect(scaledTtlMs(3_600, 12_000)).toBe(300);
    expect(scaledTtlMs(3_600, 1)).toBe(3_600_000);
    expect(scaledTtlMs(1, 1e9)).toBe(1);
  });

  it('counts the working set as the mean distinct keys per TTL window, whole windows only', () => {
    const trace = {
      keySpace: 4,
      keys: Int32Array.from([0, 0, 1, 2, 3, 3, 1]),
      timesMs: Float64Array.from([0, 500, 1_000, 1_500, 2_000, 2_500, 3_500]),
    };
    // From 1000 ms, windows of 1000 ms: [1000, 2000) has keys 1, 2; [2000, 3000) has 3; [3000, ..) is partial.
    expect(workingSetKeys(trace, 1_000, 1_000)).toBe(1.5);
    expect(workingSetKeys(trace, 10_000, 0)).toBe(4);
  });

  it('names every bad field at once', () => {
    const problems = tradingDayProblems({ ...SMALL, symbols: 0, dateTheta: 1, signalRequestsPerSecond: 0 });
    expect(problems).toHaveLength(4);
    expect(problems.join('; ')).toMatch(/symbolsPerRequest \(5\) must not exceed symbols \(0\)/);
    expect(() => generateTradingDayTrace(SMALL, -1)).toThrow(ConfigError);
  });
});
