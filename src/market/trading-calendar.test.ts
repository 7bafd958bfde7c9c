import { describe, expect, it } from 'vitest';
import { SignalInputError } from '../errors.ts';
import {
  assertIsoDate,
  epochDayToIso,
  isIsoDate,
  isoToEpochDay,
  isTradingDay,
  tradingDaysBetween,
  tradingDaysEndingAt,
} from './trading-calendar.ts';

function weekday(iso: string): number {
  return new Date(`${iso}T00:00:00Z`).getUTCDay();
}

describe('trading calendar', () => {
  it('validates ISO dates on the UTC calendar', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
    expect(isIsoDate('2025-01-01T00:00:00Z')).toBe(false);
    expect(isIsoDate('')).toBe(false);
    expect(() => assertIsoDate('2025-02-30', 'endDate')).toThrow(/endDate "2025-02-30"/);
    try {
      assertIsoDate('nope');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SignalInputError);
      expect((error as SignalInputError).code).toBe('invalid-date');
    }
  });

  it('converts epoch days both ways across centuries and leap years', () => {
    expect(isoToEpochDay('1970-01-01')).toBe(0);
    expect(epochDayToIso(0)).toBe('1970-01-01');
    expect(epochDayToIso(-1)).toBe('1969-12-31');
    expect(epochDayToIso(isoToEpochDay('0050-06-15'))).toBe('0050-06-15');
    for (let day = -30_000; day <= 60_000; day += 17) {
      const iso = epochDayToIso(day);
      expect(iso).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
      expect(isoToEpochDay(iso)).toBe(day);
    }
  });

  it('never includes weekends and excludes Jan 1, Jul 4 and Dec 25', () => {
    const days = tradingDaysBetween('2020-01-01', '2025-12-31');
    for (const day of days) {
      expect([0, 6]).not.toContain(weekday(day));
      expect(['01-01', '07-04', '12-25']).not.toContain(day.slice(5));
    }
    expect(new Set(days).size).toBe(days.length);
    expect([...days].sort()).toEqual(days);
    expect(isTradingDay('2024-07-04')).toBe(false); // Thursday holiday
    expect(isTradingDay('2024-07-05')).toBe(true);
    expect(isTradingDay('2024-07-06')).toBe(false); // Saturday
  });

  it('counts a known year: 2024 has 262 weekdays minus 3 weekday holidays', () => {
    expect(tradingDaysBetween('2024-01-01', '2024-12-31')).toHaveLength(259);
    // 2022: 260 weekdays; Jan 1 is a Saturday and Dec 25 a Sunday, so only Jul 4 is removed.
    expect(tradingDaysBetween('2022-01-01', '2022-12-31')).toHaveLength(259);
  });

  it('includes both ends and rejects an inverted range', () => {
    expect(tradingDaysBetween('2024-03-04', '2024-03-08')).toEqual([
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
      '2024-03-08',
    ]);
    expect(tradingDaysBetween('2024-03-09', '2024-03-10')).toEqual([]);
    expect(() => tradingDaysBetween('2024-03-10', '2024-03-09')).toThrow(SignalInputError);
  });

  it('returns the last N trading days ending at a date', () => {
    expect(tradingDaysEndingAt('2024-03-10', 3)).toEqual(['2024-03-06', '2024-03-07', '2024-03-08']);
    expect(tradingDaysEndingAt('2024-03-08', 1)).toEqual(['2024-03-08']);
    const long = tradingDaysEndingAt('2025-12-31', 600);
    expect(long).toHaveLength(600);
    expect(long.at(-1)).toBe('2025-12-31');
    expect(tradingDaysBetween(long[0], '2025-12-31')).toEqual(long);
    expect(() => tradingDaysEndingAt('2025-12-31', 0)).toThrow(RangeError);
  });
});
