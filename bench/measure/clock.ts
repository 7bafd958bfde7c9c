/** Monotonic time for measurements. Never use Date.now() for a duration: NTP can step it. */

export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Integer nanoseconds since startNs (exact as a number for any duration under 104 days). */
export function elapsedNs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs);
}

/**
 * Epoch milliseconds that advance monotonically: the process start's wall time plus a monotonic
 * offset, so interval boundaries never go backwards even if the system clock is stepped.
 */
export function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}
