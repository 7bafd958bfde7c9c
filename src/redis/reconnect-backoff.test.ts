import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './reconnect-backoff.ts';

describe('reconnectDelayMs', () => {
  it('doubles from the base and stays within [ceiling/2, ceiling]', () => {
    expect(reconnectDelayMs(1, 50, 2000, () => 0)).toBe(25);
    expect(reconnectDelayMs(1, 50, 2000, () => 1)).toBe(50);
    expect(reconnectDelayMs(3, 50, 2000, () => 0)).toBe(100);
    expect(reconnectDelayMs(3, 50, 2000, () => 1)).toBe(200);
  });

  it('is capped, even after very many attempts', () => {
    expect(reconnectDelayMs(10, 50, 2000, () => 1)).toBe(2000);
    expect(reconnectDelayMs(10_000, 50, 2000, () => 0.5)).toBe(1500);
  });

  it('is jittered', () => {
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(6, 50, 2000)));
    expect(delays.size).toBeGreaterThan(5);
    for (const d of delays) expect(d >= 800 && d <= 1600).toBe(true);
  });
});
