import { encodeValue } from '../../src/cache/codec.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { jsonCodec } from '../../src/cache/json-codec.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import { ParquetStore } from '../../src/market/parquet-store.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { ModelRegistry } from '../../src/signals/model-registry.ts';
import { chaosFigures } from './chaos-figures.ts';
import { chaosOutcome, CLAIM_FAULTS, fmt } from './chaos-outcome.ts';
import type { FaultResult } from './chaos-outcome.ts';
import { ConfigError } from '../../bench/errors.ts';
import { withAddedLatency } from '../../bench/faults/added-latency-source.ts';
import { CHAOS_FAULT_IDS, CHAOS_FAULTS, checkFaultAllowed, faultAction } from './chaos-faults.ts';
import type { ChaosFaultId } from './chaos-faults.ts';
import { keyId, runChaosVariant } from './chaos-run.ts';
import type { ChaosKey, ChaosParams, ChaosWorkload } from './chaos-run.ts';
import { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/core/scenario.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

export type { ChaosParams } from './chaos-run.ts';

export const DEFAULT_CHAOS_PARAMS: ChaosParams = {
  fault: 'all',
  preMs: 3_000,
  faultMs: 10_000,
  postMs: 7_000,
  rateOpsPerSecond: 200,
  requestCapMs: 30_000,
  sampleMs: 250,
  coldFraction: 0.2,
  ttlSeconds: 3_600,
  ttlJitterFraction: 0.1,
  commandTimeoutMs: 100,
  callTimeoutMs: 150,
  failureThreshold: 3,
  openDurationMs: 500,
  reconnectMaxDelayMs: 500,
  symbolCount: 60,
  hotSymbols: 20,
  hotDates: 5,
  keyDates: 40,
  bucketMs: 1_000,
  steadyWindowMs: 500,
  fullFraction: 0.7,
  latencyMs: 50,
};

/** --quick: short windows (the whole suite in about two minutes), a 2 s cap on the naive client. */
export const QUICK_CHAOS_PARAMS: ChaosParams = {
  ...DEFAULT_CHAOS_PARAMS,
  preMs: 800,
  faultMs: 1_200,
  postMs: 1_500,
  requestCapMs: 2_000,
  sampleMs: 100,
  bucketMs: 250,
  steadyWindowMs: 250,
};

const ms = (max: number, description: string): TunableSpec => ({ kind: 'integer', min: 1, max, description });

export const CHAOS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  fault: {
    kind: 'choice',
    values: ['all', ...CHAOS_FAULT_IDS],
    description: 'which fault the chaos suite runs (each also has its own scenario chaos-<fault>)',
  },
  preMs: ms(600_000, 'steady load before the fault is injected'),
  faultMs: ms(
    600_000,
    'fault window: inject at preMs, heal this much later (e.g. 90000 to see when ioredis defaults give up)',
  ),
  postMs: ms(600_000, 'load after the heal (recovery)'),
  rateOpsPerSecond: {
    kind: 'integer',
    min: 1,
    max: 5_000,
    description: 'open-loop request rate (single-symbol signal requests)',
  },
  requestCapMs: ms(
    600_000,
    'harness cap on one request, so a client that waits forever still ends the run (the request counts as capped)',
  ),
  coldFraction: {
    kind: 'number',
    min: 0,
    max: 1,
    description: 'share of requests for keys drawn from the whole key space (mostly misses, which write)',
  },
  ttlJitterFraction: { kind: 'number', min: 0, max: 0.99, description: 'TTL jitter of the safe client' },
  commandTimeoutMs: ms(60_000, 'safe client: ioredis commandTimeout'),
  callTimeoutMs: ms(60_000, 'safe client: hard bound on one cache call'),
  failureThreshold: {
    kind: 'integer',
    min: 1,
    max: 1_000,
    description: 'safe client: consecutive failures that open the circuit',
  },
  openDurationMs: ms(600_000, 'safe client: open circuit before a half-open probe'),
  reconnectMaxDelayMs: {
    kind: 'integer',
    min: 50,
    max: 600_000,
    description:
      'safe client: cap of the reconnection backoff (src/redis/client-options.ts default: 500; the bound "first hit within 1 s after a restart" needs it well below 1000)',
  },
  fullFraction: {
    kind: 'number',
    min: 0.05,
    max: 0.95,
    description: 'maxmemory faults: share of the cached data that still fits',
  },
};

function featureValue(features: Float64Array): Buffer {
  return encodeValue(jsonCodec, features);
}

