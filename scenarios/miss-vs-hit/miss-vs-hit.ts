import os from 'node:os';
import { CODEC_NAMES } from '../../src/cache/codec-registry.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { cacheAsideRoundExtras, cacheAsideRoundFigures, trialsByClaim } from './cache-aside-figures.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import type { RoundSamples } from './cache-aside-figures.ts';
import { claimsForScenario } from '../../bench/analysis/claim-registry.ts';
import { notMeasuredVerdict } from '../../bench/analysis/claim-coverage.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { CacheAsideProbe } from './cache-aside-probe.ts';
import { CACHE_ASIDE_METRICS } from './cache-aside-probe.ts';
import type { CacheAsideMetric, ValueSizeKind } from './cache-aside-probe.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import { MeasuredRounds } from '../../bench/run/measured-rounds.ts';
import type { RoundPlan } from '../../bench/run/round-runner.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/core/scenario.ts';
import { openSignalSystem } from '../../bench/run/signal-system.ts';

export interface MissVsHitParams extends RoundPlan {
  /** Symbols in the market data set (3 years of daily bars each). */
  readonly symbolCount: number;
  /** As-of dates are drawn from the last this-many trading days of the data set. */
  readonly asOfDateCount: number;
  /** The document's worked example: 5 symbols per request, 4 of them cached (80% hit rate). */
  readonly mixBatchSize: number;
  readonly mixCachedCount: number;
  readonly ttlSeconds: number;
  /** The service's codec by name (CODEC_NAMES): json-array (compact, its default), json-object (the document's dict), ... */
  readonly codec: string;
}

export const DEFAULT_MISS_VS_HIT_PARAMS: MissVsHitParams = {
  rounds: 7,
  roundDurationMs: 3_000,
  minIterationsPerRound: 5,
  maxIterationsPerRound: 2_000,
  warmupDurationMs: 1_000,
  warmupIterations: 5,
  symbolCount: 500,
  asOfDateCount: 250,
  mixBatchSize: 5,
  mixCachedCount: 4,
  ttlSeconds: 3_600,
  codec: 'json-array',
};

/** --quick: 3 rounds (the fewest that give a verdict), short rounds, 60 symbols (same file size). */
export const QUICK_MISS_VS_HIT_PARAMS: MissVsHitParams = {
  ...DEFAULT_MISS_VS_HIT_PARAMS,
  rounds: 3,
  roundDurationMs: 600,
  warmupDurationMs: 300,
  warmupIterations: 3,
  symbolCount: 60,
  asOfDateCount: 60,
};

type RoundSizes = Map<ValueSizeKind, number[]>;

/** Each round's p50 per metric, from the recorders' per-trial HDR histograms. */
function roundSamples(recorders: ScenarioContext['recorders'], sizes: readonly RoundSizes[]): RoundSamples[] {
  const metrics = Object.values(CACHE_ASIDE_METRICS);
  const trials = new Map(metrics.map((metric) => [metric, recorders.metric(metric).trialHistograms()] as const));
  return sizes.map((valueBytes, round) => ({
    p50Ns: new Map(
      metrics.map((metric) => {
        const histogram = trials.get(metric)?.[round];
        return [
          metric,
          histogram === undefined || histogram.totalCount === 0 ? Number.NaN : histogram.getValueAtPercentile(50),
        ] as const;
      }),
    ),
    valueBytes,
  }));
}

