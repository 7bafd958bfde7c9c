import { describe, expect, it } from 'vitest';
import type { OhlcvSeries } from '../../src/market/ohlcv-series.ts';
import { withAddedLatency } from './added-latency-source.ts';

const series = { symbol: 'AAPL' } as unknown as OhlcvSeries;

describe('withAddedLatency', () => {
  it('returns the source itself when no latency is asked for', () => {
    const source = { readSeries: async () => series };
    expect(withAddedLatency(source, 0)).toBe(source);
  });

  it('waits after the real read (the costs add up) and returns its data', async () => {
    const order: string[] = [];
    const source = {
      readSeries: async () => {
        order.push('read');
        return series;
      },
    };
    const started = performance.now();
    const result = await withAddedLatency(source, 30).readSeries('AAPL');
    order.push('returned');
    expect(result).toBe(series);
    expect(order).toEqual(['read', 'returned']);
    // A lower bound only: the wait really happened (timers may fire a little late, never early).
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const reading = withAddedLatency({ readSeries: async () => series }, 60_000, controller.signal).readSeries('AAPL');
    setTimeout(() => controller.abort(), 10);
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
  });
});
