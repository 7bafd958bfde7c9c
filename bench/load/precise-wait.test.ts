import { describe, expect, it } from 'vitest';
import { nowNs } from '../measure/clock.ts';
import { sleepMs, waitUntilNs } from './precise-wait.ts';

describe('waitUntilNs', () => {
  it('never returns before the target, with or without the spin window', async () => {
    for (const spinWindowNs of [2e6, 0]) {
      const targetNs = nowNs() + 5_000_000n;
      await waitUntilNs(targetNs, spinWindowNs);
      expect(nowNs() >= targetNs).toBe(true);
    }
  });

  it('returns at once when aborted, however far the target', async () => {
    const controller = new AbortController();
    const waiting = waitUntilNs(nowNs() + 60_000_000_000n, 2e6, controller.signal);
    controller.abort();
    const startNs = nowNs();
    await waiting;
    expect(Number(nowNs() - startNs)).toBeLessThan(1e9);
  });
});

describe('sleepMs', () => {
  it('resolves early on abort', async () => {
    const controller = new AbortController();
    const sleeping = sleepMs(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});
