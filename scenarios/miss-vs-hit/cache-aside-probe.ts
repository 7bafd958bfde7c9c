import { decodeValue, encodeValue } from '../../src/cache/codec.ts';
import { createDefaultCodecRegistry } from '../../src/cache/codec-registry.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { unlinkKeys } from '../../src/cache/slot-batches.ts';
import { jsonObjectCodec } from '../../src/cache/json-object-codec.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import type { SeededRandom } from '../../src/market/seeded-random.ts';
import { elapsedNs, nowNs } from '../../bench/measure/clock.ts';
import type { SignalSystem } from '../../bench/run/signal-system.ts';

/** Latency metrics of one probe iteration, in the order they are taken. */
export const CACHE_ASIDE_METRICS = {
  missSignal: 'miss.signal',
  hitSignal: 'hit.signal',
  hitFeatures: 'hit.features',
  parquetRead: 'step.parquet-read',
  alpha158: 'step.alpha158',
  encode: 'step.encode',
  redisSet: 'step.redis-set',
  redisGet: 'step.redis-get',
  decode: 'step.decode',
  decodeDocumentDict: 'step.decode-document-dict',
  mixNoCache: 'mix.no-cache',
  mixCached: 'mix.cached',
} as const;
export type CacheAsideMetric = (typeof CACHE_ASIDE_METRICS)[keyof typeof CACHE_ASIDE_METRICS];

/**
 * Sizes of one feature vector: as stored with the service's codec, and in the document's own
 * format (`json.dumps` of a dict of 158 named floats), which its "~5KB" claim is about.
 */
export type ValueSizeKind = 'stored' | 'document-dict';

/** Where one probe's figures go: a latency in ns, or a size in bytes. */
export interface ProbeSink {
  latency(metric: CacheAsideMetric, ns: number): void;
  valueBytes(kind: ValueSizeKind, bytes: number): void;
  /** A batch whose cache tally differed from what was set up (eviction, expiry, errors). */
  anomaly(message: string): void;
}

export interface ProbeWorkload {
  readonly symbols: readonly string[];
  readonly dates: readonly string[];
  readonly mixBatchSize: number;
  readonly mixCachedCount: number;
  readonly ttlSeconds: number;
}

function pick<T>(items: readonly T[], random: SeededRandom): T {
  return items[Math.floor(random.nextFloat() * items.length)];
}

function distinct<T>(items: readonly T[], count: number, random: SeededRandom): T[] {
  const chosen = new Set<T>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(pick(items, random));
  return [...chosen];
}

/**
 * One interleaved iteration of the miss-vs-hit scenario: the single-symbol miss and hit paths,
 * each step on its own, then the document's mixed batch with and without a cache. Interleaving
 * exposes every metric to the same machine noise, so ratios measured in one round are fair.
 * Set-up work (UNLINK to force a miss, pre-warming the cached part of a batch) is never timed.
 */
export class CacheAsideProbe {
  private readonly registry = createDefaultCodecRegistry();
  /** The key the previous iteration's miss filled: warm, so the next iteration's hit uses it. */
  private lastFilled: { symbol: string; date: string } | null = null;
  private mixCount = 0;

  constructor(
    private readonly system: SignalSystem,
    private readonly workload: ProbeWorkload,
    private readonly random: SeededRandom,
  ) {}

  async iterate(sink: ProbeSink): Promise<void> {
    await this.singleSymbol(sink);
    await this.steps(sink);
    await this.mixedBatch(sink);
  }

  private async singleSymbol(sink: ProbeSink): Promise<void> {
    const { system } = this;
    const symbol = pick(this.workload.symbols, this.random);
    const date = pick(this.workload.dates, this.random);
    await system.harness.unlink(featureKey(symbol, date));
    let start = nowNs();
    const miss = await system.cached.generate([symbol], date);
    const missNs = elapsedNs(start);
    // A sample is recorded only when the path really was the one named: a planned miss that hit
    // (or a cache error) would otherwise land in the wrong histogram.
    if (miss.cache.misses === 1 && miss.cache.errors === 0) sink.latency(CACHE_ASIDE_METRICS.missSignal, missNs);
    else sink.anomaly(`expected a miss for ${symbol} ${date}, got ${JSON.stringify(miss.cache)}; sample dropped`);

    const warm = this.lastFilled ?? { symbol, date };
    start = nowNs();
    const hit = await system.cached.generate([warm.symbol], warm.date);
    const hitNs = elapsedNs(start);
    if (hit.cache.hits === 1) sink.latency(CACHE_ASIDE_METRICS.hitSignal, hitNs);
    else
      sink.anomaly(`expected a hit for ${warm.symbol} ${warm.date}, got ${JSON.stringify(hit.cache)}; sample dropped`);
    this.lastFilled = { symbol, date };
  }

