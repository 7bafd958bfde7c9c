import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { cacheAsideRoundExtras, cacheAsideRoundFigures, trialsByClaim } from './cache-aside-figures.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import type { RoundSamples } from './cache-aside-figures.ts';
import { MISS_VS_HIT_CLAIMS } from './claims.ts';
import { notMeasuredVerdict } from '../../bench/analysis/claim-coverage.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { CacheAsideProbe } from './cache-aside-probe.ts';
import { CACHE_ASIDE_METRICS } from './cache-aside-probe.ts';
import type { CacheAsideMetric, MixPair, ValueSizeKind } from './cache-aside-probe.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import { MeasuredRounds } from '../../bench/run/measured-rounds.ts';
import type { RoundsResult } from '../../bench/run/round-runner.ts';
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { MS_PER_S, NS_PER_MS } from '../../bench/core/units.ts';
import type { DatasetInfo } from '../../src/market/dataset.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { openSignalSystem } from '../../bench/run/signal-system.ts';
import type { SignalSystem } from '../../bench/run/signal-system.ts';
import { environmentConditions, figure, roundsOfPart, scenarioParams } from '../../bench/run/scenario-kit.ts';
import { DEFAULT_MISS_VS_HIT_PARAMS, MISS_VS_HIT_TUNABLES, QUICK_MISS_VS_HIT_PARAMS } from './miss-vs-hit-params.ts';
import type { MissVsHitParams } from './miss-vs-hit-params.ts';

const SCENARIO_ID = 'miss-vs-hit';

type RoundSizes = Map<ValueSizeKind, number[]>;

/** What one round collected besides the histograms: value sizes by kind and the mixed batch's pairs. */
interface RoundExtras {
  readonly sizes: RoundSizes;
  readonly mixPairs: MixPair[];
}

const emptyExtras = (): RoundExtras => ({ sizes: new Map(), mixPairs: [] });

/** Each round's p50 per metric, from the recorders' per-trial HDR histograms, with its extras. */
function roundSamples(recorders: ScenarioContext['recorders'], extras: readonly RoundExtras[]): RoundSamples[] {
  const metrics = Object.values(CACHE_ASIDE_METRICS);
  const trials = new Map(metrics.map((metric) => [metric, recorders.metric(metric).trialHistograms()] as const));
  return extras.map(({ sizes: valueBytes, mixPairs }, round) => ({
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
    mixPairs,
  }));
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  list.push(value);
}

/** What the rounds collected besides the histograms. */
interface CacheAsideRounds {
  readonly result: RoundsResult;
  /** Each finished round's value sizes by kind and mixed-batch pairs. */
  readonly extras: readonly RoundExtras[];
  /** The first 20 anomalies. */
  readonly anomalies: readonly string[];
}

/** The live stats line: the hit path's rate in the last interval and its p99 so far. */
function reportHitStats(context: ScenarioContext): void {
  const hit = context.recorders.metric(CACHE_ASIDE_METRICS.hitSignal);
  const last = hit.intervals().at(-1);
  if (last === undefined || last.endTimeMs <= last.startTimeMs) return;
  const total = hit.total();
  context.progressEvent({
    kind: 'stats',
    scenario: SCENARIO_ID,
    metric: CACHE_ASIDE_METRICS.hitSignal,
    opsPerSecond: last.totalCount / ((last.endTimeMs - last.startTimeMs) / MS_PER_S),
    p99Ms: total.totalCount === 0 ? null : total.getValueAtPercentile(99) / NS_PER_MS,
  });
}

/**
 * The warm-up and the rounds; the sink keeps only what the measured rounds see. Every round (and
 * the warm-up) starts with probe.startTrial(): the same defined cache state and variant order.
 */
