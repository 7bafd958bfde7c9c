import { describe, expect, it, vi } from 'vitest';
import { SignalInputError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { MarketDataSource } from '../market/market-data-source.ts';
import type { OhlcvSeries } from '../market/ohlcv-series.ts';
import { LinearModel } from './linear-model.ts';
import type { FeatureStore } from './signal-generator.ts';
import { SignalGenerator } from './signal-generator.ts';
import { emptySeries } from '../test-support/test-markets.ts';

const DATE = '2025-01-17';
const model = new LinearModel({
  name: 'm',
  version: '2.1.0',
  featureNames: ['a', 'b', 'c'],
  weights: Float64Array.from([1, -0.5, 0.25]),
  bias: 0.1,
});

/** Features derived from the symbol's letters: deterministic, different per symbol, with a NaN. */
const computeFeatures = (series: OhlcvSeries, asOfDate: string): Float64Array =>
  Float64Array.from([
    series.symbol.charCodeAt(0) / 7,
    series.symbol.length / 3 + Number(asOfDate.slice(-2)),
    Number.NaN,
  ]);

function fakeMarket(): MarketDataSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readSeries: async (symbol) => {
      reads.push(symbol);
      return emptySeries(symbol);
    },
  };
}

/** An in-memory FeatureStore whose calls can be made to fail. */
function fakeStore(fail: Partial<Record<keyof FeatureStore, Error>> = {}) {
  const data = new Map<string, Float64Array>();
  const calls: string[] = [];
  const check = (op: keyof FeatureStore): void => {
    calls.push(op);
    if (fail[op]) throw fail[op];
  };
  const store: FeatureStore = {
    get: async (symbol, date) => {
      check('get');
      return data.get(`${symbol}:${date}`) ?? null;
    },
    getMany: async (symbols, date) => {
      check('getMany');
      return symbols.map((s) => data.get(`${s}:${date}`) ?? null);
    },
    set: async (symbol, date, features) => {
      check('set');
      data.set(`${symbol}:${date}`, Float64Array.from(features));
    },
    setMany: async (entries, date) => {
      check('setMany');
      for (const e of entries) data.set(`${e.symbol}:${date}`, Float64Array.from(e.features));
    },
  };
  return { store, data, calls };
}

