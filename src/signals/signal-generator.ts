import type { FeatureCache } from '../cache/feature-cache.ts';
import { SignalInputError } from '../errors.ts';
import { computeAlpha158 } from '../features/alpha158.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import type { MarketDataSource } from '../market/market-data-source.ts';
import type { OhlcvSeries } from '../market/ohlcv-series.ts';
import { assertValidSymbol } from '../market/synthetic-ohlcv.ts';
import { assertIsoDate } from '../market/trading-calendar.ts';
import type { LinearModel } from './linear-model.ts';

/** The part of FeatureCache the generator uses (a seam for tests and for wrappers such as a circuit breaker). */
export type FeatureStore = Pick<FeatureCache, 'get' | 'set' | 'getMany' | 'setMany'>;

export type ComputeFeatures = (series: OhlcvSeries, asOfDate: string) => Float64Array;

export interface SignalGeneratorOptions {
  readonly model: LinearModel;
  readonly market: MarketDataSource;
  /** null: run without a cache (Redis disabled or unreachable at startup). */
  readonly featureCache: FeatureStore | null;
  readonly computeFeatures: ComputeFeatures;
  readonly logger: Logger;
  /** 'per-symbol': the document's loop, one GET per symbol. 'batched': one MGET, then one pipelined SET EX for the misses. */
  readonly cacheReads: 'per-symbol' | 'batched';
}

export const DEFAULT_SIGNAL_GENERATOR_OPTIONS: Readonly<Pick<SignalGeneratorOptions, 'computeFeatures' | 'logger' | 'cacheReads'>> = Object.freeze({
  computeFeatures: computeAlpha158,
  logger: silentLogger,
  cacheReads: 'per-symbol',
});

export type SignalGeneratorInit = Pick<SignalGeneratorOptions, 'model' | 'market' | 'featureCache'> & Partial<SignalGeneratorOptions>;

export interface Signal {
  readonly symbol: string;
  readonly score: number;
  readonly source: 'cache' | 'computed';
}

export interface SignalBatch {
  readonly asOfDate: string;
  readonly modelName: string;
  readonly modelVersion: string;
  /** In the order of the requested symbols. */
  readonly signals: readonly Signal[];
  /**
   * hits + misses = symbols looked up when a cache is enabled (a lookup that failed is a miss);
   * errors = cache calls that threw (reads and writes), each logged and survived.
   */
  readonly cache: { readonly enabled: boolean; readonly hits: number; readonly misses: number; readonly errors: number };
}

interface Tally {
  hits: number;
  misses: number;
  errors: number;
}

type Vector = { readonly features: Float64Array; readonly source: Signal['source'] };

/**
 * Cache-aside signal generation (document, Pattern 1) with graceful degradation (Pattern 3): the
 * cache only ever saves work. Any error a cache call throws is logged with the symbol, counted, and
 * the request goes on through the computed path, so the signals are the same with a cache, without
 * one, and with a dead one.
 */
export class SignalGenerator {
  private readonly options: SignalGeneratorOptions;

  constructor(init: SignalGeneratorInit) {
    const overrides = Object.fromEntries(Object.entries(init).filter(([, v]) => v !== undefined)) as Partial<SignalGeneratorOptions>;
    // featureCache is taken as given: null is a meaningful value (no cache), not "use the default".
    this.options = { ...DEFAULT_SIGNAL_GENERATOR_OPTIONS, ...overrides, model: init.model, market: init.market, featureCache: init.featureCache };
  }

  /**
   * Throws SignalInputError for an empty list, an invalid or duplicated symbol (duplicates are
   * refused, not merged: a repeated symbol is a caller bug that would double a position downstream)
   * or an invalid date, before any I/O. Errors of the market data or the feature computation propagate.
   */
  async generate(symbols: readonly string[], asOfDate: string): Promise<SignalBatch> {
    validateRequest(symbols, asOfDate);
    const tally: Tally = { hits: 0, misses: 0, errors: 0 };
    const vectors = this.options.cacheReads === 'batched'
      ? await this.featuresBatched(symbols, asOfDate, tally)
      : await this.featuresPerSymbol(symbols, asOfDate, tally);
    const { model } = this.options;
    return {
      asOfDate,
      modelName: model.name,
      modelVersion: model.version,
      signals: symbols.map((symbol, i) => ({ symbol, score: model.predict(vectors[i]!.features), source: vectors[i]!.source })),
      cache: { enabled: this.options.featureCache !== null, ...tally },
    };
  }

  /** The document's loop: per symbol, GET; on a miss compute and SET. */
  private async featuresPerSymbol(symbols: readonly string[], asOfDate: string, tally: Tally): Promise<Vector[]> {
    const { featureCache: cache, logger } = this.options;
    const vectors: Vector[] = [];
    for (const symbol of symbols) {
      if (cache !== null) {
        const cached = await this.survive(tally, symbol, 'get', () => cache.get(symbol, asOfDate));
        if (cached) {
          logger.debug('Cache HIT', { symbol, asOfDate });
          tally.hits += 1;
          vectors.push({ features: cached, source: 'cache' });
          continue;
        }
        logger.debug('Cache MISS', { symbol, asOfDate });
        tally.misses += 1;
      }
      const features = await this.compute(symbol, asOfDate);
      if (cache !== null) await this.survive(tally, symbol, 'set', () => cache.set(symbol, asOfDate, features));
      vectors.push({ features, source: 'computed' });
    }
    return vectors;
  }

  /** One MGET for all symbols, compute the misses, one pipelined SET EX for them. */
  private async featuresBatched(symbols: readonly string[], asOfDate: string, tally: Tally): Promise<Vector[]> {
    const { featureCache: cache } = this.options;
    const label = symbols.join(',');
    const cached = (cache !== null ? await this.survive(tally, label, 'getMany', () => cache.getMany(symbols, asOfDate)) : undefined)
      ?? symbols.map(() => null);
    const vectors: Vector[] = [];
    const computed: { symbol: string; features: Float64Array }[] = [];
    for (const [i, symbol] of symbols.entries()) {
      const hit = cached[i];
      if (hit) {
        tally.hits += 1;
        vectors.push({ features: hit, source: 'cache' });
        continue;
      }
      if (cache !== null) tally.misses += 1;
      const features = await this.compute(symbol, asOfDate);
      computed.push({ symbol, features });
      vectors.push({ features, source: 'computed' });
    }
    if (cache !== null && computed.length > 0) {
      await this.survive(tally, computed.map((c) => c.symbol).join(','), 'setMany', () => cache.setMany(computed, asOfDate));
    }
    return vectors;
  }

  private async compute(symbol: string, asOfDate: string): Promise<Float64Array> {
    const series = await this.options.market.readSeries(symbol);
    return this.options.computeFeatures(series, asOfDate);
  }

  /** Runs one cache call; an error is logged with the symbol and counted, and reads as "nothing cached". */
  private async survive<T>(tally: Tally, symbol: string, operation: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      tally.errors += 1;
      this.options.logger.warn('Cache call failed; continuing without the cache', {
        symbol,
        operation,
        error: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }
}

function validateRequest(symbols: readonly string[], asOfDate: string): void {
  if (!Array.isArray(symbols) || symbols.length === 0) throw new SignalInputError('invalid-symbol', 'At least one symbol is required');
  const seen = new Set<string>();
  for (const symbol of symbols) {
    assertValidSymbol(symbol);
    if (seen.has(symbol)) throw new SignalInputError('invalid-symbol', `Duplicate symbol ${JSON.stringify(symbol)}: list each symbol once`);
    seen.add(symbol);
  }
  assertIsoDate(asOfDate);
}
