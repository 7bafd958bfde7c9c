import { SignalInputError } from '../errors.ts';
import { assertValidSymbol } from '../market/synthetic-ohlcv.ts';
import { assertIsoDate } from '../market/trading-calendar.ts';

/** The document's key format, fixed: `features:{symbol}:{date}`. */
export const FEATURE_KEY_NAMESPACE = 'features';

/** `features:AAPL:2025-01-17`. Throws SignalInputError for an invalid symbol or date. */
export function featureKey(symbol: string, date: string): string {
  assertKeySymbol(symbol);
  assertIsoDate(date);
  return `${FEATURE_KEY_NAMESPACE}:${symbol}:${date}`;
}

/**
 * SCAN MATCH pattern for every cached date of one symbol: `features:AAPL:*`. Glob metacharacters
 * in the symbol are escaped, so the pattern never matches another symbol's keys.
 */
export function featureKeyPattern(symbol: string): string {
  assertKeySymbol(symbol);
  return `${FEATURE_KEY_NAMESPACE}:${escapeGlob(symbol)}:*`;
}

/** Escapes Redis glob metacharacters (* ? [ ] \ and ^ inside classes) so they match literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\^]/g, (c) => `\\${c}`);
}

function assertKeySymbol(symbol: string): void {
  assertValidSymbol(symbol);
  // A ':' would let `features:A:*` match the keys of a symbol named "A:B"; the key format forbids it.
  if (symbol.includes(':')) {
    throw new SignalInputError('invalid-symbol', `Invalid symbol ${JSON.stringify(symbol)}: ':' is the key separator`);
  }
}
