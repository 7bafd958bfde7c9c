import { describe, expect, it } from 'vitest';
import { withDefaults } from './with-defaults.ts';

describe('withDefaults', () => {
  const defaults = { durationMs: 10_000, metricName: 'operation' };

  it('lays the given values over the defaults', () => {
    expect(withDefaults(defaults, { durationMs: 5 })).toEqual({ durationMs: 5, metricName: 'operation' });
  });

  it('keeps the default for a key given as undefined, and drops keys the defaults do not name', () => {
    const given = { durationMs: undefined, extra: 1 } as unknown as Partial<typeof defaults>;
    expect(withDefaults(defaults, given)).toEqual(defaults);
  });

  it('never changes the defaults object', () => {
    withDefaults(defaults, { metricName: 'x' });
    expect(defaults.metricName).toBe('operation');
  });
});
