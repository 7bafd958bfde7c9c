import { describe, expect, it } from 'vitest';
import { OHLCV_COLUMNS } from '../../src/market/ohlcv-series.ts';
import { dataFrameOfSize, MINUTES_PER_SESSION, minuteIndex, rounded, toJsonBuffer } from './data-frame-json.ts';
import { percentOfDocumentMaxmemory } from './large-objects-summary.ts';

describe('the DataFrame JSON', () => {
  it('indexes one-minute bars, 390 a session, ending at the last session of the date', () => {
    const index = minuteIndex(MINUTES_PER_SESSION + 2, '2025-01-17');
    expect(index).toHaveLength(392);
    const last = new Date(index[index.length - 1]);
    expect(last.toISOString()).toBe('2025-01-17T20:59:00.000Z');
    expect(new Date(index[2]).toISOString()).toBe('2025-01-17T14:30:00.000Z');
    // The two before it are the previous session's (Thursday) last minutes.
    expect(new Date(index[0]).toISOString()).toBe('2025-01-16T20:58:00.000Z');
  });

  it("rounds values to pandas' 10 decimal places", () => {
    expect(rounded(1.234567890123)).toBe(1.2345678901);
    expect(rounded(100)).toBe(100);
  });

  it("reaches the target size to the row, in pandas' columns orient", () => {
    for (const target of [50_000, 200_000]) {
      const { frame, rows } = dataFrameOfSize('AAPL', target, '2025-01-17', 7);
      const bytes = toJsonBuffer(frame).length;
      expect(bytes).toBeGreaterThanOrEqual(target);
      // One row fewer would fall short: a row is at most 6 x (13-digit key + 4 + ~20 digits) bytes.
      expect(bytes - target).toBeLessThan(6 * 40);
      const parsed = JSON.parse(toJsonBuffer(frame).toString('utf8')) as Record<string, Record<string, number>>;
      expect(Object.keys(parsed)).toEqual([...OHLCV_COLUMNS]);
      expect(Object.keys(parsed.close)).toHaveLength(rows);
      expect(Object.keys(parsed.close)[0]).toMatch(/^\d{13}$/);
    }
  });

  it('puts 500 objects of the measured size against maxmemory 512mb', () => {
    expect(percentOfDocumentMaxmemory((512 * 1024 * 1024) / 500)).toBeCloseTo(100, 10);
    expect(percentOfDocumentMaxmemory(10 * 1024 * 1024)).toBeCloseTo(976.5625, 10);
  });
});
