import { SignalInputError } from '../errors.ts';

/**
 * Ticker-like symbols: an upper-case letter, then up to 14 of A-Z, 0-9, '.' or '-' (BRK.B, BF-B).
 * The pattern also keeps symbols safe as file names and cache-key segments (no '/', ':' or spaces).
 */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.-]{0,14}$/;

export function isValidSymbol(symbol: string): boolean {
  return typeof symbol === 'string' && SYMBOL_PATTERN.test(symbol);
}

/** Throws SignalInputError('invalid-symbol') naming the symbol and the expected pattern. */
export function assertValidSymbol(symbol: string): void {
  if (!isValidSymbol(symbol)) {
    throw new SignalInputError(
      'invalid-symbol',
      `invalid symbol ${JSON.stringify(symbol)}: expected ${SYMBOL_PATTERN.source} (e.g. AAPL, BRK.B)`,
    );
  }
}

/** Well-known tickers first, so small datasets and logs look familiar. */
const WELL_KNOWN_SYMBOLS = [
  'AAPL',
  'MSFT',
  'GOOGL',
  'AMZN',
  'TSLA',
  'META',
  'NVDA',
  'JPM',
  'V',
  'JNJ',
  'WMT',
  'PG',
  'MA',
  'UNH',
  'HD',
  'DIS',
  'BAC',
  'XOM',
  'KO',
  'PEP',
  'CSCO',
  'ORCL',
  'INTC',
  'NFLX',
  'ADBE',
  'CRM',
  'AMD',
  'IBM',
  'GS',
  'BRK.B',
] as const;

/** `count` unique, valid symbols: the well-known ones, then SYM0031, SYM0032, ... (1-based position). */
export function defaultSymbols(count: number): string[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`symbol count must be a non-negative integer, got ${count}`);
  }
  const symbols: string[] = WELL_KNOWN_SYMBOLS.slice(0, count);
  for (let position = symbols.length + 1; position <= count; position++) {
    symbols.push(`SYM${String(position).padStart(4, '0')}`);
  }
  return symbols;
}