  private async steps(sink: ProbeSink): Promise<void> {
    const { system } = this;
    const symbol = pick(this.workload.symbols, this.random);
    const date = pick(this.workload.dates, this.random);
    const key = featureKey(symbol, date);

    let start = nowNs();
    const series = await system.market.readSeries(symbol);
    sink.latency(CACHE_ASIDE_METRICS.parquetRead, elapsedNs(start));

    start = nowNs();
    const features = computeAlpha158(series, date);
    sink.latency(CACHE_ASIDE_METRICS.alpha158, elapsedNs(start));

    start = nowNs();
    const value = encodeValue(system.codec, features);
    sink.latency(CACHE_ASIDE_METRICS.encode, elapsedNs(start));

    start = nowNs();
    await system.harness.set(key, value, 'EX', this.workload.ttlSeconds);
    sink.latency(CACHE_ASIDE_METRICS.redisSet, elapsedNs(start));

    start = nowNs();
    const stored = await system.harness.getBuffer(key);
    sink.latency(CACHE_ASIDE_METRICS.redisGet, elapsedNs(start));
    if (stored === null) {
      sink.anomaly(`value for ${key} vanished right after SET`);
      return;
    }
    sink.valueBytes('stored', stored.length);

    start = nowNs();
    const decoded = decodeValue(this.registry, stored);
    sink.latency(CACHE_ASIDE_METRICS.decode, elapsedNs(start));
    if (!decoded.ok) sink.anomaly(`stored value for ${key} did not decode: ${decoded.reason}`);

    // The document's own format (a dict of 158 named floats): its size and parse cost are what
    // the document's "~5KB" and "JSON parse (0.5ms)" describe, whatever codec the service uses.
    const documentDict = encodeValue(jsonObjectCodec, features);
    sink.valueBytes('document-dict', documentDict.length);
    start = nowNs();
    const dictDecoded = decodeValue(this.registry, documentDict);
    sink.latency(CACHE_ASIDE_METRICS.decodeDocumentDict, elapsedNs(start));
    if (!dictDecoded.ok) sink.anomaly(`document dict for ${key} did not decode: ${dictDecoded.reason}`);

    start = nowNs();
    const viaCache = await system.featureCache.get(symbol, date);
    sink.latency(CACHE_ASIDE_METRICS.hitFeatures, elapsedNs(start));
    if (viaCache === null) sink.anomaly(`FeatureCache.get missed ${key} right after SET`);
  }

  private async mixedBatch(sink: ProbeSink): Promise<void> {
    const { workload } = this;
    const date = pick(workload.dates, this.random);
    // Never UNLINK the key the next iteration's hit relies on.
    const candidates =
      this.lastFilled !== null && this.lastFilled.date === date
        ? workload.symbols.filter((s) => s !== this.lastFilled?.symbol)
        : workload.symbols;
    const symbols = distinct(candidates, workload.mixBatchSize, this.random);
    // Alternate which variant goes first, so neither always finds the other's files and JIT warm.
    this.mixCount += 1;
    if (this.mixCount % 2 === 0) {
      await this.mixWithoutCache(sink, symbols, date);
      await this.mixWithCache(sink, symbols, date);
    } else {
      await this.mixWithCache(sink, symbols, date);
      await this.mixWithoutCache(sink, symbols, date);
    }
  }

  private async mixWithoutCache(sink: ProbeSink, symbols: readonly string[], date: string): Promise<void> {
    const start = nowNs();
    await this.system.uncached.generate([...symbols], date);
    sink.latency(CACHE_ASIDE_METRICS.mixNoCache, elapsedNs(start));
  }

  private async mixWithCache(sink: ProbeSink, symbols: readonly string[], date: string): Promise<void> {
    const { system, workload } = this;
    // Set-up, untimed: the first mixCachedCount symbols cached, the rest certainly not.
    const cachedPart = symbols.slice(0, workload.mixCachedCount);
    const coldPart = symbols.slice(workload.mixCachedCount);
    await system.cached.generate(cachedPart, date);
    // One UNLINK per slot on a cluster (never CROSSSLOT), one UNLINK on a single server.
    if (coldPart.length > 0)
      await unlinkKeys(
        system.harness,
        coldPart.map((s) => featureKey(s, date)),
      );

    const start = nowNs();
    const batch = await system.cached.generate([...symbols], date);
    const ns = elapsedNs(start);
    if (batch.cache.hits === cachedPart.length && batch.cache.misses === coldPart.length && batch.cache.errors === 0) {
      sink.latency(CACHE_ASIDE_METRICS.mixCached, ns);
    } else {
      sink.anomaly(
        `mixed batch expected ${cachedPart.length} hits / ${coldPart.length} misses, got ${JSON.stringify(batch.cache)}; sample dropped`,
      );
    }
  }
}
