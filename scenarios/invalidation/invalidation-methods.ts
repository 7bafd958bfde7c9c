import type { Redis } from 'ioredis';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { elapsedNs, nowNs } from '../../bench/measure/clock.ts';

export const INVALIDATION_METHODS = ['keys-del', 'scan-unlink'] as const;
export type InvalidationMethod = (typeof INVALIDATION_METHODS)[number];

export interface InvalidationOutcome {
  readonly removed: number;
  readonly durationNs: number;
  /** keys-del: the KEYS command alone (one blocking server step over the whole keyspace). */
  readonly keysCommandNs: number | null;
}

/**
 * The document's own code: `for key in redis_client._client.keys("features:AAPL:*"): redis_client.delete(key)`.
 * KEYS walks every key of the database in one command, and nothing else runs on the server meanwhile.
 */
export async function keysThenDelete(client: Redis, pattern: string): Promise<InvalidationOutcome> {
  const start = nowNs();
  const keys = await client.keys(pattern);
  const keysCommandNs = elapsedNs(start);
  let removed = 0;
  for (const key of keys) removed += await client.del(key);
  return { removed, durationNs: elapsedNs(start), keysCommandNs };
}

/** The service's way: FeatureCache.invalidateSymbol (SCAN MATCH in steps of scanCount, UNLINK in batches). */
export async function scanThenUnlink(cache: FeatureCache, symbol: string): Promise<InvalidationOutcome> {
  const start = nowNs();
  const removed = await cache.invalidateSymbol(symbol);
  return { removed, durationNs: elapsedNs(start), keysCommandNs: null };
}
