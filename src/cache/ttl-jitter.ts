/**
 * TTL jitter: keys written together (a warm-up, the miss storm after a FLUSHALL) would otherwise
 * expire together and cause the next miss storm. Each TTL is drawn uniformly from
 * [ttl x (1 - fraction), ttl], never above the configured TTL (a bound callers rely on) and at
 * least 1 s (Redis refuses EX 0).
 */
export function jitteredTtlSeconds(
  ttlSeconds: number,
  jitterFraction: number,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
    throw new RangeError(`ttlSeconds must be a positive integer (got ${ttlSeconds})`);
  if (!(jitterFraction >= 0 && jitterFraction < 1))
    throw new RangeError(`jitterFraction must be in [0, 1) (got ${jitterFraction})`);
  if (jitterFraction === 0) return ttlSeconds;
  const reduced = ttlSeconds - Math.floor(random() * jitterFraction * ttlSeconds);
  return Math.max(1, Math.min(ttlSeconds, reduced));
}