async function run(
  context: ScenarioContext,
  fixedFault: ChaosFaultId | null,
  scenarioId: string,
): Promise<ScenarioOutcome> {
  const { params: runParams, progress, admin, recorders, signal } = context;
  const params: ChaosParams = {
    ...(runParams.quick ? QUICK_CHAOS_PARAMS : DEFAULT_CHAOS_PARAMS),
    ...(context.overrides as Partial<ChaosParams>),
  };
  const faultIds: readonly ChaosFaultId[] =
    fixedFault !== null ? [fixedFault] : params.fault === 'all' ? CHAOS_FAULT_IDS : [params.fault];
  const faultCmd = runParams.faultCmd;
  if (faultCmd !== undefined && faultIds.length > 1) {
    throw new ConfigError('--fault-cmd names one fault, and the chaos suite runs them all', {
      hint: 'pick the fault it injects: rpb run chaos-kill --fault-cmd "...", or --set fault=kill',
    });
  }
  // Every fault is checked before anything runs: a refused one must not leave half a suite behind.
  for (const id of faultIds) checkFaultAllowed(CHAOS_FAULTS[id], context.managed, faultCmd, scenarioId);

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
  const allKeys = dataset.symbols.flatMap((symbol) => dates.map((date) => featureKey(symbol, date)));
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

  const direct = new URL(context.redisUrl);
  const proxy = await FaultProxy.start({
    upstreamHost: direct.hostname.replace(/^\[(.*)\]$/, '$1'),
    upstreamPort: Number(direct.port || 6379),
  });
  const viaProxy = new URL(context.redisUrl);
  viaProxy.hostname = proxy.host;
  viaProxy.port = String(proxy.port);
  let emptyUsedMemory = 0;
  const results: FaultResult[] = [];
  try {
    for (const id of faultIds) {
      const spec = CHAOS_FAULTS[id];
      const runs: FaultResult['runs'][number][] = [];
      for (const variant of spec.variants) {
        if (signal.aborted) break;
        if (context.managed !== null && context.managed.state !== 'running') await context.managed.restart();
        // Only this scenario's keys are removed (never FLUSHALL a Redis for set-up).
        for (let i = 0; i < allKeys.length; i += 500) await admin.unlink(...allKeys.slice(i, i + 500));
        emptyUsedMemory = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? 0);
        const warm = admin.pipeline();
        for (const key of hotKeys) {
          const value = featureValue(hotFeatures.get(keyId(key))!);
          if (spec.hotKeysWithoutTtl) warm.set(featureKey(key.symbol, key.date), value);
          else warm.set(featureKey(key.symbol, key.date), value, 'EX', params.ttlSeconds);
        }
        await warm.exec();
        const action = faultAction(spec, {
          managed: context.managed,
          proxy,
          admin,
          faultCmd,
          emptyUsedMemory: () => emptyUsedMemory,
          fullFraction: params.fullFraction,
          latencyMs: params.latencyMs,
        });
        progress(
          `${id} / ${variant}: ${spec.title}; inject at ${spec.atStart ? 'start' : `${params.preMs} ms`}, heal at ${spec.atStart ? params.faultMs : params.preMs + params.faultMs} ms`,
        );
        const variantRun = await runChaosVariant({
          fault: spec,
          action,
          variant,
          sutUrl: viaProxy.toString(),
          workload,
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
          `${id} / ${variant}: ${figures.failed} failed, ${figures.capped} capped, ${figures.wrong} wrong, max ${fmt(figures.windowMaxMs)} ms in the window, first hit ${fmt(figures.firstHitAfterHealMs)} ms after the heal`,
        );
      }
      results.push({ spec, runs });
      if (signal.aborted) break;
    }
  } finally {
    await proxy.close();
  }
  recorders.cutAll();
  return chaosOutcome(context, params, results, faultCmd);
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

const claimsOf = (fault: ChaosFaultId): string[] => CLAIM_FAULTS.filter(([, f]) => f === fault).map(([c]) => c);

/** The suite: every fault (or --set fault=<id>), safe and naive clients side by side. */
export const chaos = chaosScenario(
  'chaos',
  null,
  `chaos suite: Redis killed, paused, black-holed, slowed, reset, absent, full or flushed under open-loop signal load; safe client vs ioredis defaults; degradation verdicts. One fault alone: ${CHAOS_FAULT_IDS.map((f) => `chaos-${f}`).join(', ')}`,
  CLAIM_FAULTS.map(([c]) => c),
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
