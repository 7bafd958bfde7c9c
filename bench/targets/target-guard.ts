import type { Redis } from 'ioredis';
import { FEATURE_KEY_NAMESPACE } from '../../src/cache/feature-key.ts';
import { ConfigError } from '../errors.ts';

/** Marks a database the harness may write feature keys into (set on first use of an empty one). */
export const BENCH_DATABASE_MARKER_KEY = 'rpb:bench-database';

/** Bounds the search: SCAN calls of COUNT 1000 each, so at most ~1M keys are looked at. */
const MAX_SCAN_CALLS = 1_000;

async function findFeatureKey(admin: Redis): Promise<string | null> {
  let cursor = '0';
  for (let call = 0; call < MAX_SCAN_CALLS; call += 1) {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${FEATURE_KEY_NAMESPACE}:*`, 'COUNT', 1000);
    if (keys.length > 0) return keys[0];
    cursor = next;
    if (cursor === '0') return null;
  }
  return null;
}

/**
 * Scenarios write and delete keys in the document's own format (`features:{symbol}:{date}`, with
 * synthetic data and real ticker names). On a Redis the harness did not start, that could destroy
 * a real cache, so it only goes ahead when the database has no such keys or was marked by an
 * earlier run of this harness.
 */
export async function guardUrlTarget(admin: Redis, redactedUrl: string): Promise<void> {
  if ((await admin.exists(BENCH_DATABASE_MARKER_KEY)) === 1) return;
  const existing = await findFeatureKey(admin);
  if (existing !== null) {
    throw new ConfigError(
      `the Redis at ${redactedUrl} already holds feature keys (e.g. ${existing}) that this harness did not write`,
      {
        hint: 'scenarios write and delete keys of that form with synthetic data: point --redis-url at an empty database (e.g. .../15) or omit it to let the harness start its own Redis',
      },
    );
  }
  await admin.set(
    BENCH_DATABASE_MARKER_KEY,
    `redis-patterns-bench writes synthetic features:* keys here (first used ${new Date().toISOString()})`,
  );
}
