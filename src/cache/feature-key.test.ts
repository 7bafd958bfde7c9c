import { describe, expect, it } from 'vitest';
import { SignalInputError } from '../errors.ts';
import { escapeGlob, featureKey, featureKeyPattern } from './feature-key.ts';

describe('featureKey', () => {
  it('is literally the document format', () => {
    expect(featureKey('AAPL', '2025-01-17')).toBe('features:AAPL:2025-01-17');
    expect(featureKey('BRK.B', '2025-01-18')).toBe('features:BRK.B:2025-01-18');
  });

  it.each([
    ['', '2025-01-17', 'invalid-symbol'],
    ['aapl', '2025-01-17', 'invalid-symbol'],
    ['AA PL', '2025-01-17', 'invalid-symbol'],
    ['AAPL:X', '2025-01-17', 'invalid-symbol'],
    ['AAPL*', '2025-01-17', 'invalid-symbol'],
    ['AAPL', '2025-1-17', 'invalid-date'],
    ['AAPL', '2025-02-30', 'invalid-date'],
    ['AAPL', '17/01/2025', 'invalid-date'],
    ['AAPL', '2025-01-17T00:00:00Z', 'invalid-date'],
  ])('rejects (%j, %j) with %s', (symbol, date, code) => {
    let thrown: unknown;
    try {
      featureKey(symbol, date);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SignalInputError);
    expect((thrown as SignalInputError).code).toBe(code);
  });
});

describe('featureKeyPattern', () => {
  it('matches every date of one symbol', () => {
    expect(featureKeyPattern('AAPL')).toBe('features:AAPL:*');
  });

  it('validates the symbol', () => {
    expect(() => featureKeyPattern('*')).toThrow(SignalInputError);
  });

  it('escapes glob metacharacters', () => {
    expect(escapeGlob('A*B?[C]\\^')).toBe('A\\*B\\?\\[C\\]\\\\\\^');
    expect(escapeGlob('BRK.B')).toBe('BRK.B');
  });
});
