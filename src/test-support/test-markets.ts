import { SignalInputError } from '../errors.ts';
import type { MarketDataSource } from '../market/market-data-source.ts';
import type { OhlcvSeries } from '../market/ohlcv-series.ts';
import { generateOhlcv } from '../market/synthetic-ohlcv.ts';
import { tradingDaysEndingAt } from '../market/trading-calendar.ts';

/** Synthetic bars for 90 trading days up to `asOfDate`, from memory; another symbol is an unknown-symbol error. */
export function inMemoryMarket(symbols: readonly string[], asOfDate: string, seed: number): MarketDataSource {
  const dates = tradingDaysEndingAt(asOfDate, 90);
  const series = new Map<string, OhlcvSeries>(
    symbols.map((symbol) => [symbol, generateOhlcv({ symbol, dates, seed })]),
  );
  return {
    readSeries: async (symbol) => {
      const found = series.get(symbol);
      if (found === undefined) throw new SignalInputError('unknown-symbol', `no market data for ${symbol}`);
      return found;
    },
  };
}

/** A series with no bars, for tests whose features come from a stub. */
export function emptySeries(symbol: string): OhlcvSeries {
  const empty = new Float64Array(0);
  return { symbol, dates: [], open: empty, high: empty, low: empty, close: empty, volume: empty, vwap: empty };
}
