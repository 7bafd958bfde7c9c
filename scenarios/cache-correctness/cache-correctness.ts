import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { claimIn, environmentConditions, figure, percent, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { CacheCorrectnessParams } from './cache-correctness-params.ts';
import {
  CACHE_CORRECTNESS_TUNABLES,
  DEFAULT_CACHE_CORRECTNESS_PARAMS,
  QUICK_CACHE_CORRECTNESS_PARAMS,
} from './cache-correctness-params.ts';
import { CACHE_CORRECTNESS_CLAIMS } from './claims.ts';
import { marketSpec, roundKeys } from './correctness-market.ts';
import type { RoundKeys } from './correctness-market.ts';
import { CorrectnessRound } from './correctness-round.ts';
import type { RoundTally } from './correctness-round.ts';
import { CorrectnessResources } from './correctness-system.ts';
import type { CorrectnessSystem } from './correctness-system.ts';
import { runSecondProcess } from './second-process.ts';
import type { SecondProcessOutput } from './second-process.ts';
import { compareSecondProcess } from './second-process-compare.ts';
import type { DoneRound } from './second-process-compare.ts';

const SCENARIO_ID = 'cache-correctness';
const DETERMINISTIC = 'cache.deterministic';
const TTL = 'cache.ttl-always-set';

async function runRounds(
  context: ScenarioContext,
  system: CorrectnessSystem,
  rounds: readonly RoundKeys[],
): Promise<DoneRound[]> {
  const done: DoneRound[] = [];
  for (const keys of rounds) {
    if (context.signal.aborted) break;
    const round = new CorrectnessRound(system, keys);
    const tally = await round.run();
    done.push({ keys, tally, references: round.references });
    context.progress(
      `round ${keys.round + 1}/${rounds.length} (${keys.date}): ${tally.comparisons} comparisons, ${tally.differing} differing; ${tally.auditedKeys} keys audited, ${tally.keysOutsideTtl} outside (0, 3600] s`,
    );
  }
  return done;
}

function conditions(context: ScenarioContext, params: CacheCorrectnessParams, done: readonly DoneRound[]): string {
  const cluster = done.some((r) => r.tally.clusterCompared);
  return [
    environmentConditions(context),
    `trials: ${done.length} rounds, each one as-of date x ${params.symbols} symbols (synthetic seeded bars, the same in both processes)`,
    cluster
      ? 'standalone and a managed Redis Cluster (3 masters, no replicas) compared'
      : 'standalone only (no cluster comparison: --quick or --set cluster=off)',
    'codecs read back: every shipped codec; float32 lossy, its error reported apart',
  ].join('; ');
}

function values(done: readonly DoneRound[], secondProcess: SecondProcessOutput | null): Record<string, ScenarioValue> {
  const sum = (pick: (t: RoundTally) => number): number => done.reduce((total, r) => total + pick(r.tally), 0);
  const max = (pick: (t: RoundTally) => number): number => Math.max(0, ...done.map((r) => pick(r.tally)));
  return {
    comparisons: figure(
      sum((t) => t.comparisons),
      'count',
      'vectors and scores compared with the directly computed reference (all rounds)',
    ),
    differing: figure(
      sum((t) => t.differing),
      'count',
      'of those, not bit-for-bit equal (any NaN equals any NaN)',
    ),
    'float32.max-abs-error': figure(
      max((t) => t.float32MaxAbsError),
      'feature units',
      'largest absolute error of a float32-codec value read back (lossy by design)',
    ),
    'float32.max-rel-error': figure(
      max((t) => t.float32MaxRelError),
      'ratio',
      'largest relative error of a float32-codec value read back (2^-24 is float32 rounding)',
    ),
    'ttl.keys-audited': figure(
      sum((t) => t.auditedKeys),
      'count',
      'cache keys the system wrote, audited right after each write path (a key counts once per audit)',
    ),
    'ttl.keys-outside': figure(
      sum((t) => t.keysOutsideTtl),
      'count',
      'of those, without a TTL or with one above 3600 s',
    ),
    'ttl.planted': figure(
      sum((t) => t.planted),
      'count',
      'values the harness wrote without a TTL before the system read them',
    ),
    'ttl.repairs': figure(
      sum((t) => t.ttlRepairs),
      'count',
      'of those, given a TTL by the system on its read (FeatureCache stats.ttlRepairs)',
    ),
    'ttl.planted-left-without-ttl': figure(
      sum((t) => t.plantedLeftWithoutTtl),
      'count',
      'planted values still without a TTL after the read (expected 0)',
    ),
    'single-flight.joined': figure(
      sum((t) => t.coalescedJoins),
      'count',
      'concurrent misses that joined a computation under way instead of computing again',
    ),
    'second-process.pid': figure(
      secondProcess?.pid ?? null,
      'count',
      'pid of the second Node process (null: it did not run)',
    ),
    'cluster.rounds': figure(
      done.filter((r) => r.tally.clusterCompared).length,
      'count',
      'rounds that compared on a Redis Cluster too',
    ),
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = scenarioParams(context, DEFAULT_CACHE_CORRECTNESS_PARAMS, QUICK_CACHE_CORRECTNESS_PARAMS);
  const spec = marketSpec(params.symbols, context.params.seed);
  const rounds = roundKeys(spec, params.rounds);
  const resources = new CorrectnessResources();
  const notes: string[] = [];
  let done: DoneRound[];
  let secondProcess: SecondProcessOutput | null = null;
  try {
    if (params.cluster === 'on') context.progress('starting a managed Redis Cluster (3 masters) for the comparison');
    const system = await resources.open(context.target.url, context.admin, spec, params.cluster === 'on');
    done = await runRounds(context, system, rounds);
    if (!context.signal.aborted && done.length > 0) {
      secondProcess = await runSecondProcess(
        { spec, rounds: done.map((r) => r.keys), redisUrl: context.target.url },
        params.secondProcessTimeoutMs,
        context.signal,
      );
      compareSecondProcess(done, secondProcess);
    }
  } finally {
    await resources.close();
  }
  const deterministic = done.map((r) => r.tally.differing);
  const ttl = done.map((r) => percent(r.tally.keysOutsideTtl, r.tally.auditedKeys));
  const when = conditions(context, params, done);
  if (secondProcess === null) notes.push('the second process did not run (interrupted): its comparisons are missing');
  notes.push(
    'each round: cold keys, two concurrent requests (misses, single flight), one more (hits), the vectors read back, for the per-symbol loop, the batched path and the resilient cache; every codec by set and setMany; a jittered TTL; the HTTP service twice; values planted without a TTL then read (TTL repair); on the cluster the per-symbol, batched and json-codec paths',
    'the TTL repair costs one PTTL per key read, sent with the GET / MGET in the same round trip, and one EXPIRE round trip only when a value lacks a TTL (not timed here)',
    ...done.flatMap((r) => r.tally.differences),
  );
  return {
    values: values(done, secondProcess),
    trials: { [DETERMINISTIC]: deterministic, [TTL]: ttl },
    verdicts: [
      judgeClaim(claimIn(CACHE_CORRECTNESS_CLAIMS, DETERMINISTIC), deterministic, when),
      judgeClaim(claimIn(CACHE_CORRECTNESS_CLAIMS, TTL), ttl, when),
    ],
    parameters: { ...params, symbolList: spec.symbols, dates: done.map((r) => r.keys.date) },
    notes,
  };
}

export const cacheCorrectness: Scenario = {
  id: SCENARIO_ID,
  description:
    'Same symbol + date = same features across every cache path, codec, process and topology; every cache key written with a TTL in (0, 3600] s.',
  claims: [DETERMINISTIC, TTL],
  tunables: CACHE_CORRECTNESS_TUNABLES,
  run,
};
