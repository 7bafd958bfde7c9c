import { describe, expect, it } from 'vitest';
import { Wakeup } from './wakeup.ts';

describe('Wakeup', () => {
  it('a notify ends every pending wait long before its timeout', async () => {
    const wakeup = new Wakeup();
    const started = performance.now();
    const waits = [wakeup.wait(60_000), wakeup.wait(60_000)];
    wakeup.notify();
    await Promise.all(waits);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('ends at its timeout, or at once on an abort, with nobody notifying', async () => {
    const wakeup = new Wakeup();
    const started = performance.now();
    await wakeup.wait(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    const controller = new AbortController();
    const waiting = wakeup.wait(60_000, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    const aborted = performance.now();
    await wakeup.wait(60_000, controller.signal);
    expect(performance.now() - aborted).toBeLessThan(1_000);
  });
});
