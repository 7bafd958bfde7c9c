/**
 * Reconnection delay: exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential
 * Backoff And Jitter", 2015). Half the delay is fixed so a client never spins; the random half spreads
 * many clients so a restarted Redis is not hit by all of them at once.
 */
export function reconnectDelayMs(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  // attempt is 1-based (ioredis passes 1 for the first retry); the exponent is capped so 2 ** n stays finite.
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceilingMs = Math.min(maxDelayMs, baseDelayMs * 2 ** exponent);
  const halfMs = ceilingMs / 2;
  return Math.round(halfMs + random() * halfMs);
}
