/**
 * The document's large object: `dataframe.to_json()` of one symbol's market data. pandas writes a
 * DataFrame with orient='columns' by default ({column: {index: value}}), a DatetimeIndex as epoch ms
 * and floats with double_precision=10; the frame here is one symbol's 1-minute OHLCV bars (390 a
 * trading day), as many as make the JSON reach the target size (the document's "10MB JSON string").
 */
import { generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { OHLCV_COLUMNS } from '../../src/market/ohlcv-series.ts';
import type { OhlcvColumn } from '../../src/market/ohlcv-series.ts';
import { isoToEpochDay, tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';

export const MINUTES_PER_SESSION = 390;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** 09:30 New York as UTC (EST), the first bar of a session. */
const SESSION_OPEN_UTC_MS = 14.5 * 3_600_000;
/** pandas' to_json default double_precision. */
const DECIMALS = 10;

export type DataFrame = Readonly<Record<OhlcvColumn, Readonly<Record<string, number>>>>;

/** Epoch ms of the last `rows` 1-minute bars of the sessions ending at `lastDate`, oldest first. */
export function minuteIndex(rows: number, lastDate: string): number[] {
  const days = tradingDaysEndingAt(lastDate, Math.max(1, Math.ceil(rows / MINUTES_PER_SESSION)));
  const index: number[] = [];
  for (const day of days) {
    const open = isoToEpochDay(day) * MS_PER_DAY + SESSION_OPEN_UTC_MS;
    for (let m = 0; m < MINUTES_PER_SESSION; m++) index.push(open + m * MS_PER_MINUTE);
  }
  return index.slice(index.length - rows);
}

/** A value as pandas writes it: rounded to 10 decimal places (then the shortest round-trip digits). */
export function rounded(value: number): number {
  return Math.round(value * 10 ** DECIMALS) / 10 ** DECIMALS;
}

/** One symbol's bars as columns, oldest first, rounded as pandas writes them. */
type Columns = Readonly<Record<OhlcvColumn, Float64Array>>;

function columns(symbol: string, rows: number, lastDate: string, seed: number): Columns {
  const series = generateOhlcv({ symbol, dates: tradingDaysEndingAt(lastDate, rows), seed });
  const out = {} as Record<OhlcvColumn, Float64Array>;
  for (const column of OHLCV_COLUMNS) out[column] = series[column].map(rounded);
  return out;
}

/**
 * Rows whose JSON reaches `targetBytes`, counted exactly: each row adds, per column, its quoted index
 * key, a colon, the value's digits and a comma. The generator's series is a prefix-stable random walk
 * (row i does not depend on the length), so the first `rows` of a longer series are the frame's rows.
 */
export function rowsForBytes(cols: Columns, indexKeyBytes: number, targetBytes: number): number {
  // {"open":{...},"high":{...},...}: braces, the quoted names, colons and the commas between columns.
  let bytes = 2 + OHLCV_COLUMNS.reduce((sum, c) => sum + c.length + 5, 0) - 1;
  const length = cols.open.length;
  for (let i = 0; i < length; i++) {
    for (const column of OHLCV_COLUMNS) bytes += indexKeyBytes + 3 + String(cols[column][i]).length + (i > 0 ? 1 : 0);
    if (bytes >= targetBytes) return i + 1;
  }
  return length;
}

/** A columns-oriented frame of `rows` bars ending at `lastDate`: {column: {epoch ms: value}}. */
function frameOf(cols: Columns, rows: number, lastDate: string): DataFrame {
  const index = minuteIndex(rows, lastDate).map(String);
  const frame = {} as Record<OhlcvColumn, Record<string, number>>;
  for (const column of OHLCV_COLUMNS) {
    const values = cols[column];
    const out: Record<string, number> = {};
    for (let i = 0; i < rows; i++) out[index[i]] = values[i];
    frame[column] = out;
  }
  return frame;
}

/**
 * The frame whose JSON is `targetBytes` (to the byte, or the first row past it): one symbol's bars, the
 * synthetic generator's series (one step per bar; only the count and digits matter for the JSON's size
 * and cost) under one-minute timestamps.
 */
export function dataFrameOfSize(
  symbol: string,
  targetBytes: number,
  lastDate: string,
  seed: number,
): { readonly frame: DataFrame; readonly rows: number } {
  const keyBytes = String(minuteIndex(1, lastDate)[0]).length;
  // A row takes at least 6 x (key + 4) bytes: that many rows always reach the target.
  const most = Math.ceil(targetBytes / (OHLCV_COLUMNS.length * (keyBytes + 4)));
  const cols = columns(symbol, most, lastDate, seed);
  const rows = rowsForBytes(cols, keyBytes, targetBytes);
  return { frame: frameOf(cols, rows, lastDate), rows };
}

/** `dataframe.to_json()` as the bytes a client sends: UTF-8 of the JSON text. */
export function toJsonBuffer(frame: DataFrame): Buffer {
  return Buffer.from(JSON.stringify(frame), 'utf8');
}
