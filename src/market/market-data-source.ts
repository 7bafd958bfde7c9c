import type { OhlcvSeries } from './ohlcv-series.ts';

/**
 * Where the system under test loads one symbol's history on a cache miss. Implementations throw
 * SignalInputError('invalid-symbol' | 'unknown-symbol') for bad requests and DataFileError for
 * broken storage, so callers can tell the two apart.
 */
export interface MarketDataSource {
  readSeries(symbol: string): Promise<OhlcvSeries>;
}
