import { describe, expect, it } from 'vitest';
import { SignalInputError } from '../errors.ts';
import { OHLCV_COLUMNS } from './ohlcv-series.ts';
import { defaultSymbols, generateOhlcv } from './synthetic-ohlcv.ts';
import { tradingDaysBetween } from './trading-calendar.ts';

const DATES = tradingDaysBetween('2023-01-01', '2025-12-31');

describe('generateOhlcv', () => {
  it('is bit-identical for the same symbol, dates and seed', () => {
    const a = generateOhlcv({ symbol: 'AAPL', dates: DATES, seed: 42 });
    const b = generateOhlcv({ symbol: 'AAPL', dates: DATES, seed: 42 });
    expect(b.dates).toEqual(a.dates);
    for (const column of OHLCV_COLUMNS) {
      expect(Buffer.from(b[column].buffer).equals(Buffer.from(a[column].buffer)), column).toBe(true);
    }
  });

  it('differs for another seed or another symbol', () => {
    const base = generateOhlcv({ symbol: 'AAPL', dates: DATES, seed: 42 });
    expect(generateOhlcv({ symbol: 'AAPL', dates: DATES, seed: 43 }).close).not.toEqual(base.close);
    expect(generateOhlcv({ symbol: 'MSFT', dates: DATES, seed: 42 }).close).not.toEqual(base.close);
  });

  it('keeps OHLC invariants on thousands of rows', () => {
    let rows = 0;
    const violations: string[] = [];
    for (const symbol of defaultSymbols(40)) {
      const s = generateOhlcv({ symbol, dates: DATES, seed: 7 });
      expect(s.symbol).toBe(symbol);
      for (const column of OHLCV_COLUMNS) expect(s[column]).toHaveLength(DATES.length);
      for (let i = 0; i < DATES.length; i++, rows++) {
        const [o, h, l, c, v, w] = [s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], s.vwap[i]];
        if (!(h >= Math.max(o, c))) violations.push(`${symbol}[${i}] high ${h} < max(open, close)`);
        if (!(l <= Math.min(o, c))) violations.push(`${symbol}[${i}] low ${l} > min(open, close)`);
        if (!(l > 0)) violations.push(`${symbol}[${i}] low ${l} <= 0`);
        if (!(w >= l && w <= h)) violations.push(`${symbol}[${i}] vwap ${w} outside [${l}, ${h}]`);
        if (!(v > 0 && Number.isFinite(v))) violations.push(`${symbol}[${i}] volume ${v}`);
      }
    }
    expect(rows).toBeGreaterThan(30_000);
    expect(violations).toEqual([]);
  });

  it('opens near the previous close and moves with realistic daily volatility', () => {
    const s = generateOhlcv({ symbol: 'NVDA', dates: DATES, seed: 1 });
    let sumSquares = 0;
    for (let i = 1; i < s.close.length; i++) {
      expect(Math.abs(Math.log(s.open[i] / s.close[i - 1]))).toBeLessThan(0.1);
      sumSquares += Math.log(s.close[i] / s.close[i - 1]) ** 2;
    }
    const annualVolatility = Math.sqrt((sumSquares / (s.close.length - 1)) * 252);
    expect(annualVolatility).toBeGreaterThan(0.1);
    expect(annualVolatility).toBeLessThan(0.9);
  });

  it('rejects an invalid symbol and non-increasing or invalid dates', () => {
    expect(() => generateOhlcv({ symbol: 'aapl', dates: DATES, seed: 1 })).toThrow(SignalInputError);
    expect(() => generateOhlcv({ symbol: 'AAPL', dates: ['2024-01-03', '2024-01-02'], seed: 1 })).toThrow(
      /strictly increasing/,
    );
    expect(() => generateOhlcv({ symbol: 'AAPL', dates: ['2024-02-30'], seed: 1 })).toThrow(/dates\[0\]/);
  });
});
