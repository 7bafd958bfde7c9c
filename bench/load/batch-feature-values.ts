import type { Redis } from 'ioredis';
import { encodeValue } from '../../src/cache/codec.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { jsonCodec } from '../../src/cache/json-codec.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import { defaultSymbols, generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';

/** The document's example date (`features:AAPL:2025-01-17`). */
export const BATCH_VALUES_DATE = '2025-01-17';
/** Alpha158 needs 61 bars ending at the as-of date; a few more cost nothing. */
const HISTORY_DAYS = 80;
/** Keys are written and deleted in slices of this many commands, so no single reply is huge. */
const WRITE_SLICE = 500;

/** One stored feature vector per symbol, as the service stores it: `features:{symbol}:{date}` -> json-array value. */
export interface BatchFeatureValues {
  readonly keys: readonly string[];
  /** The exact bytes stored at keys[i] (header included), to check what every fetch returns. */
  readonly values: readonly Buffer[];
}

/**
 * `count` keys of distinct symbols, each holding that symbol's Alpha158 vector on the example date
 * (synthetic bars, seeded).
 */
export function buildBatchFeatureValues(count: number, seed: number): BatchFeatureValues {
  const dates = tradingDaysEndingAt(BATCH_VALUES_DATE, HISTORY_DAYS);
  const asOf = dates[dates.length - 1];
  const keys: string[] = [];
  const values: Buffer[] = [];
  for (const symbol of defaultSymbols(count)) {
    keys.push(featureKey(symbol, asOf));
    values.push(encodeValue(jsonCodec, computeAlpha158(generateOhlcv({ symbol, dates, seed }), asOf)));
  }
  return { keys, values };
}

export async function storeBatchFeatureValues(
  client: Redis,
  set: BatchFeatureValues,
  ttlSeconds: number,
): Promise<void> {
  for (let start = 0; start < set.keys.length; start += WRITE_SLICE) {
    const pipeline = client.pipeline();
    for (let i = start; i < Math.min(start + WRITE_SLICE, set.keys.length); i += 1)
      pipeline.set(set.keys[i], set.values[i], 'EX', ttlSeconds);
    for (const [error] of (await pipeline.exec()) ?? []) if (error !== null) throw error;
  }
}

export async function removeBatchFeatureValues(client: Redis, set: BatchFeatureValues): Promise<void> {
  for (let start = 0; start < set.keys.length; start += WRITE_SLICE)
    await client.unlink(...set.keys.slice(start, start + WRITE_SLICE));
}
