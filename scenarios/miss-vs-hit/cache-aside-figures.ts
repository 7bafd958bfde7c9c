import { medianPairedGainPercent } from '../../bench/analysis/paired-gain.ts';
import { CACHE_ASIDE_METRICS } from './cache-aside-probe.ts';
import type { CacheAsideMetric, MixPair, ValueSizeKind } from './cache-aside-probe.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';

/**
 * One round: the p50 of each latency metric in ns (from that round's HDR trial histogram; absent
 * or NaN when the metric has no sample in the round), the value sizes seen, in bytes, and the
 * mixed batch's back-to-back pairs.
 */
export interface RoundSamples {
  readonly p50Ns: ReadonlyMap<CacheAsideMetric, number>;
  readonly valueBytes: ReadonlyMap<ValueSizeKind, readonly number[]>;
  readonly mixPairs: readonly MixPair[];
}

export interface MixShape {
  readonly batchSize: number;
  readonly cachedCount: number;
}

function medianBytes(round: RoundSamples, kind: ValueSizeKind): number {
  const samples = round.valueBytes.get(kind);
  return samples === undefined || samples.length === 0 ? Number.NaN : medianOf(samples);
}

function medianMs(round: RoundSamples, metric: CacheAsideMetric): number {
  return (round.p50Ns.get(metric) ?? Number.NaN) / NS_PER_MS;
}

/** The 80%-hit batch's improvement over the no-cache batch in %, over pairs timed back to back. */
export function pairedImprovementPercent(pairs: readonly MixPair[]): number {
  return medianPairedGainPercent(pairs.map((p) => ({ before: p.noCacheNs, after: p.cachedNs })));
}

/**
 * One figure per claim and round, from that round's medians. Ratios are taken within a round
 * (the same machine state for numerator and denominator), then judged across rounds.
 */
export function cacheAsideRoundFigures(round: RoundSamples, mix: MixShape): Record<string, number> {
  const hit = medianMs(round, CACHE_ASIDE_METRICS.hitSignal);
  const miss = medianMs(round, CACHE_ASIDE_METRICS.missSignal);
  const noCache = medianMs(round, CACHE_ASIDE_METRICS.mixNoCache);
  const cached = medianMs(round, CACHE_ASIDE_METRICS.mixCached);
  const predicted = mix.cachedCount * hit + (mix.batchSize - mix.cachedCount) * miss;
  return {
    'cache.hit-latency': hit,
    'cache.miss-latency': miss,
    'cache.speedup': miss / hit,
    'cache.parquet-read': medianMs(round, CACHE_ASIDE_METRICS.parquetRead),
    'cache.compute': medianMs(round, CACHE_ASIDE_METRICS.alpha158),
    'cache.redis-get': medianMs(round, CACHE_ASIDE_METRICS.redisGet),
    'cache.json-parse': medianMs(round, CACHE_ASIDE_METRICS.decodeDocumentDict),
    'cache.value-size': medianBytes(round, 'document-dict'),
    'cache.mix-no-cache': noCache,
    'cache.mix-with-cache': cached,
    'cache.mix-improvement': pairedImprovementPercent(round.mixPairs),
    'cache.mix-additive-model': cached / predicted,
  };
}

/** Per-round figures that are not claims but explain them. */
export function cacheAsideRoundExtras(round: RoundSamples): Record<string, number> {
  return { 'stored-value-bytes': medianBytes(round, 'stored') };
}

/** Transposes per-round figure records into per-claim trial lists. */
export function trialsByClaim(rounds: readonly Record<string, number>[]): Record<string, number[]> {
  const trials: Record<string, number[]> = {};
  for (const figures of rounds) {
    for (const [claimId, value] of Object.entries(figures)) (trials[claimId] ??= []).push(value);
  }
  return trials;
}
