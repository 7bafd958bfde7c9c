/**
 * One symbol's daily bars, oldest first, as columns. Dates are trading days in ISO form
 * (YYYY-MM-DD, UTC calendar), strictly increasing. All prices and volumes are > 0.
 */
export interface OhlcvSeries {
  readonly symbol: string;
  readonly dates: readonly string[];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly vwap: Float64Array;
}

export const OHLCV_COLUMNS = ['open', 'high', 'low', 'close', 'volume', 'vwap'] as const;
export type OhlcvColumn = (typeof OHLCV_COLUMNS)[number];
