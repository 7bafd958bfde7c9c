import type { Redis } from 'ioredis';
import { encodeValue } from '../../src/cache/codec.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { jsonCodec } from '../../src/cache/json-codec.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import { ParquetStore } from '../../src/market/parquet-store.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { ModelRegistry } from '../../src/signals/model-registry.ts';
import { ConfigError } from '../../bench/errors.ts';
import { withAddedLatency } from '../../bench/faults/added-latency-source.ts';
import { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import { managedServer, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { CHAOS_FAULT_IDS, CHAOS_FAULTS, checkFaultAllowed, faultAction } from './chaos-faults.ts';
import type { ChaosFaultId, ChaosFaultSpec } from './chaos-faults.ts';
import { chaosFigures, fmt } from './chaos-figures.ts';
import type { FaultResult } from './chaos-figures.ts';
import { chaosOutcome } from './chaos-outcome.ts';
import { CHAOS_TUNABLES, DEFAULT_CHAOS_PARAMS, QUICK_CHAOS_PARAMS } from './chaos-params.ts';
import { keyId } from './chaos-request.ts';
import { runChaosVariant } from './chaos-run.ts';
import type { ChaosKey, ChaosParams, ChaosWorkload } from './chaos-types.ts';
import { CLAIM_FAULTS, judgedClaimIds } from './chaos-verdicts.ts';

export type { ChaosParams } from './chaos-types.ts';

function featureValue(features: Float64Array): Buffer {
  return encodeValue(jsonCodec, features);
}

/** The chaos data: the hot keys warmed before each variant (with their features) and every key it may touch. */
interface ChaosData {
  readonly workload: ChaosWorkload;
  readonly hotFeatures: ReadonlyMap<string, Float64Array>;
  /** Every key of the key space: removed before each variant (never FLUSHALL a Redis for set-up). */
  readonly allKeys: readonly string[];
}

async function run(
  context: ScenarioContext,
  fixedFault: ChaosFaultId | null,
  scenarioId: string,
): Promise<ScenarioOutcome> {
  const { params: runParams, recorders } = context;
  const params: ChaosParams = scenarioParams(context, DEFAULT_CHAOS_PARAMS, QUICK_CHAOS_PARAMS);
  const faultIds = checkedFaults(context, params, fixedFault, scenarioId);
  const data = await prepareData(context, params);
  const direct = new URL(context.target.url);
  const proxy = await FaultProxy.start({
    upstreamHost: direct.hostname.replace(/^\[(.*)\]$/, '$1'),
    upstreamPort: Number(direct.port || 6379),
  });
  const results: FaultResult[] = [];
  try {
    for (const id of faultIds) {
      results.push(await runFault(context, params, data, proxy, CHAOS_FAULTS[id]));
      if (context.signal.aborted) break;
    }
  } finally {
    await proxy.close();
  }
  recorders.cutAll();
  return chaosOutcome(context, params, results, runParams.faultCmd);
}

/** The faults this run injects; every one is checked before anything runs, so a refusal leaves no half suite. */
function checkedFaults(
  context: ScenarioContext,
  params: ChaosParams,
  fixedFault: ChaosFaultId | null,
  scenarioId: string,
): readonly ChaosFaultId[] {
  const faultIds: readonly ChaosFaultId[] =
    fixedFault !== null ? [fixedFault] : params.fault === 'all' ? CHAOS_FAULT_IDS : [params.fault];
  const faultCmd = context.params.faultCmd;
  if (faultCmd !== undefined && faultIds.length > 1) {
    throw new ConfigError('--fault-cmd names one fault, and the chaos suite runs them all', {
      hint: 'pick the fault it injects: rpb run chaos-kill --fault-cmd "...", or --set fault=kill',
    });
  }
  const managed = managedServer(context.target);
  for (const id of faultIds) checkFaultAllowed(CHAOS_FAULTS[id], managed, faultCmd, scenarioId);
  return faultIds;
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
  for (const key of hotKeys) {
    const features = computeAlpha158(await market.readSeries(key.symbol), key.date);
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

/** Each client variant of one fault in turn, on a running Redis with only the hot keys cached. */
async function runFault(
  context: ScenarioContext,
  params: ChaosParams,
  data: ChaosData,
  proxy: FaultProxy,
  spec: ChaosFaultSpec,
): Promise<FaultResult> {
  const { progress, admin, recorders, signal } = context;
  const managed = managedServer(context.target);
  const viaProxy = new URL(context.target.url);
  viaProxy.hostname = proxy.host;
  viaProxy.port = String(proxy.port);
  const runs: FaultResult['runs'][number][] = [];
  for (const variant of spec.variants) {
    if (signal.aborted) break;
    if (managed !== null && managed.state !== 'running') await managed.restart();
    const emptyUsedMemory = await resetKeys(admin, params, data, spec);
    const action = faultAction(spec, {
      managed,
      proxy,
      admin,
      faultCmd: context.params.faultCmd,
      emptyUsedMemory: () => emptyUsedMemory,
      fullFraction: params.fullFraction,
      latencyMs: params.latencyMs,
    });
    progress(
      `${spec.id} / ${variant}: ${spec.title}; inject at ${spec.atStart ? 'start' : `${params.preMs} ms`}, heal at ${spec.atStart ? params.faultMs : params.preMs + params.faultMs} ms`,
    );
    const variantRun = await runChaosVariant({
      fault: spec,
      action,
      variant,
      sutUrl: viaProxy.toString(),
      workload: data.workload,
      load: params,
      client: params,
      recorders,
      signal,
    });
    const figures = chaosFigures({
      records: variantRun.records,
      samples: variantRun.samples,
      injectMs: variantRun.injectMs,
      healedMs: variantRun.healedMs,
      steadyWindowMs: params.steadyWindowMs,
      steadyHitRateTolerance: 0.1,
    });
    runs.push({ run: variantRun, figures });
    progress(
      `${spec.id} / ${variant}: ${figures.failed} failed, ${figures.capped} capped, ${figures.wrong} wrong, max ${fmt(figures.windowMaxMs)} ms in the window, first hit ${fmt(figures.firstHitAfterHealMs)} ms after the heal`,
    );
  }
  return { spec, runs };
}

/**
 * Removes this scenario's keys (only them: never FLUSHALL a Redis for set-up), notes used_memory
 * when empty (the maxmemory faults size from it), then warms the hot keys.
 */
async function resetKeys(admin: Redis, params: ChaosParams, data: ChaosData, spec: ChaosFaultSpec): Promise<number> {
  const { allKeys, hotFeatures, workload } = data;
  for (let i = 0; i < allKeys.length; i += 500) await admin.unlink(...allKeys.slice(i, i + 500));
  const emptyUsedMemory = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? 0);
  const warm = admin.pipeline();
  for (const key of workload.hotKeys) {
    const value = featureValue(hotFeatures.get(keyId(key))!);
    if (spec.hotKeysWithoutTtl) warm.set(featureKey(key.symbol, key.date), value);
    else warm.set(featureKey(key.symbol, key.date), value, 'EX', params.ttlSeconds);
  }
  await warm.exec();
  return emptyUsedMemory;
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
  CLAIM_FAULTS.filter(([, f]) => f === fault).flatMap(([c]) => judgedClaimIds(c));

/** The suite: every fault (or --set fault=<id>), safe and naive clients side by side. */
export const chaos = chaosScenario(
  'chaos',
  null,
  `chaos suite: Redis killed, paused, black-holed, slowed, reset, absent, full or flushed under open-loop signal load; safe client vs ioredis defaults; degradation verdicts. One fault alone: ${CHAOS_FAULT_IDS.map((f) => `chaos-${f}`).join(', ')}`,
  CLAIM_FAULTS.flatMap(([c]) => judgedClaimIds(c)),
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
