import type { FeatureCache } from '../cache/feature-cache.ts';
import { SingleFlight } from '../cache/single-flight.ts';
import { SignalInputError } from '../errors.ts';
import { computeAlpha158 } from '../features/alpha158.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import type { MarketDataSource } from '../market/market-data-source.ts';
import type { OhlcvSeries } from '../market/ohlcv-series.ts';
import { assertValidSymbol } from '../market/synthetic-ohlcv.ts';
import { assertIsoDate } from '../market/trading-calendar.ts';
import type { LinearModel } from './linear-model.ts';
import type { SignalEvent } from '../events/event-schemas.ts';
import { utcNow } from '../events/event-schemas.ts';

/** Where a SignalEvent goes after each generation (EventPublisher); it must never fail the request. */
export interface SignalEventSink {
  publishSignalEvent(event: SignalEvent): Promise<number | null>;
}

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
  /**
   * 'per-symbol': the document's loop, one GET per symbol. 'batched': one MGET, then one pipelined
   * SET EX for the misses.
   */
  readonly cacheReads: 'per-symbol' | 'batched';
  /** Per-symbol path: concurrent misses of one symbol and date share one computation and one SET (single flight). */
  readonly coalesceMisses: boolean;
  /** null: no events. Otherwise a `signals.generated` SignalEvent is published after each generation (Pattern 2). */
  readonly events: SignalEventSink | null;
}

export const DEFAULT_SIGNAL_GENERATOR_OPTIONS: Readonly<
  Pick<SignalGeneratorOptions, 'computeFeatures' | 'logger' | 'cacheReads' | 'coalesceMisses' | 'events'>
> = Object.freeze({
  computeFeatures: computeAlpha158,
  logger: silentLogger,
  cacheReads: 'per-symbol',
  coalesceMisses: true,
  events: null,
});

export type SignalGeneratorInit = Pick<SignalGeneratorOptions, 'model' | 'market' | 'featureCache'> &
  Partial<SignalGeneratorOptions>;

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
  readonly cache: {
    readonly enabled: boolean;
    readonly hits: number;
    readonly misses: number;
    readonly errors: number;
  };
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
  private readonly misses = new SingleFlight<Float64Array>();

  constructor(init: SignalGeneratorInit) {
    const overrides = Object.fromEntries(
      Object.entries(init).filter(([, v]) => v !== undefined),
    ) as Partial<SignalGeneratorOptions>;
    // featureCache is taken as given: null is a meaningful value (no cache), not "use the default".
    this.options = {
      ...DEFAULT_SIGNAL_GENERATOR_OPTIONS,
      ...overrides,
      model: init.model,
      market: init.market,
      featureCache: init.featureCache,
    };
  }

  /**
   * Throws SignalInputError for an empty list, an invalid or duplicated symbol (duplicates are
   * refused, not merged: a repeated symbol is a caller bug that would double a position downstream)
   * or an invalid date, before any I/O. Errors of the market data or the feature computation propagate.
   */
  async generate(symbols: readonly string[], asOfDate: string): Promise<SignalBatch> {
    validateRequest(symbols, asOfDate);
    const tally: Tally = { hits: 0, misses: 0, errors: 0 };
    const vectors =
      this.options.cacheReads === 'batched'
        ? await this.featuresBatched(symbols, asOfDate, tally)
        : await this.featuresPerSymbol(symbols, asOfDate, tally);
    const { model } = this.options;
    const batch: SignalBatch = {
      asOfDate,
      modelName: model.name,
      modelVersion: model.version,
      signals: symbols.map((symbol, i) => ({
        symbol,
        score: model.predict(vectors[i]!.features),
        source: vectors[i]!.source,
      })),
      cache: { enabled: this.options.featureCache !== null, ...tally },
    };
    await this.announce(batch, symbols);
    return batch;
  }

  /** Publishes the SignalEvent (strategy_id: the model's name); best effort: a failure never fails the request. */
  private async announce(batch: SignalBatch, symbols: readonly string[]): Promise<void> {
    const { events, logger } = this.options;
    if (events === null) return;
    try {
      await events.publishSignalEvent({
        event_type: 'signals.generated',
        timestamp: utcNow(),
        strategy_id: batch.modelName,
        symbols: [...symbols],
        num_signals: batch.signals.length,
        as_of_date: batch.asOfDate,
      });
    } catch (error) {
      logger.warn('SignalEvent publish failed; signals returned without it', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
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
      const features = await this.computeAndStore(symbol, asOfDate, tally);
      vectors.push({ features, source: 'computed' });
    }
    return vectors;
  }

  /** One MGET for all symbols, compute the misses, one pipelined SET EX for them. */
  private async featuresBatched(symbols: readonly string[], asOfDate: string, tally: Tally): Promise<Vector[]> {
    const { featureCache: cache } = this.options;
    const label = symbols.join(',');
    const cached =
      (cache !== null
        ? await this.survive(tally, label, 'getMany', () => cache.getMany(symbols, asOfDate))
        : undefined) ?? symbols.map(() => null);
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
      await this.survive(tally, computed.map((c) => c.symbol).join(','), 'setMany', () =>
        cache.setMany(computed, asOfDate),
      );
    }
    return vectors;
  }

  /**
   * Misses of one key already being computed join that computation (its SET errors are tallied once,
   * by the first caller).
   */
  private computeAndStore(symbol: string, asOfDate: string, tally: Tally): Promise<Float64Array> {
    const { featureCache: cache } = this.options;
    const work = async (): Promise<Float64Array> => {
      const features = await this.compute(symbol, asOfDate);
      if (cache !== null) await this.survive(tally, symbol, 'set', () => cache.set(symbol, asOfDate, features));
      return features;
    };
    if (cache === null || !this.options.coalesceMisses) return work();
    return this.misses.run(`${symbol}\n${asOfDate}`, work).result;
  }

  /** Computations run and joined by coalesced misses since construction. */
  coalescing(): { readonly executed: number; readonly joined: number } {
    return { executed: this.misses.executed, joined: this.misses.joined };
  }

  private async compute(symbol: string, asOfDate: string): Promise<Float64Array> {
    const series = await this.options.market.readSeries(symbol);
    return this.options.computeFeatures(series, asOfDate);
  }

  /** Runs one cache call; an error is logged with the symbol and counted, and reads as "nothing cached". */
  private async survive<T>(
    tally: Tally,
    symbol: string,
    operation: string,
    call: () => Promise<T>,
  ): Promise<T | undefined> {
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
  if (!Array.isArray(symbols) || symbols.length === 0)
    throw new SignalInputError('invalid-symbol', 'At least one symbol is required');
  const seen = new Set<string>();
  for (const symbol of symbols) {
    assertValidSymbol(symbol);
    if (seen.has(symbol))
      throw new SignalInputError('invalid-symbol', `Duplicate symbol ${JSON.stringify(symbol)}: list each symbol once`);
    seen.add(symbol);
  }
  assertIsoDate(asOfDate);
}
