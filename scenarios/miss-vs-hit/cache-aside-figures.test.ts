import { describe, expect, it } from 'vitest';
import { CACHE_ASIDE_METRICS } from './cache-aside-probe.ts';
import type { CacheAsideMetric, MixPair, ValueSizeKind } from './cache-aside-probe.ts';
import {
  cacheAsideRoundExtras,
  cacheAsideRoundFigures,
  pairedImprovementPercent,
  trialsByClaim,
} from './cache-aside-figures.ts';

const ms = (v: number): number => v * 1e6;

function round(
  values: Partial<Record<CacheAsideMetric, number>>,
  dictBytes: number[] = [5000],
  storedBytes: number[] = [3000],
  mixPairs: MixPair[] = [],
) {
  return {
    p50Ns: new Map(Object.entries(values) as [CacheAsideMetric, number][]),
    valueBytes: new Map<ValueSizeKind, number[]>([
      ['document-dict', dictBytes],
      ['stored', storedBytes],
    ]),
    mixPairs,
  };
}

describe('cacheAsideRoundFigures', () => {
  it('reproduces the document arithmetic from its own figures', () => {
    const figures = cacheAsideRoundFigures(
      round(
        {
          [CACHE_ASIDE_METRICS.hitSignal]: ms(5),
          [CACHE_ASIDE_METRICS.missSignal]: ms(50),
          [CACHE_ASIDE_METRICS.mixNoCache]: ms(250),
          [CACHE_ASIDE_METRICS.mixCached]: ms(70),
          [CACHE_ASIDE_METRICS.decode]: ms(0.01),
          [CACHE_ASIDE_METRICS.decodeDocumentDict]: ms(0.03),
        },
        [5000],
        [3000],
        [{ noCacheNs: ms(250), cachedNs: ms(70) }],
      ),
      { batchSize: 5, cachedCount: 4 },
    );
    expect(figures['cache.speedup']).toBe(10);
    expect(figures['cache.mix-improvement']).toBeCloseTo(72, 10);
    expect(figures['cache.mix-additive-model']).toBeCloseTo(1, 10);
    expect(figures['cache.hit-latency']).toBe(5);
    // "JSON parse (0.5ms)" is judged on the document's dict, not on the service codec's decode.
    expect(figures['cache.json-parse']).toBeCloseTo(0.03, 12);
    // The size claim is about the document's dict; the stored size (service codec) is an extra.
    expect(figures['cache.value-size']).toBe(5000);
    expect(cacheAsideRoundExtras(round({}))['stored-value-bytes']).toBe(3000);
  });

  it('converts each round p50 from ns to ms', () => {
    const figures = cacheAsideRoundFigures(round({ [CACHE_ASIDE_METRICS.redisGet]: 123_000 }), {
      batchSize: 5,
      cachedCount: 4,
    });
    expect(figures['cache.redis-get']).toBeCloseTo(0.123, 12);
  });

  it('takes the median of the value sizes, so one odd value does not move it', () => {
    const figures = cacheAsideRoundFigures(round({}, [4000, 4100, 90_000]), { batchSize: 5, cachedCount: 4 });
    expect(figures['cache.value-size']).toBe(4100);
  });

  it('gives NaN for a metric with no samples (reported as not measured, never as zero)', () => {
    const figures = cacheAsideRoundFigures(round({}, [], []), { batchSize: 5, cachedCount: 4 });
    expect(figures['cache.hit-latency']).toBeNaN();
    expect(figures['cache.value-size']).toBeNaN();
    expect(figures['cache.mix-improvement']).toBeNaN();
  });
});

describe('pairedImprovementPercent', () => {
  it('is the median of the per-pair improvements, not the improvement of the two medians', () => {
    const pairs = [
      { noCacheNs: 100, cachedNs: 40 }, // 60%
      { noCacheNs: 200, cachedNs: 100 }, // 50%
      { noCacheNs: 300, cachedNs: 90 }, // 70%
    ];
    // Medians 200 and 90 would give 55%; the pairs' own improvements have the median 60%.
    expect(pairedImprovementPercent(pairs)).toBeCloseTo(60, 12);
  });

  it('cancels a slowdown that hits both halves of a pair', () => {
    const calm = { noCacheNs: 100, cachedNs: 40 };
    const busy = { noCacheNs: 300, cachedNs: 120 };
    expect(pairedImprovementPercent([calm, busy, busy])).toBeCloseTo(60, 12);
  });

  it('keeps a pair where the cached batch was slower (a negative improvement)', () => {
    expect(pairedImprovementPercent([{ noCacheNs: 100, cachedNs: 150 }])).toBeCloseTo(-50, 12);
  });
});

describe('trialsByClaim', () => {
  it('collects each claim figure across rounds in order', () => {
    expect(
      trialsByClaim([
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ]),
    ).toEqual({ a: [1, 3], b: [2, 4] });
  });
});
