import { describe, expect, it } from 'vitest';
import { elapsedNs, nowEpochMs, nowNs } from './clock.ts';

describe('clock', () => {
  it('elapsedNs is a non-negative integer number of ns', () => {
    const start = nowNs();
    const elapsed = elapsedNs(start);
    expect(Number.isInteger(elapsed)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(0);
    expect(elapsedNs(start - 5_000_000_000n)).toBeGreaterThanOrEqual(5_000_000_000);
  });

  it('nowEpochMs is epoch milliseconds and never goes backwards', () => {
    const a = nowEpochMs();
    const b = nowEpochMs();
    expect(b).toBeGreaterThanOrEqual(a);
    expect(Math.abs(a - Date.now())).toBeLessThan(60_000);
  });
});
