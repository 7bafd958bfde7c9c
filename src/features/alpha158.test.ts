import { describe, expect, it } from 'vitest';
import { SignalInputError } from '../errors.ts';
import type { OhlcvSeries } from '../market/ohlcv-series.ts';
import { ALPHA158_MIN_ROWS, ALPHA158_NAMES, ALPHA158_WINDOWS } from './alpha158-names.ts';
import { referenceAlpha158 } from './alpha158.reference.ts';
import { computeAlpha158, computeAlpha158AtIndex, resolveAsOfIndex } from './alpha158.ts';

/** mulberry32: a tiny seeded PRNG (Tommy Ettinger's public-domain generator). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** n weekdays from Monday 2024-01-01. */
function weekdays(n: number): string[] {
  const dates: string[] = [];
  for (let ms = Date.UTC(2024, 0, 1); dates.length < n; ms += 86_400_000) {
    const day = new Date(ms).getUTCDay();
    if (day !== 0 && day !== 6) dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates;
}

interface Bar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap?: number;
}

function seriesOf(bars: Bar[], symbol = 'TEST'): OhlcvSeries {
  const column = (pick: (b: Bar) => number): Float64Array => Float64Array.from(bars.map(pick));
  return {
    symbol,
    dates: weekdays(bars.length),
    open: column((b) => b.open),
    high: column((b) => b.high),
    low: column((b) => b.low),
    close: column((b) => b.close),
    volume: column((b) => b.volume),
    vwap: column((b) => b.vwap ?? (b.high + b.low + b.close) / 3),
  };
}

function randomWalk(n: number, seed: number): OhlcvSeries {
  const rand = mulberry32(seed);
  const bars: Bar[] = [];
  let close = 100;
  for (let i = 0; i < n; i++) {
    const open = close * (1 + (rand() - 0.5) * 0.01);
    close = open * Math.exp((rand() - 0.5) * 0.04);
    const high = Math.max(open, close) * (1 + rand() * 0.01);
    const low = Math.min(open, close) * (1 - rand() * 0.01);
    bars.push({ open, high, low, close, volume: Math.round(1e6 * Math.exp(rand() - 0.5)) });
  }
  return seriesOf(bars, 'WALK');
}

function constantSeries(n: number): OhlcvSeries {
  return seriesOf(
    Array.from({ length: n }, () => ({ open: 10, high: 10, low: 10, close: 10, volume: 1e6 })),
    'FLAT',
  );
}

function lineSeries(n: number, seed: number): OhlcvSeries {
  const rand = mulberry32(seed);
  return seriesOf(
    Array.from({ length: n }, (_, i) => {
      const close = 10 + 0.5 * i;
      return { open: close - 0.2, high: close + 0.3, low: close - 0.5, close, volume: 1e6 + Math.round(rand() * 1e5) };
    }),
    'LINE',
  );
}

/** Closes, highs, lows and volumes drawn from tiny sets, so windows are full of ties. */
function tiesSeries(n: number, seed: number): OhlcvSeries {
  const rand = mulberry32(seed);
  const pick = <T>(values: T[]): T => values[Math.floor(rand() * values.length)];
  return seriesOf(
    Array.from({ length: n }, () => {
      const close = pick([10, 11, 12]);
      return { open: pick([10, 11, 12]), high: 13, low: pick([8, 9]), close, volume: pick([1e6, 2e6]) };
    }),
    'TIES',
  );
}

function sameValue(fast: number, ref: number): boolean {
  if (Number.isNaN(fast) || Number.isNaN(ref)) return Number.isNaN(fast) && Number.isNaN(ref);
  return Math.abs(fast - ref) <= 1e-9 * Math.max(Math.abs(fast), Math.abs(ref)) + 1e-12;
}

function mismatches(series: OhlcvSeries, index: number): string[] {
  const fast = computeAlpha158AtIndex(series, index);
  const ref = referenceAlpha158(series, index);
  expect(fast).toHaveLength(158);
  return ALPHA158_NAMES.flatMap((name, k) =>
    sameValue(fast[k], ref[k]) ? [] : [`${series.symbol}@${index} ${name}: fast ${fast[k]} ref ${ref[k]}`],
  );
}

function feature(values: Float64Array, name: string): number {
  const k = ALPHA158_NAMES.indexOf(name);
  if (k < 0) throw new Error(`no feature ${name}`);
  return values[k];
}