/** What `--set` may change; the rest of MissVsHitParams follows from these. */
export const MISS_VS_HIT_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: { kind: 'integer', min: 3, max: 1_000, description: 'rounds (trials behind every verdict)' },
  roundDurationMs: { kind: 'integer', min: 50, max: 600_000, description: 'length of one round' },
  minIterationsPerRound: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'iterations every round runs at least, however long it takes (samples per round for the gate)',
  },
  warmupDurationMs: { kind: 'integer', min: 0, max: 600_000, description: 'warm-up before the first round' },
  symbolCount: { kind: 'integer', min: 5, max: 5_000, description: 'symbols in the market data set' },
  asOfDateCount: { kind: 'integer', min: 1, max: 700, description: 'as-of dates drawn from the last N trading days' },
  mixCachedCount: {
    kind: 'integer',
    min: 0,
    max: 5,
    description: 'cached symbols of the 5-symbol batch (4 = 80% hit rate)',
  },
  ttlSeconds: { kind: 'integer', min: 1, max: 86_400 * 30, description: 'TTL of cached features' },
  codec: {
    kind: 'choice',
    values: CODEC_NAMES,
    description: "service codec (json-object is the document's dict; the compression scenario compares them all)",
  },
};

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  list.push(value);
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { params: runParams, recorders, progress } = context;
  const params: MissVsHitParams = {
    ...(runParams.quick ? QUICK_MISS_VS_HIT_PARAMS : DEFAULT_MISS_VS_HIT_PARAMS),
    ...context.overrides,
  };
  const dataset = await prepareDataset(datasetParams(params.symbolCount, runParams.seed), runParams.dataDir, progress);
  const dates = tradingDaysEndingAt(dataset.endDate, params.asOfDateCount);
  const system = await openSignalSystem({
    redisUrl: context.redisUrl,
    dataDir: dataset.dir,
    missExtraMs: runParams.missExtraMs,
    ttlSeconds: params.ttlSeconds,
    codec: params.codec,
    signal: context.signal,
    createClient: context.topology?.createClient,
  });
  const anomalies: string[] = [];
  const sizes: RoundSizes[] = [];
  let current: RoundSizes = new Map();
  const rounds = new MeasuredRounds(context, 'miss-vs-hit', params);
  try {
    const probe = new CacheAsideProbe(
      system,
      {
        symbols: dataset.symbols,
        dates,
        mixBatchSize: params.mixBatchSize,
        mixCachedCount: params.mixCachedCount,
        ttlSeconds: params.ttlSeconds,
      },
      SeededRandom.forKey(runParams.seed, 'miss-vs-hit'),
    );
    const sink = {
      latency(metric: CacheAsideMetric, ns: number) {
        if (rounds.measuring) recorders.metric(metric).recordNs(ns);
      },
      valueBytes(kind: ValueSizeKind, bytes: number) {
        if (rounds.measuring) push(current, kind, bytes);
      },
      anomaly(message: string) {
        if (anomalies.length < 20) anomalies.push(message);
      },
    };
    progress(`warm-up ${params.warmupDurationMs} ms, then ${params.rounds} rounds of ${params.roundDurationMs} ms`);
    const scenario = 'miss-vs-hit';
    const result = await rounds.run({
      iterate: () => probe.iterate(sink),
      onIntervalCut: () => {
        const hit = recorders.metric(CACHE_ASIDE_METRICS.hitSignal);
        const last = hit.intervals().at(-1);
        if (last !== undefined && last.endTimeMs > last.startTimeMs) {
          const total = hit.total();
          context.progressEvent({
            kind: 'stats',
            scenario,
            metric: CACHE_ASIDE_METRICS.hitSignal,
            opsPerSecond: last.totalCount / ((last.endTimeMs - last.startTimeMs) / 1000),
            p99Ms: total.totalCount === 0 ? null : total.getValueAtPercentile(99) / 1e6,
          });
        }
      },
      onRoundDone: () => {
        sizes.push(current);
        current = new Map();
      },
    });
    const roundFigures = roundSamples(recorders, sizes);
    const mix = { batchSize: params.mixBatchSize, cachedCount: params.mixCachedCount };
    const trials = trialsByClaim(roundFigures.map((r) => cacheAsideRoundFigures(r, mix)));
    const conditions = [
      `${context.network}, ${context.targetKind} Redis ${context.redisVersion}${context.topology !== undefined && context.topology.kind !== 'standalone' ? ` (${context.topology.description})` : ''}`,
      `Node ${process.version}, ${os.cpus().length} CPUs`,
      `${system.codec.name} codec, ${dataset.symbols.length} symbols x ${dataset.tradingDays} trading days (Parquet, local disk, OS page cache warm)`,
      runParams.missExtraMs > 0
        ? `--miss-extra-ms ${runParams.missExtraMs}: ${runParams.missExtraMs} ms SIMULATED latency added to every Parquet read`
        : 'no simulated latency',
    ].join('; ');
    const verdicts = claimsForScenario('miss-vs-hit').map((claim) =>
      // With a simulated delay the Parquet step measures mostly the delay the user asked for.
      claim.id === 'cache.parquet-read' && runParams.missExtraMs > 0
        ? notMeasuredVerdict(
            claim,
            `with --miss-extra-ms ${runParams.missExtraMs} the Parquet read is mostly the simulated delay; run without it to judge this claim`,
          )
        : judgeClaim(claim, trials[claim.id] ?? [], conditions),
    );
    const notes = [
      `${result.warmupIterations} warm-up iterations excluded; iterations per round: ${result.iterationsPerRound.join(', ')}`,
      'each iteration interleaves: 1 miss and 1 hit through SignalGenerator, each step timed alone (Parquet read, Alpha158, encode, SET, GET, decode, FeatureCache.get), then the 5-symbol batch without cache and with 4 of 5 cached',
      ...anomalies.map((a) => `anomaly: ${a}`),
    ];
    if (result.interrupted)
      notes.push(
        'interrupted: fewer rounds than planned; the unfinished round is in the histograms but is not a trial',
      );
    const featureStats = system.featureCache.stats();
    const storedBytes = roundFigures.map((r) => cacheAsideRoundExtras(r)['stored-value-bytes']).filter(Number.isFinite);
    return {
      values: {
        'stored-value-bytes': {
          value: storedBytes.length > 0 ? medianOf(storedBytes) : null,
          unit: 'bytes',
          description: `median size of a stored value with the service codec (${system.codec.name}, 4-byte header included); the size claim is judged on the document's dict form`,
        },
        'cache-stats.hits': {
          value: featureStats.hits,
          unit: 'count',
          description: 'FeatureCache hits during the whole scenario (warm-up included)',
        },
        'cache-stats.misses': {
          value: featureStats.misses,
          unit: 'count',
          description: 'FeatureCache misses during the whole scenario (warm-up included)',
        },
        'cache-stats.corrupt': {
          value: featureStats.corrupt,
          unit: 'count',
          description: 'values that did not decode (expected 0)',
        },
      },
      trials,
      verdicts,
      parameters: {
        ...params,
        dataset: {
          dir: dataset.dir,
          symbols: dataset.symbols.length,
          startDate: dataset.startDate,
          endDate: dataset.endDate,
          tradingDays: dataset.tradingDays,
          seed: dataset.seed,
        },
        missExtraMs: runParams.missExtraMs,
      },
      notes,
    };
  } finally {
    await system.close();
  }
}

export const missVsHit: Scenario = {
  id: 'miss-vs-hit',
  description:
    "Cache-aside feature path: one symbol on a miss vs a hit, each step timed alone, and the document's 5-symbol / 80%-hit worked example.",
  claims: claimsForScenario('miss-vs-hit').map((c) => c.id),
  tunables: MISS_VS_HIT_TUNABLES,
  // On a cluster the batch reads and writes go through the slot-aware FeatureCache (one MGET per slot).
  topologies: ['standalone', 'sentinel', 'cluster'],
  run,
};
