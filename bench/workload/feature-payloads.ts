import { encodeValue } from '../../src/cache/codec.ts';
import type { FeatureCodec } from '../../src/cache/codec.ts';
import { codecByName } from '../../src/cache/codec-registry.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import { defaultSymbols, generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';

/** Alpha158 needs 61 bars ending at the as-of date. */
const HISTORY_DAYS = 80;

/**
 * Real cache values: Alpha158 vectors of `count` synthetic symbols encoded with the named codec of
 * the service, so a replay's keys take what the service's keys take in Redis. Key id k stores
 * payloads[k % count]: sizes vary as real vectors do, without computing one per key.
 */
export function featurePayloads(
  codecName: string,
  count: number,
  seed: number,
): { readonly codec: FeatureCodec; readonly payloads: readonly Buffer[] } {
  // Checked once, at the boundary: `rpb capacity --codec` and the hit-rate scenario's `codec` tunable.
  const codec = codecByName(codecName);
  const dates = tradingDaysEndingAt('2025-01-17', HISTORY_DAYS);
  const asOf = dates[dates.length - 1];
  const payloads = defaultSymbols(count).map((symbol) =>
    encodeValue(codec, computeAlpha158(generateOhlcv({ symbol, dates, seed }), asOf)),
  );
  return { codec, payloads };
}

/** Mean payload size in bytes. */
export function meanPayloadBytes(payloads: readonly Buffer[]): number {
  return payloads.reduce((sum, p) => sum + p.length, 0) / Math.max(1, payloads.length);
}
