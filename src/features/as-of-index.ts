import { SignalInputError } from '../errors.ts';
import type { OhlcvSeries } from '../market/ohlcv-series.ts';
import { assertIsoDate } from '../market/trading-calendar.ts';
import { ALPHA158_MIN_ROWS } from './alpha158-names.ts';

/** Index of the last row dated <= asOfDate (ISO strings sort as dates); -1 when every row is later. */
function lastRowOnOrBefore(dates: readonly string[], asOfDate: string): number {
  let lo = 0;
  let hi = dates.length; // invariant: rows before lo are <= asOfDate, rows from hi on are > asOfDate
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid] <= asOfDate) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function insufficientHistory(series: OhlcvSeries, asOfDate: string, rowsAvailable: number): SignalInputError {
  return new SignalInputError(
    'insufficient-history',
    `${series.symbol}: ${rowsAvailable} rows of history up to ${asOfDate}, Alpha158 needs ${ALPHA158_MIN_ROWS}`,
  );
}

/**
 * Resolves the row the features of asOfDate are computed at: the last trading day on or before it
 * (a weekend or holiday inside the data resolves to the previous trading day).
 */
export function resolveAsOfIndex(series: OhlcvSeries, asOfDate: string): number {
  assertIsoDate(asOfDate, 'as-of date');
  const { dates, symbol } = series;
  if (dates.length === 0) throw insufficientHistory(series, asOfDate, 0);
  const firstDate = dates[0];
  const lastDate = dates[dates.length - 1];
  if (asOfDate < firstDate || asOfDate > lastDate) {
    throw new SignalInputError(
      'date-out-of-range',
      `${symbol}: date ${asOfDate} is outside the data, which runs from ${firstDate} to ${lastDate}`,
    );
  }
  const index = lastRowOnOrBefore(dates, asOfDate);
  if (index + 1 < ALPHA158_MIN_ROWS) throw insufficientHistory(series, asOfDate, index + 1);
  return index;
}