function recordingLogger(): Logger & { warnings: { message: string; fields?: Readonly<Record<string, unknown>> }[] } {
  const warnings: { message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
  return {
    warnings,
    debug: () => {},
    info: () => {},
    error: () => {},
    warn: (message, fields) => warnings.push({ message, fields }),
  };
}

const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL'];

describe('SignalGenerator input validation', () => {
  it.each<[string, string[], string, string]>([
    ['an empty list', [], DATE, 'invalid-symbol'],
    ['an invalid symbol', ['AAPL', 'no good'], DATE, 'invalid-symbol'],
    ['a duplicate', ['AAPL', 'MSFT', 'AAPL'], DATE, 'invalid-symbol'],
    ['a bad date', ['AAPL'], '2025-13-01', 'invalid-date'],
  ])('rejects %s before any I/O', async (_, symbols, date, code) => {
    const market = fakeMarket();
    const { store, calls } = fakeStore();
    const generator = new SignalGenerator({ model, market, featureCache: store, computeFeatures });
    const error = await generator.generate(symbols, date).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignalInputError);
    expect((error as SignalInputError).code).toBe(code);
    expect(market.reads).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe.each(['per-symbol', 'batched'] as const)('SignalGenerator (%s cache reads)', (cacheReads) => {
  it('computes on a miss, stores, then serves the same scores from the cache', async () => {
    const market = fakeMarket();
    const { store, data, calls } = fakeStore();
    const generator = new SignalGenerator({ model, market, featureCache: store, computeFeatures, cacheReads });
    const first = await generator.generate(SYMBOLS, DATE);
    expect(first.signals.map((s) => s.source)).toEqual(['computed', 'computed', 'computed']);
    expect(first.cache).toEqual({ enabled: true, hits: 0, misses: 3, errors: 0 });
    expect(first).toMatchObject({ asOfDate: DATE, modelName: 'm', modelVersion: '2.1.0' });
    expect([...data.keys()].sort()).toEqual(SYMBOLS.map((s) => `${s}:${DATE}`).sort());

    const second = await generator.generate(SYMBOLS, DATE);
    expect(second.signals.map((s) => s.source)).toEqual(['cache', 'cache', 'cache']);
    expect(second.cache).toEqual({ enabled: true, hits: 3, misses: 0, errors: 0 });
    expect(second.signals.map((s) => s.score)).toEqual(first.signals.map((s) => s.score));
    expect(market.reads).toEqual(SYMBOLS);
    if (cacheReads === 'batched') expect(calls).toEqual(['getMany', 'setMany', 'getMany']);
    else expect(calls).toEqual(['get', 'set', 'get', 'set', 'get', 'set', 'get', 'get', 'get']);
  });

  it('keeps the order of the request and scores with the model (NaN counts as 0)', async () => {
    const generator = new SignalGenerator({
      model,
      market: fakeMarket(),
      featureCache: null,
      computeFeatures,
      cacheReads,
    });
    const batch = await generator.generate(['MSFT', 'AAPL'], DATE);
    expect(batch.signals.map((s) => s.symbol)).toEqual(['MSFT', 'AAPL']);
    const f = computeFeatures({ symbol: 'AAPL' } as OhlcvSeries, DATE);
    expect(batch.signals[1]!.score).toBe(0.1 + f[0]! - 0.5 * f[1]!);
    expect(batch.cache).toEqual({ enabled: false, hits: 0, misses: 0, errors: 0 });
  });

  it('survives a cache whose every call throws: same signals, errors counted and logged with the symbol', async () => {
    const boom = new Error("Stream isn't writeable and enableOfflineQueue options is false");
    const { store } = fakeStore({ get: boom, set: boom, getMany: boom, setMany: boom });
    const logger = recordingLogger();
    const broken = new SignalGenerator({
      model,
      market: fakeMarket(),
      featureCache: store,
      computeFeatures,
      cacheReads,
      logger,
    });
    const without = new SignalGenerator({
      model,
      market: fakeMarket(),
      featureCache: null,
      computeFeatures,
      cacheReads,
    });
    const batch = await broken.generate(SYMBOLS, DATE);
    expect(batch.signals).toEqual((await without.generate(SYMBOLS, DATE)).signals);
    const expectedErrors = cacheReads === 'batched' ? 2 : 6;
    expect(batch.cache).toEqual({ enabled: true, hits: 0, misses: 3, errors: expectedErrors });
    expect(logger.warnings).toHaveLength(expectedErrors);
    expect(logger.warnings[0]!.fields).toMatchObject({ symbol: expect.stringContaining('AAPL'), error: boom.message });
  });

  it('survives a failing write alone and still answers from computation', async () => {
    const { store } = fakeStore({ set: new Error('Command timed out'), setMany: new Error('Command timed out') });
    const generator = new SignalGenerator({
      model,
      market: fakeMarket(),
      featureCache: store,
      computeFeatures,
      cacheReads,
    });
    const batch = await generator.generate(SYMBOLS, DATE);
    expect(batch.signals.every((s) => s.source === 'computed')).toBe(true);
    expect(batch.cache.errors).toBe(cacheReads === 'batched' ? 1 : 3);
  });

  it('lets market and feature errors fail the request (they are not cache errors)', async () => {
    const market: MarketDataSource = {
      readSeries: vi.fn(async (symbol: string) => {
        throw new SignalInputError('unknown-symbol', `no data for ${symbol}`);
      }),
    };
    const generator = new SignalGenerator({
      model,
      market,
      featureCache: fakeStore().store,
      computeFeatures,
      cacheReads,
    });
    await expect(generator.generate(['AAPL'], DATE)).rejects.toThrow(/no data for AAPL/);
  });
});