function expectInputError(fn: () => unknown, code: SignalInputError['code'], ...fragments: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SignalInputError);
  const error = caught as SignalInputError;
  expect(error.code).toBe(code);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

describe('ALPHA158_NAMES', () => {
  it('holds 158 unique names in the spec order', () => {
    expect(ALPHA158_NAMES).toHaveLength(158);
    expect(new Set(ALPHA158_NAMES).size).toBe(158);
    expect(ALPHA158_NAMES.slice(0, 15)).toEqual([
      'KMID',
      'KLEN',
      'KMID2',
      'KUP',
      'KUP2',
      'KLOW',
      'KLOW2',
      'KSFT',
      'KSFT2',
      'OPEN0',
      'HIGH0',
      'LOW0',
      'VWAP0',
      'ROC5',
      'ROC10',
    ]);
    expect(ALPHA158_NAMES.slice(17, 19)).toEqual(['ROC60', 'MA5']);
    expect(ALPHA158_NAMES.slice(-6)).toEqual(['VSUMN60', 'VSUMD5', 'VSUMD10', 'VSUMD20', 'VSUMD30', 'VSUMD60']);
    expect(ALPHA158_WINDOWS).toEqual([5, 10, 20, 30, 60]);
    expect(ALPHA158_MIN_ROWS).toBe(61);
  });
});

describe('computeAlpha158AtIndex against the slow reference', () => {
  const cases: Array<[string, OhlcvSeries]> = [
    ['random walk', randomWalk(160, 1)],
    ['second random walk', randomWalk(90, 42)],
    ['constant', constantSeries(100)],
    ['straight line', lineSeries(100, 7)],
    ['ties', tiesSeries(120, 3)],
  ];
  for (const [label, series] of cases) {
    it(`matches every feature on the ${label} series at the first, a middle and the last index`, () => {
      const last = series.dates.length - 1;
      for (const index of [60, 61, Math.floor((60 + last) / 2), last]) expect(mismatches(series, index)).toEqual([]);
    });
  }

  it('gives the degenerate values of a constant series', () => {
    const values = computeAlpha158AtIndex(constantSeries(70), 69);
    for (const d of ALPHA158_WINDOWS) {
      expect(feature(values, `STD${d}`)).toBe(0);
      expect(feature(values, `VSTD${d}`)).toBe(0);
      expect(feature(values, `BETA${d}`)).toBe(0);
      expect(feature(values, `RESI${d}`)).toBe(0);
      expect(feature(values, `RSQR${d}`)).toBeNaN();
      expect(feature(values, `CORR${d}`)).toBeNaN();
      expect(feature(values, `CORD${d}`)).toBeNaN();
      expect(feature(values, `RANK${d}`)).toBeCloseTo((d + 1) / 2 / d, 15);
      expect(feature(values, `IMAX${d}`)).toBe(1 / d); // ties pick the oldest row
      expect(feature(values, `SUMP${d}`)).toBe(0);
      expect(feature(values, `MA${d}`)).toBe(1);
    }
  });

  it('gives RSQR = 1 and RESI = 0 on a straight line', () => {
    const series = lineSeries(80, 9);
    const values = computeAlpha158AtIndex(series, 79);
    for (const d of ALPHA158_WINDOWS) {
      expect(Math.abs(feature(values, `RSQR${d}`) - 1)).toBeLessThan(1e-9);
      expect(Math.abs(feature(values, `RESI${d}`))).toBeLessThan(1e-9);
      expect(feature(values, `BETA${d}`)).toBeCloseTo(0.5 / series.close[79], 12);
      expect(feature(values, `RANK${d}`)).toBe(1);
      expect(feature(values, `CNTP${d}`)).toBe(1);
    }
  });
});

