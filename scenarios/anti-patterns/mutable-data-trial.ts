/**
 * Anti-pattern 1, caching mutable data: a live price moved by a writer every few ms, read through a
 * cache with the document's TTL (3600 s), beside the feature cache (immutable per symbol and date)
 * read the same way while the same writer ticks.
 */
import type { Redis } from 'ioredis';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import type { VersionedRead } from './anti-pattern-figures.ts';

export const PRICE_SYMBOL = 'AAPL';
/** The document's bad example key. */
export const PRICE_KEY = `current_price:${PRICE_SYMBOL}`;
/** The document's TTL for both variants. */
export const CACHE_TTL_SECONDS = 3_600;
const FEATURE_HISTORY_DAYS = 80;
export const FEATURE_AS_OF = '2025-01-17';

/**
 * The market's live price: a seeded random walk moved by a timer every `tickMs`. Version n is the
 * price after n moves; the time each version went live is kept, so that a reader knows how long a
 * cached version has been superseded.
 */
export class PriceWriter {
  #version = 0;
  #price = 230;
  readonly #liveSinceNs: bigint[] = [nowNs()];
  readonly #random: SeededRandom;
  #timer: NodeJS.Timeout | undefined;

  constructor(seed: number) {
    this.#random = SeededRandom.forKey(seed, PRICE_KEY);
  }

  start(tickMs: number): void {
    this.stop();
    this.#timer = setInterval(() => this.tick(), tickMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One move of the price (the timer calls it; tests call it directly). */
  tick(): void {
    this.#price = Math.round(this.#price * Math.exp(0.0005 * this.#random.nextGaussian()) * 100) / 100;
    this.#version += 1;
    this.#liveSinceNs.push(nowNs());
  }

  get version(): number {
    return this.#version;
  }

  current(): { version: number; price: number } {
    return { version: this.#version, price: this.#price };
  }

  /** ms since `version` stopped being live at `atNs` (0 while it is the live one). */
  supersededForMs(version: number, atNs: bigint): number {
    const next = this.#liveSinceNs[version + 1];
    return next === undefined ? 0 : Math.max(0, Number(atNs - next) / NS_PER_MS);
  }
}

export interface ReadPace {
  readonly reads: number;
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  /** Each read's latency in ns (the cache round trip, with the fill on a miss). */
  readonly record: (ns: number) => void;
}

/** The bad variant: `cache.set("current_price:AAPL", current_price, ttl=3600)`, read cache-aside. */
export async function readMutablePrice(client: Redis, writer: PriceWriter, pace: ReadPace): Promise<VersionedRead[]> {
  await client.unlink(PRICE_KEY);
  const reads: VersionedRead[] = [];
  for (let i = 0; i < pace.reads && !pace.signal.aborted; i++) {
    const startNs = nowNs();
    const cached = await client.get(PRICE_KEY);
    let served: { version: number; price: number };
    if (cached === null) {
      served = writer.current();
      await client.set(PRICE_KEY, JSON.stringify(served), 'EX', CACHE_TTL_SECONDS);
    } else {
      served = JSON.parse(cached) as { version: number; price: number };
    }
    const doneNs = nowNs();
    pace.record(Number(doneNs - startNs));
    const live = writer.current();
    reads.push({
      servedVersion: served.version,
      liveVersion: live.version,
      staleForMs: writer.supersededForMs(served.version, doneNs),
      differs: served.version === live.version && served.price !== live.price,
    });
    await sleepMs(pace.intervalMs, pace.signal);
  }
  return reads;
}

/** Alpha158 of the symbol's daily bars up to the as-of date: what the market data says now. */
export function featuresFromMarket(seed: number): Float64Array {
  const dates = tradingDaysEndingAt(FEATURE_AS_OF, FEATURE_HISTORY_DAYS);
  return computeAlpha158(generateOhlcv({ symbol: PRICE_SYMBOL, dates, seed }), FEATURE_AS_OF);
}

function sameVector(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * The good variant: `cache.set(f"features:AAPL:{date}", features, ttl=3600)` through src
 * FeatureCache, read cache-aside; each read's vector is compared with the one computed from the
 * market data after the read (not timed).
 */
export async function readImmutableFeatures(client: Redis, seed: number, pace: ReadPace): Promise<VersionedRead[]> {
  const cache = new FeatureCache({ client, ttlSeconds: CACHE_TTL_SECONDS });
  await client.unlink(`features:${PRICE_SYMBOL}:${FEATURE_AS_OF}`);
  const reads: VersionedRead[] = [];
  for (let i = 0; i < pace.reads && !pace.signal.aborted; i++) {
    const startNs = nowNs();
    let served = await cache.get(PRICE_SYMBOL, FEATURE_AS_OF);
    if (served === null) {
      served = featuresFromMarket(seed);
      await cache.set(PRICE_SYMBOL, FEATURE_AS_OF, served);
    }
    pace.record(Number(nowNs() - startNs));
    const live = featuresFromMarket(seed);
    reads.push({ servedVersion: 0, liveVersion: 0, staleForMs: 0, differs: !sameVector(served, live) });
    await sleepMs(pace.intervalMs, pace.signal);
  }
  return reads;
}
