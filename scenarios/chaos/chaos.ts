import type { Redis } from 'ioredis';
import { encodeValue } from '../../src/cache/codec.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { jsonCodec } from '../../src/cache/json-codec.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import type { OhlcvSeries } from '../../src/market/ohlcv-series.ts';
import { ParquetStore } from '../../src/market/parquet-store.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { ModelRegistry } from '../../src/signals/model-registry.ts';
import { ConfigError, InfraError } from '../../bench/errors.ts';
import { checkRedisHealth } from '../../src/redis/health-check.ts';
import { withAddedLatency } from '../../bench/faults/added-latency-source.ts';
import { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import { managedServer, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { WorkingSetBytes } from '../shared-readings.ts';
import { CHAOS_FAULT_IDS, CHAOS_FAULTS, checkFaultAllowed, faultAction } from './chaos-faults.ts';
import type { ChaosFaultId, ChaosFaultSpec, ChaosVariant } from './chaos-faults.ts';
import { chaosFigures, fmt } from './chaos-figures.ts';
import type { ChaosTrial, FaultResult } from './chaos-figures.ts';
import { chaosOutcome } from './chaos-outcome.ts';
import { CHAOS_TUNABLES, DEFAULT_CHAOS_PARAMS, QUICK_CHAOS_PARAMS } from './chaos-params.ts';
import { keyId, windowDistinctKeys } from './chaos-request.ts';
import { runChaosVariant } from './chaos-run.ts';
import type { ChaosKey, ChaosParams, ChaosWorkload } from './chaos-types.ts';
import { CLAIM_FAULTS, JUDGED_FAULTS, judgedClaimIds } from './chaos-verdicts.ts';

export type { ChaosParams } from './chaos-types.ts';

function featureValue(features: Float64Array): Buffer {
  return encodeValue(jsonCodec, features);
}

/** The chaos data: the hot keys warmed before each window (with their features) and every key it may touch. */
interface ChaosData {
  readonly workload: ChaosWorkload;
  readonly hotFeatures: ReadonlyMap<string, Float64Array>;
  /** Every key of the key space: removed before each window (never FLUSHALL a Redis for set-up). */
  readonly allKeys: readonly string[];
}

async function run(
  context: ScenarioContext,
  fixedFault: ChaosFaultId | null,
  scenarioId: string,
): Promise<ScenarioOutcome> {
  const { params: runParams, recorders } = context;
  const params: ChaosParams = scenarioParams(context, DEFAULT_CHAOS_PARAMS, QUICK_CHAOS_PARAMS);
  const plan = faultPlan(params, fixedFault);
  checkFaults(context, plan, scenarioId);
  const data = await prepareData(context, params);
  const direct = new URL(context.target.url);
  const proxy = await FaultProxy.start({
    upstreamHost: direct.hostname.replace(/^\[(.*)\]$/, '$1'),
    upstreamPort: Number(direct.port || 6379),
  });
  const results: FaultResult[] = [];
  try {
    for (const { id, windows } of plan) {
      results.push(await runFault(context, params, data, proxy, CHAOS_FAULTS[id], windows));
      if (context.signal.aborted) break;
    }
  } finally {
    await proxy.close();
  }
  recorders.cutAll();
  const suiteFaults = fixedFault === null ? plan.map((f) => f.id) : null;
  return chaosOutcome(context, params, results, runParams.faultCmd, suiteFaults);
}

/** How many windows each client variant of a fault gets in this run. */
export interface FaultRun {
  readonly id: ChaosFaultId;
  readonly windows: Readonly<Partial<Record<ChaosVariant, number>>>;
}

/** The fault sets of the `fault` tunable besides a single fault. */
const FAULT_SETS: Readonly<Record<'all' | 'claims' | 'kill-and-blackhole', readonly ChaosFaultId[]>> = {
  all: CHAOS_FAULT_IDS,
  claims: JUDGED_FAULTS,
  'kill-and-blackhole': ['kill', 'blackhole'],
};

/**
 * The faults this run injects and how many windows each client gets: a fault chosen alone gets
 * `trials` windows per client; in a set, the clients claims are judged on (safe, naive) of a fault
 * claims are judged on get `trials`, every other client and fault `otherFaultTrials` (0: skipped).
 */
export function faultPlan(params: ChaosParams, fixedFault: ChaosFaultId | null): FaultRun[] {
  const single = fixedFault ?? (params.fault in FAULT_SETS ? null : (params.fault as ChaosFaultId));
  if (single !== null)
    return [{ id: single, windows: Object.fromEntries(CHAOS_FAULTS[single].variants.map((v) => [v, params.trials])) }];
  const judged = (id: ChaosFaultId, variant: ChaosVariant): boolean =>
    JUDGED_FAULTS.includes(id) && (variant === 'safe' || variant === 'naive');
  return FAULT_SETS[params.fault as keyof typeof FAULT_SETS]
    .map((id) => ({
      id,
      windows: Object.fromEntries(
        CHAOS_FAULTS[id].variants
          .map((v) => [v, judged(id, v) ? params.trials : params.otherFaultTrials] as const)
          .filter(([, n]) => n > 0),
      ),
    }))
    .filter((run) => Object.keys(run.windows).length > 0);
}

/** Every fault is checked before anything runs, so a refusal leaves no half suite. */
function checkFaults(
  context: ScenarioContext,
  plan: readonly { readonly id: ChaosFaultId }[],
  scenarioId: string,
): void {
  const faultCmd = context.params.faultCmd;
  if (faultCmd !== undefined && plan.length > 1) {
    throw new ConfigError('--fault-cmd names one fault, and the chaos suite runs several', {
      hint: 'pick the fault it injects: rpb run chaos-kill --fault-cmd "...", or --set fault=kill',
    });
  }
  const managed = managedServer(context.target);
  for (const { id } of plan) checkFaultAllowed(CHAOS_FAULTS[id], managed, faultCmd, scenarioId);
}

/** The market data set, the model, and each hot key's expected score computed without any cache. */
async function prepareData(context: ScenarioContext, params: ChaosParams): Promise<ChaosData> {
  const { params: runParams, progress, signal } = context;
  const dataset = await prepareDataset(datasetParams(params.symbolCount, runParams.seed), runParams.dataDir, progress);
  const dates = tradingDaysEndingAt(dataset.endDate, params.keyDates);
  const hotKeys: ChaosKey[] = dataset.symbols
    .slice(0, params.hotSymbols)
    .flatMap((symbol) => dates.slice(-params.hotDates).map((date) => ({ symbol, date })));
  const market = withAddedLatency(new ParquetStore(dataset.dir), runParams.missExtraMs, signal);
  const model = await ModelRegistry.load();
  const hotFeatures = new Map<string, Float64Array>();
  const expectedScores = new Map<string, number>();
  // One read per hot symbol, not per hot key: its dates share the series.
  const series = new Map<string, OhlcvSeries>();
  for (const key of hotKeys) {
    if (!series.has(key.symbol)) series.set(key.symbol, await market.readSeries(key.symbol));
    const features = computeAlpha158(series.get(key.symbol)!, key.date);
    hotFeatures.set(keyId(key), features);
    expectedScores.set(keyId(key), model.predict(features));
  }
  const workload: ChaosWorkload = {
    market,
    model,
    computeFeatures: computeAlpha158,
    hotKeys,
    coldSymbols: dataset.symbols,
    coldDates: dates,
    expectedScores,
    seed: runParams.seed,
  };
  const allKeys = dataset.symbols.flatMap((symbol) => dates.map((date) => featureKey(symbol, date)));
  return { workload, hotFeatures, allKeys };
}

/**
 * The windows of one fault in rounds: each round one window per client variant that still has one
 * to run, the variants' order reversed every other round (ABBA), each window reset to the same start.
 */
async function runFault(
  context: ScenarioContext,
  params: ChaosParams,
  data: ChaosData,
  proxy: FaultProxy,
  spec: ChaosFaultSpec,
  windows: FaultRun['windows'],
): Promise<FaultResult> {
  const runs: ChaosTrial[] = [];
  const rounds = Math.max(...Object.values(windows));
  const counts = Object.entries(windows).map(([variant, n]) => `${variant} ${n}`);
  context.progress(
    `${spec.id}: ${spec.title}; windows: ${counts.join(', ')}; each: inject at ${spec.atStart ? 'start' : `${params.preMs} ms`}, heal at ${spec.atStart ? params.faultMs : params.preMs + params.faultMs} ms, load for ${params.preMs + params.faultMs + params.postMs} ms`,
  );
  for (let trial = 0; trial < rounds; trial++) {
    const inRound = spec.variants.filter((v) => (windows[v] ?? 0) > trial);
    const variants = trial % 2 === 0 ? inRound : [...inRound].reverse();
    for (const variant of variants) {
      if (context.signal.aborted) return { spec, runs };
      runs.push(await runWindow(context, params, data, proxy, spec, variant, trial));
    }
  }
  return { spec, runs };
}

/** How long a Redis that rpb cannot restart (given by URL, faulted by --fault-cmd) may take to answer again. */
export const EXTERNAL_REDIS_BACK_MS = 30_000;

/**
 * Before a window on a Redis rpb did not start: waits until it answers PING again (a --fault-cmd
 * that kills it must also bring it back, e.g. `docker kill redis && docker start redis`), and says
 * so plainly when it does not, instead of failing on the next command.
 */
export async function awaitRedisBack(
  admin: Redis,
  signal: AbortSignal,
  timeoutMs: number = EXTERNAL_REDIS_BACK_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (!signal.aborted && Date.now() < deadline) {
    const health = await checkRedisHealth(admin, 1_000);
    if (health.healthy) return;
    last = health.error;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (signal.aborted) return;
  throw new InfraError(
    `the Redis under test did not answer for ${timeoutMs / 1_000} s before the next fault window (${last})`,
    {
      hint: 'a --fault-cmd that stops Redis must also start it again within the window, e.g. --fault-cmd "docker kill redis && sleep 1 && docker start redis"; rpb only restarts a redis-server it started',
    },
  );
}

/**
 * One window (one trial): Redis running with only the hot keys cached, a fresh client, one
 * injection of the fault under the load, and its heal.
 */
async function runWindow(
  context: ScenarioContext,
  params: ChaosParams,
  data: ChaosData,
  proxy: FaultProxy,
  spec: ChaosFaultSpec,
  variant: ChaosVariant,
  trial: number,
): Promise<ChaosTrial> {
  const { progress, admin, recorders, signal } = context;
  const managed = managedServer(context.target);
  const viaProxy = new URL(context.target.url);
  viaProxy.hostname = proxy.host;
  viaProxy.port = String(proxy.port);
  if (managed !== null && managed.state !== 'running') await managed.restart();
  else if (managed === null) await awaitRedisBack(admin, signal);
  const measured = await resetKeys(admin, params, data, spec);
  const workingSet: WorkingSetBytes = {
    ...measured,
    distinctKeys: windowDistinctKeys(data.workload, params, spec.id, trial),
  };
  const action = faultAction(spec, {
    managed,
    proxy,
    admin,
    faultCmd: context.params.faultCmd,
    workingSet: () => workingSet,
    latencyMs: params.latencyMs,
  });
  const run = await runChaosVariant({
    fault: spec,
    action,
    variant,
    trial,
    sutUrl: viaProxy.toString(),
    workload: data.workload,
    load: params,
    client: params,
    recorders,
    signal,
  });
  const figures = chaosFigures({
    records: run.records,
    samples: run.samples,
    injectMs: run.injectMs,
    healedMs: run.healedMs,
    steadyWindowMs: params.steadyWindowMs,
    steadyHitRateTolerance: 0.1,
  });
  progress(
    `${spec.id} / ${variant} #${trial + 1}: ${figures.failed} failed, ${figures.capped} capped, ${figures.wrong} wrong, max ${fmt(figures.windowMaxMs)} ms in the window, ${run.warnings} warning lines`,
  );
  return { run, figures, workingSet };
}

/**
 * Removes this scenario's keys (only them: never FLUSHALL a Redis for set-up), notes used_memory
 * when empty and after the hot keys are warmed: the bytes a key takes (the maxmemory faults size
 * the full cache from them).
 */
async function resetKeys(
  admin: Redis,
  params: ChaosParams,
  data: ChaosData,
  spec: ChaosFaultSpec,
): Promise<Omit<WorkingSetBytes, 'distinctKeys'>> {
  const { allKeys, hotFeatures, workload } = data;
  for (let i = 0; i < allKeys.length; i += 500) await admin.unlink(...allKeys.slice(i, i + 500));
  const baselineUsedMemory = await usedMemory(admin);
  const warm = admin.pipeline();
  for (const key of workload.hotKeys) {
    const value = featureValue(hotFeatures.get(keyId(key))!);
    if (spec.hotKeysWithoutTtl) warm.set(featureKey(key.symbol, key.date), value);
    else warm.set(featureKey(key.symbol, key.date), value, 'EX', params.ttlSeconds);
  }
  await warm.exec();
  const usedMemoryPerKey = (await usedMemory(admin)) - baselineUsedMemory;
  return { baselineUsedMemory, usedMemoryPerKey: usedMemoryPerKey / Math.max(1, workload.hotKeys.length) };
}

async function usedMemory(admin: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? Number.NaN);
}

function chaosScenario(
  id: string,
  fault: ChaosFaultId | null,
  description: string,
  claims: readonly string[],
): Scenario {
  const tunables =
    fault === null ? CHAOS_TUNABLES : Object.fromEntries(Object.entries(CHAOS_TUNABLES).filter(([k]) => k !== 'fault'));
  return { id, description, claims, tunables, run: (context) => run(context, fault, id) };
}

/** A fault's claims, each judged on the safe client and on the document's code (`.document-client`). */
const claimsOf = (fault: ChaosFaultId): string[] =>
  CLAIM_FAULTS.filter((c) => c.faults.includes(fault)).flatMap((c) => judgedClaimIds(c.claim));

/** The suite: every fault (or --set fault=<id>), safe and naive clients side by side. */
export const chaos = chaosScenario(
  'chaos',
  null,
  `chaos suite: Redis killed, paused, black-holed, slowed, reset, absent, full or flushed under open-loop signal load; safe client vs ioredis defaults; degradation verdicts. One fault alone: ${CHAOS_FAULT_IDS.map((f) => `chaos-${f}`).join(', ')}`,
  CLAIM_FAULTS.flatMap((c) => judgedClaimIds(c.claim)),
);

/** One scenario per fault (chaos-kill, chaos-pause, ...), run by id; not part of `all` (the suite covers them). */
export const CHAOS_FAULT_SCENARIOS: readonly Scenario[] = CHAOS_FAULT_IDS.map((fault) =>
  chaosScenario(
    `chaos-${fault}`,
    fault,
    `chaos: ${CHAOS_FAULTS[fault].title}; safe client vs ioredis defaults`,
    claimsOf(fault),
  ),
);
