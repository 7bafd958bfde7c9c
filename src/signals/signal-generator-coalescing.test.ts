import { describe, expect, it } from 'vitest';
import type { MarketDataSource } from '../market/market-data-source.ts';
import type { OhlcvSeries } from '../market/ohlcv-series.ts';
import { LinearModel } from './linear-model.ts';
import type { FeatureStore } from './signal-generator.ts';
import { SignalGenerator } from './signal-generator.ts';
import { emptySeries } from '../test-support/test-markets.ts';

const DATE = '2025-01-17';
const model = new LinearModel({
  name: 'm',
  version: '1',
  featureNames: ['a'],
  weights: Float64Array.from([2]),
  bias: 0,
});

/** A market whose reads wait until released, so that requests overlap for sure. */
function gatedMarket() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reads: string[] = [];
  const market: MarketDataSource = {
    readSeries: async (symbol) => {
      reads.push(symbol);
      await gate;
      return emptySeries(symbol);
    },
  };
  return { market, reads, release };
}

function emptyStore() {
  const sets: string[] = [];
  const store: FeatureStore = {
    get: async () => null,
    getMany: async (symbols) => symbols.map(() => null),
    set: async (symbol) => {
      sets.push(symbol);
    },
    setMany: async () => {},
  };
  return { store, sets };
}

const computeFeatures = (series: OhlcvSeries): Float64Array => Float64Array.from([series.symbol.length]);

describe('SignalGenerator miss coalescing (single flight)', () => {
  it('concurrent misses of one key compute and store once; every request gets the same signal', async () => {
    const { market, reads, release } = gatedMarket();
    const { store, sets } = emptyStore();
    const generator = new SignalGenerator({ model, market, featureCache: store, computeFeatures });
    const requests = Array.from({ length: 5 }, () => generator.generate(['AAPL'], DATE));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    const batches = await Promise.all(requests);
    expect(reads).toEqual(['AAPL']);
    expect(sets).toEqual(['AAPL']);
    expect(new Set(batches.map((b) => b.signals[0].score))).toEqual(new Set([8]));
    expect(batches.every((b) => b.cache.misses === 1 && b.signals[0].source === 'computed')).toBe(true);
    expect(generator.coalescing()).toEqual({ executed: 1, joined: 4 });
  });

  it('keeps different keys apart', async () => {
    const { market, reads, release } = gatedMarket();
    const generator = new SignalGenerator({ model, market, featureCache: emptyStore().store, computeFeatures });
    const requests = [
      generator.generate(['AAPL'], DATE),
      generator.generate(['MSFT'], DATE),
      generator.generate(['AAPL'], '2025-01-16'),
    ];
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await Promise.all(requests);
    expect(reads.sort()).toEqual(['AAPL', 'AAPL', 'MSFT']);
  });

  it('with coalesceMisses false every miss computes (the miss storm)', async () => {
    const { market, reads, release } = gatedMarket();
    const { store, sets } = emptyStore();
    const generator = new SignalGenerator({
      model,
      market,
      featureCache: store,
      computeFeatures,
      coalesceMisses: false,
    });
    const requests = Array.from({ length: 4 }, () => generator.generate(['AAPL'], DATE));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await Promise.all(requests);
    expect(reads).toHaveLength(4);
    expect(sets).toHaveLength(4);
  });
});
