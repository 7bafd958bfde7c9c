import { setTimeout as sleep } from 'node:timers/promises';
import type { MarketDataSource } from '../../src/market/market-data-source.ts';
import type { OhlcvSeries } from '../../src/market/ohlcv-series.ts';

/**
 * Wraps a market data source so every read also waits `extraMs` (rpb --miss-extra-ms): it lets a
 * user reproduce the document's 40 ms Parquet read on fast local storage. The wait is a timer, so
 * it costs wall time, not CPU; reports label it as simulated.
 */
export function withAddedLatency(source: MarketDataSource, extraMs: number, signal?: AbortSignal): MarketDataSource {
  if (extraMs <= 0) return source;
  return {
    async readSeries(symbol: string): Promise<OhlcvSeries> {
      // On top of the real read, not overlapped with it: the document's cost is additive.
      const series = await source.readSeries(symbol);
      // Ctrl-C must not wait for a long simulated read: the wait rejects with an AbortError.
      await sleep(extraMs, undefined, { signal });
      return series;
    },
  };
}
