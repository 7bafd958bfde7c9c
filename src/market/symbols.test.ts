import { describe, expect, it } from 'vitest';
import { SignalInputError } from '../errors.ts';
import { assertValidSymbol, defaultSymbols, isValidSymbol } from './symbols.ts';

describe('symbols', () => {
  it('accepts ticker-like symbols and rejects the rest', () => {
    for (const ok of ['A', 'AAPL', 'BRK.B', 'BF-B', 'SYM0031', 'ABCDEFGHIJKLMNO']) expect(isValidSymbol(ok)).toBe(true);
    for (const bad of ['', 'aapl', '1ABC', '.A', 'AAPL ', 'A/B', '../etc', 'ABCDEFGHIJKLMNOP', 'A:B'])
      expect(isValidSymbol(bad)).toBe(false);
  });

  it('throws invalid-symbol naming the symbol and the pattern', () => {
    expect(() => assertValidSymbol('AAPL')).not.toThrow();
    try {
      assertValidSymbol('../x');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SignalInputError);
      expect((error as SignalInputError).code).toBe('invalid-symbol');
      expect((error as Error).message).toContain('"../x"');
      expect((error as Error).message).toContain('^[A-Z][A-Z0-9.-]{0,14}$');
    }
  });

  it('lists well-known tickers first, then generated ones, all valid and unique', () => {
    expect(defaultSymbols(3)).toEqual(['AAPL', 'MSFT', 'GOOGL']);
    const symbols = defaultSymbols(500);
    expect(symbols).toHaveLength(500);
    expect(new Set(symbols).size).toBe(500);
    expect(symbols.every(isValidSymbol)).toBe(true);
    expect(symbols[30]).toBe('SYM0031');
    expect(symbols[499]).toBe('SYM0500');
    expect(defaultSymbols(500)).toEqual(symbols);
    expect(defaultSymbols(0)).toEqual([]);
    expect(() => defaultSymbols(-1)).toThrow(RangeError);
  });
});