async function measureRounds(
  context: ScenarioContext,
  params: MissVsHitParams,
  system: SignalSystem,
  dataset: DatasetInfo,
): Promise<CacheAsideRounds> {
  const { recorders } = context;
  const anomalies: string[] = [];
  const extras: RoundExtras[] = [];
  let current = emptyExtras();
  let startedRound: number | null = null;
  const rounds = new MeasuredRounds(context, SCENARIO_ID, params);
  const probe = new CacheAsideProbe(
    system,
    {
      symbols: dataset.symbols,
      dates: tradingDaysEndingAt(dataset.endDate, params.asOfDateCount),
      mixBatchSize: params.mixBatchSize,
      mixCachedCount: params.mixCachedCount,
      ttlSeconds: params.ttlSeconds,
    },
    SeededRandom.forKey(context.params.seed, SCENARIO_ID),
  );
  const sink = {
    latency(metric: CacheAsideMetric, ns: number) {
      if (rounds.measuring) recorders.metric(metric).recordNs(ns);
    },
    valueBytes(kind: ValueSizeKind, bytes: number) {
      if (rounds.measuring) push(current.sizes, kind, bytes);
    },
    mixPair(pair: MixPair) {
      if (rounds.measuring) current.mixPairs.push(pair);
    },
    anomaly(message: string) {
      if (anomalies.length < 20) anomalies.push(message);
    },
  };
  context.progress(
    `warm-up ${params.warmupDurationMs} ms (${params.warmupIterations} iterations at least), then ${params.rounds} rounds of ${params.roundDurationMs} ms (${params.minIterationsPerRound} iterations at least)`,
  );
  const result = await rounds.run({
    iterate: async (round) => {
      if (round !== startedRound) {
        startedRound = round;
        await probe.startTrial();
      }
      await probe.iterate(sink);
    },
    onIntervalCut: () => reportHitStats(context),
    onRoundDone: () => {
      extras.push(current);
      current = emptyExtras();
    },
  });
  return { result, extras, anomalies };
}

/** How the trials behind every verdict are formed, for the conditions. */
function trialConditions(params: MissVsHitParams, result: RoundsResult): string {
  const iterations = result.iterationsPerRound;
  return `trials: ${iterations.length} rounds of ${Math.min(...iterations)}-${Math.max(...iterations)} iterations after a warm-up of ${result.warmupIterations} (JIT); each round starts from a defined cache state (its first hit's key freshly filled, every miss key UNLINKed first, 4 of 5 batch keys cached and 1 UNLINKed before each batch) and swaps the order of miss and hit, and of the two batches, every iteration (at least ${params.minIterationsPerRound} per round)`;
}

function claimConditions(
  context: ScenarioContext,
  params: MissVsHitParams,
  system: SignalSystem,
  dataset: DatasetInfo,
  result: RoundsResult,
): string {
  const { topology } = context;
  const missExtraMs = context.params.missExtraMs;
  return [
    environmentConditions(context),
    ...(topology !== undefined && topology.kind !== 'standalone' ? [topology.description] : []),
    `${system.codec.name} codec, ${dataset.symbols.length} symbols x ${dataset.tradingDays} trading days (Parquet, local disk, OS page cache warm)`,
    missExtraMs > 0
      ? `--miss-extra-ms ${missExtraMs}: ${missExtraMs} ms SIMULATED latency added to every Parquet read`
      : 'no simulated latency',
    ...(result.iterationsPerRound.length > 0 ? [trialConditions(params, result)] : []),
  ].join('; ');
}

function judgeClaims(
  context: ScenarioContext,
  trials: Readonly<Record<string, number[]>>,
  conditions: string,
): ClaimVerdict[] {
  const missExtraMs = context.params.missExtraMs;
  return MISS_VS_HIT_CLAIMS.map((claim) =>
    // With a simulated delay the Parquet step measures mostly the delay the user asked for.
    claim.id === 'cache.parquet-read' && missExtraMs > 0
      ? notMeasuredVerdict(
          claim,
          `with --miss-extra-ms ${missExtraMs} the Parquet read is mostly the simulated delay; run without it to judge this claim`,
        )
      : judgeClaim(claim, trials[claim.id] ?? [], conditions),
  );
}

