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

/** The 5-symbol batch timed both ways back to back, in ns: one pair behind the improvement figure. */
export interface MixPair {
  readonly noCacheNs: number;
  readonly cachedNs: number;
}

/** Where one probe's figures go: a latency in ns, a size in bytes, or a pair of mixed-batch timings. */
export interface ProbeSink {
  latency(metric: CacheAsideMetric, ns: number): void;
  valueBytes(kind: ValueSizeKind, bytes: number): void;
  mixPair(pair: MixPair): void;
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

/** One cache key: a symbol and an as-of date. */
interface FeatureKeyParts {
  readonly symbol: string;
  readonly date: string;
}

function pick<T>(items: readonly T[], random: SeededRandom): T {
  return items[Math.floor(random.nextFloat() * items.length)];
}

/**
 * The mixed batches of one trial: one as-of date and the symbols in a shuffled order; each batch is
 * the next window of 5 in that order, one further on, so 4 of its symbols were the previous batch's
 * (cached by its 80%-hit run) and only the last is new.
 */
interface MixWindow {
  readonly date: string;
  readonly order: readonly string[];
  next: number;
}

/** The next batch of a window: its date and `size` symbols, the window then one further on. */
function nextBatch(mix: MixWindow, size: number): { date: string; symbols: string[] } {
  const symbols = Array.from({ length: size }, (_, k) => mix.order[(mix.next + k) % mix.order.length]);
  mix.next += 1;
  return { date: mix.date, symbols };
}

/** Where a trial stands: its next hit's key, its iterations so far (their parity picks the order), its window. */
interface TrialState {
  /** The key the previous miss filled: present, so the next hit uses it. */
  lastFilled: FeatureKeyParts;
  iteration: number;
  readonly mix: MixWindow;
}

/**
 * One interleaved iteration of the miss-vs-hit scenario: the single-symbol miss and hit paths,
 * each step on its own, then the document's mixed batch with and without a cache. Interleaving
 * exposes every metric to the same machine noise, so ratios measured in one round are fair; the
 * order of the miss and the hit, and of the two batches, swaps every iteration (ABAB), so neither
 * always runs first. Set-up work (UNLINK to force a miss, pre-warming the cached part of a batch,
 * filling the key of a trial's first hit) is never timed.
 */
export class CacheAsideProbe {
  private readonly registry = createDefaultCodecRegistry();
  private trial: TrialState | null = null;

  constructor(
    private readonly system: SignalSystem,
    private readonly workload: ProbeWorkload,
    private readonly random: SeededRandom,
  ) {}

  /**
   * Puts a trial at its defined start, untimed: the key of its first hit freshly filled (a
   * generate() after an UNLINK), a new window of mixed batches, and the variant order back to
   * miss-first, no-cache-first.
   */
  async startTrial(): Promise<TrialState> {
    const key = this.randomKey();
    await this.system.harness.unlink(featureKey(key.symbol, key.date));
    await this.system.cached.generate([key.symbol], key.date);
    this.trial = {
      lastFilled: key,
      iteration: 0,
      mix: {
        date: pick(this.workload.dates, this.random),
        order: this.random.shuffled(this.workload.symbols),
        next: 0,
      },
    };
    return this.trial;
  }

  async iterate(sink: ProbeSink): Promise<void> {
    const trial = this.trial ?? (await this.startTrial());
    const missFirst = trial.iteration % 2 === 0;
    trial.iteration += 1;
    await this.singleSymbol(sink, trial, missFirst);
    await this.steps(sink);
    await this.mixedBatch(sink, nextBatch(trial.mix, this.workload.mixBatchSize), missFirst);
  }

  private randomKey(): FeatureKeyParts {
    return { symbol: pick(this.workload.symbols, this.random), date: pick(this.workload.dates, this.random) };
  }

  /** A miss on a fresh key and a hit on the key the previous miss filled, in the order given. */
  private async singleSymbol(sink: ProbeSink, trial: TrialState, missFirst: boolean): Promise<void> {
    const warm = trial.lastFilled;
    let cold = this.randomKey();
    // Never UNLINK the key the hit relies on.
    while (cold.symbol === warm.symbol && cold.date === warm.date) cold = this.randomKey();
    if (missFirst) {
      await this.miss(cold, sink);
      await this.hit(warm, sink);
    } else {
      await this.hit(warm, sink);
      await this.miss(cold, sink);
    }
    trial.lastFilled = cold;
  }

  private async miss({ symbol, date }: FeatureKeyParts, sink: ProbeSink): Promise<void> {
    await this.system.harness.unlink(featureKey(symbol, date));
    const start = nowNs();
    const miss = await this.system.cached.generate([symbol], date);
    const missNs = elapsedNs(start);
    // A sample is recorded only when the path really was the one named: a planned miss that hit
    // (or a cache error) would otherwise land in the wrong histogram.
    if (miss.cache.misses === 1 && miss.cache.errors === 0) sink.latency(CACHE_ASIDE_METRICS.missSignal, missNs);
    else sink.anomaly(`expected a miss for ${symbol} ${date}, got ${JSON.stringify(miss.cache)}; sample dropped`);
  }

  private async hit({ symbol, date }: FeatureKeyParts, sink: ProbeSink): Promise<void> {
    const start = nowNs();
    const hit = await this.system.cached.generate([symbol], date);
    const hitNs = elapsedNs(start);
    if (hit.cache.hits === 1) sink.latency(CACHE_ASIDE_METRICS.hitSignal, hitNs);
    else sink.anomaly(`expected a hit for ${symbol} ${date}, got ${JSON.stringify(hit.cache)}; sample dropped`);
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

  /**
   * The 5-symbol batch without a cache and with 4 of 5 cached, in the order given. The with-cache
   * run SETs its missing key again, so an UNLINK here never leaves the next hit's key absent.
   */
  private async mixedBatch(
    sink: ProbeSink,
    { date, symbols }: { date: string; symbols: readonly string[] },
    noCacheFirst: boolean,
  ): Promise<void> {
    let noCacheNs: number;
    let cachedNs: number | null;
    if (noCacheFirst) {
      noCacheNs = await this.mixWithoutCache(sink, symbols, date);
      cachedNs = await this.mixWithCache(sink, symbols, date);
    } else {
      cachedNs = await this.mixWithCache(sink, symbols, date);
      noCacheNs = await this.mixWithoutCache(sink, symbols, date);
    }
    if (cachedNs !== null) sink.mixPair({ noCacheNs, cachedNs });
  }

  private async mixWithoutCache(sink: ProbeSink, symbols: readonly string[], date: string): Promise<number> {
    const start = nowNs();
    await this.system.uncached.generate([...symbols], date);
    const ns = elapsedNs(start);
    sink.latency(CACHE_ASIDE_METRICS.mixNoCache, ns);
    return ns;
  }

  /** The timed 80%-hit batch in ns, or null when its cache tally was not the one set up (sample dropped). */
  private async mixWithCache(sink: ProbeSink, symbols: readonly string[], date: string): Promise<number | null> {
    const { system, workload } = this;
    // Set-up, untimed: the first mixCachedCount symbols cached, the rest certainly not.
    const cachedPart = symbols.slice(0, workload.mixCachedCount);
    const coldPart = symbols.slice(workload.mixCachedCount);
    if (cachedPart.length > 0) await system.cached.generate(cachedPart, date);
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
      return ns;
    }
    sink.anomaly(
      `mixed batch expected ${cachedPart.length} hits / ${coldPart.length} misses, got ${JSON.stringify(batch.cache)}; sample dropped`,
    );
    return null;
  }
}
