import { NS_PER_MS } from '../core/units.ts';
import { nowNs } from '../measure/clock.ts';

/**
 * Waits until the monotonic clock reaches targetNs, or until the signal aborts.
 *
 * setTimeout alone is late by ~1 ms (the event loop's timer granularity), and the corrected
 * latency charges that lateness to the server: at 1k ops/s on loopback it put the corrected p50 at
 * ~630 us for an operation whose uncorrected p50 was ~10 us. So it sleeps with setTimeout until
 * spinWindowNs before the target, then yields with setImmediate until the target comes (corrected
 * p50 ~7 us in the same test). The price: inside the window the loop never blocks in the poll
 * phase, so once the gap between sends is under the window (500 ops/s and up at 2 ms) the
 * dispatcher keeps one core busy (~100% of a core vs ~12% without spinning). It is bounded to that
 * one core and I/O and timers still run between spins; spinWindowNs = 0 trades it for ~1 ms of
 * send jitter. `onSpin` gets the length of each turn of the spin (one setImmediate round trip,
 * with whatever else ran in it), so a caller can tell that busy-wait from real work.
 */
export async function waitUntilNs(
  targetNs: bigint,
  spinWindowNs: number,
  signal?: AbortSignal,
  onSpin?: (spinNs: number) => void,
): Promise<void> {
  // What was left before the last yield of the spin: the turn's length is that minus what is left now.
  let remainingAtYieldNs = -1;
  for (;;) {
    if (signal?.aborted === true) return;
    const remainingNs = Number(targetNs - nowNs());
    if (remainingAtYieldNs >= 0) onSpin?.(remainingAtYieldNs - remainingNs);
    remainingAtYieldNs = -1;
    if (remainingNs <= 0) return;
    if (remainingNs > spinWindowNs) await sleepMs((remainingNs - spinWindowNs) / NS_PER_MS, signal);
    else {
      remainingAtYieldNs = remainingNs;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * setTimeout as a promise that an abort resolves early; the timer and the abort listener are
 * always removed. `onArmed` receives the early resolver once the timer runs (Wakeup hands it to
 * notify()); it is not called when the signal had already aborted.
 */
export function sleepMs(ms: number, signal?: AbortSignal, onArmed?: (wake: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    onArmed?.(done);
  });
}