function cacheAsideNotes(rounds: CacheAsideRounds): string[] {
  const { result } = rounds;
  const notes = [
    `${result.warmupIterations} warm-up iterations excluded; iterations per round: ${result.iterationsPerRound.join(', ')}`,
    'each iteration interleaves: 1 miss and 1 hit through SignalGenerator (order swapped every iteration), each step timed alone (Parquet read, Alpha158, encode, SET, GET, decode, FeatureCache.get), then the 5-symbol batch without cache and with 4 of 5 cached (order swapped every iteration); each round (trial) starts from the same defined cache state',
    ...rounds.anomalies.map((a) => `anomaly: ${a}`),
  ];
  if (result.interrupted)
    notes.push('interrupted: fewer rounds than planned; the unfinished round is in the histograms but is not a trial');
  return notes;
}

function cacheAsideValues(system: SignalSystem, roundFigures: readonly RoundSamples[]): Record<string, ScenarioValue> {
  const featureStats = system.featureCache.stats();
  const storedBytes = roundFigures.map((r) => cacheAsideRoundExtras(r)['stored-value-bytes']).filter(Number.isFinite);
  return {
    'stored-value-bytes': figure(
      storedBytes.length > 0 ? medianOf(storedBytes) : null,
      'bytes',
      `median size of a stored value with the service codec (${system.codec.name}, 4-byte header included); the size claim is judged on the document's dict form`,
    ),
    'cache-stats.hits': figure(
      featureStats.hits,
      'count',
      'FeatureCache hits during the whole scenario (warm-up included)',
    ),
    'cache-stats.misses': figure(
      featureStats.misses,
      'count',
      'FeatureCache misses during the whole scenario (warm-up included)',
    ),
    'cache-stats.corrupt': figure(featureStats.corrupt, 'count', 'values that did not decode (expected 0)'),
  };
}

/** Per-round figures into trials, the verdicts, the values and the notes. */
function judgeRounds(
  context: ScenarioContext,
  params: MissVsHitParams,
  system: SignalSystem,
  dataset: DatasetInfo,
  rounds: CacheAsideRounds,
): ScenarioOutcome {
  const roundFigures = roundSamples(context.recorders, rounds.extras);
  const mix = { batchSize: params.mixBatchSize, cachedCount: params.mixCachedCount };
  const trials = trialsByClaim(roundFigures.map((r) => cacheAsideRoundFigures(r, mix)));
  return {
    values: cacheAsideValues(system, roundFigures),
    trials,
    verdicts: judgeClaims(context, trials, claimConditions(context, params, system, dataset, rounds.result)),
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
      missExtraMs: context.params.missExtraMs,
    },
    notes: cacheAsideNotes(rounds),
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { params: runParams } = context;
  const planned: MissVsHitParams = scenarioParams(context, DEFAULT_MISS_VS_HIT_PARAMS, QUICK_MISS_VS_HIT_PARAMS);
  const params: MissVsHitParams = { ...planned, rounds: roundsOfPart(planned.rounds, context.part) };
  const dataset = await prepareDataset(
    datasetParams(params.symbolCount, runParams.seed),
    runParams.dataDir,
    context.progress,
  );
  const system = await openSignalSystem({
    redisUrl: context.target.url,
    dataDir: dataset.dir,
    missExtraMs: runParams.missExtraMs,
    ttlSeconds: params.ttlSeconds,
    codec: params.codec,
    signal: context.signal,
    createClient: context.topology?.createClient,
  });
  try {
    const rounds = await measureRounds(context, params, system, dataset);
    return judgeRounds(context, params, system, dataset, rounds);
  } finally {
    await system.close();
  }
}

export const missVsHit: Scenario = {
  id: SCENARIO_ID,
  description:
    "Cache-aside feature path: one symbol on a miss vs a hit, each step timed alone, and the document's 5-symbol / 80%-hit worked example.",
  claims: MISS_VS_HIT_CLAIMS.map((c) => c.id),
  tunables: MISS_VS_HIT_TUNABLES,
  // On a cluster the batch reads and writes go through the slot-aware FeatureCache (one MGET per slot).
  topologies: ['standalone', 'sentinel', 'cluster'],
  // Its mixed-batch ratio sits near its boundary and moves 5 points between runs minutes apart
  // (docs/results/2026-12-07.md): its rounds are spread over the validation.
  spreadParts: { quick: 2, full: 3 },
  run,
};