describe('hand-checked values', () => {
  // 56 flat rows at 10, then closes 12, 11, 15, 13, 14; highs close+1, lows close-1; last open 12.5.
  const closes = [...Array.from({ length: 56 }, () => 10), 12, 11, 15, 13, 14];
  const series = seriesOf(
    closes.map((close, i) => ({ open: i === 60 ? 12.5 : close, high: close + 1, low: close - 1, close, volume: 1e6 })),
  );
  const values = computeAlpha158(series, series.dates[60]);

  it('computes the K-bar and the 5-day window features', () => {
    expect(feature(values, 'KMID')).toBeCloseTo(0.12, 15); // (14 - 12.5) / 12.5
    expect(feature(values, 'ROC5')).toBeCloseTo(10 / 14, 15);
    expect(feature(values, 'MA5')).toBeCloseTo(13 / 14, 15); // mean(12, 11, 15, 13, 14) = 13
    expect(feature(values, 'RANK5')).toBeCloseTo(4 / 5, 15); // 14 is 4th of 11, 12, 13, 14, 15
    expect(feature(values, 'QTLU5')).toBeCloseTo(14.2 / 14, 15); // h = 3.2 -> 14 + 0.2 * (15 - 14)
    expect(feature(values, 'QTLD5')).toBeCloseTo(11.8 / 14, 15); // h = 0.8 -> 11 + 0.8 * (12 - 11)
    expect(feature(values, 'IMAX5')).toBeCloseTo(3 / 5, 15); // high 16 on the 3rd of 5 rows
    expect(feature(values, 'IMIN5')).toBeCloseTo(2 / 5, 15); // low 10 on the 2nd
    expect(feature(values, 'CNTP5')).toBeCloseTo(3 / 5, 15); // up on 12, 15, 14
  });

  it('averages tied ranks', () => {
    // Last 5 closes 10, 12, 12, 11, 12: 12 holds sorted positions 3, 4, 5 -> rank 4 -> 0.8.
    const tied = [...Array.from({ length: 56 }, () => 20), 10, 12, 12, 11, 12];
    const s = seriesOf(tied.map((close) => ({ open: close, high: close + 1, low: close - 1, close, volume: 1e6 })));
    expect(feature(computeAlpha158AtIndex(s, 60), 'RANK5')).toBeCloseTo(0.8, 15);
  });
});

describe('resolveAsOfIndex and errors', () => {
  const series = randomWalk(100, 5); // weekdays 2024-01-01 .. 2024-05-17

  it('resolves a trading day to its row and a weekend to the previous trading day', () => {
    expect(series.dates[65]).toBe('2024-04-01');
    expect(resolveAsOfIndex(series, '2024-04-01')).toBe(65);
    expect(series.dates[64]).toBe('2024-03-29'); // a Friday
    expect(resolveAsOfIndex(series, '2024-03-30')).toBe(64);
    expect(resolveAsOfIndex(series, '2024-03-31')).toBe(64);
    expect(computeAlpha158(series, '2024-03-31')).toEqual(computeAlpha158AtIndex(series, 64));
    expect(resolveAsOfIndex(series, series.dates[99])).toBe(99);
  });

  it('rejects malformed and impossible dates', () => {
    for (const bad of [
      '',
      'abc',
      '2024-4-1',
      '2024/04/01',
      '2024-04-01T00:00:00Z',
      '2025-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-04-31',
    ]) {
      expectInputError(() => computeAlpha158(series, bad), 'invalid-date');
    }
    expect(() => resolveAsOfIndex(series, '2024-02-29')).toThrow(/insufficient|history/); // a real leap day, too early
  });

  it('rejects dates outside the data, naming the symbol and the data range', () => {
    expectInputError(
      () => computeAlpha158(series, '2023-12-31'),
      'date-out-of-range',
      'WALK',
      '2023-12-31',
      '2024-01-01',
      '2024-05-17',
    );
    expectInputError(
      () => computeAlpha158(series, '2024-05-18'),
      'date-out-of-range',
      'WALK',
      '2024-05-18',
      '2024-01-01',
      '2024-05-17',
    );
  });

  it('needs 61 rows ending at the date', () => {
    const sixty = randomWalk(60, 8);
    expectInputError(
      () => computeAlpha158(sixty, sixty.dates[59]),
      'insufficient-history',
      sixty.symbol,
      sixty.dates[59],
      '60',
      '61',
    );
    expectInputError(() => computeAlpha158AtIndex(sixty, 59), 'insufficient-history', '60', '61');
    const sixtyOne = randomWalk(61, 8);
    const values = computeAlpha158(sixtyOne, sixtyOne.dates[60]);
    expect(values).toHaveLength(158);
    expectInputError(() => computeAlpha158(sixtyOne, sixtyOne.dates[59]), 'insufficient-history', '60');
    expectInputError(() => resolveAsOfIndex(constantSeries(0), '2024-01-01'), 'insufficient-history', '0');
  });

  it('rejects a row index outside the series', () => {
    expect(() => computeAlpha158AtIndex(series, 100)).toThrow(RangeError);
    expect(() => computeAlpha158AtIndex(series, 70.5)).toThrow(RangeError);
  });
});
