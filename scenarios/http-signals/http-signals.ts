import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import { environmentConditions, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { DatasetInfo } from '../../src/market/dataset.ts';
import { silentLogger } from '../../src/logger.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { parseServiceConfig } from '../../src/service/service-config.ts';
import type { SignalService } from '../../src/service/signal-service.ts';
import { startSignalService } from '../../src/service/signal-service.ts';
import { HTTP_SIGNALS_CLAIMS } from './claims.ts';
import { BATCH, ComboSource, body, forget, postOnce } from './combo-source.ts';
import type { Combo } from './combo-source.ts';
import { phaseRunner, rate, snapshot } from './http-phase.ts';
import type { HttpSignalsRun } from './http-phase.ts';
import {
  DEFAULT_HTTP_SIGNALS_PARAMS,
  HTTP_SIGNALS_TUNABLES,
  QUICK_HTTP_SIGNALS_PARAMS,
} from './http-signals-params.ts';
import type { HttpSignalsParams } from './http-signals-params.ts';
import { mixExample } from './mix-example.ts';
import type { MixTrials } from './mix-example.ts';
import { killPhase } from './redis-killed-phase.ts';

/** The service with the Redis feature cache and the same service without it, both on loopback. */
async function startServices(
  context: ScenarioContext,
  dataset: DatasetInfo,
  services: SignalService[],
): Promise<{ cached: SignalService; uncached: SignalService }> {
  const common = {
    PORT: '0',
    HOST: '127.0.0.1',
    MARKET_DATA_DIR: dataset.dir,
    MAX_SYMBOLS: String(BATCH),
    SHUTDOWN_GRACE_MS: '2000',
  };
  const cached = await startSignalService(parseServiceConfig({ ...common, REDIS_URL: context.target.url }), {
    logger: silentLogger,
  });
  services.push(cached);
  const uncached = await startSignalService(parseServiceConfig({ ...common, REDIS_ENABLED: 'false' }), {
    logger: silentLogger,
  });
  services.push(uncached);
  return { cached, uncached };
}

/** Warm: a fixed set of requests, every one cached beforehand (the set-up requests also warm the JIT). */
async function warmPhase(run: HttpSignalsRun): Promise<{ warmSet: readonly Combo[]; cycleWarm: () => string }> {
  const { params, cached } = run;
  const warmSet = run.combos.take(params.warmSetSize);
  await forget(run.context.admin, warmSet);
  for (const combo of warmSet) await postOnce(cached, body(combo));
  const cycleWarm = cycling(warmSet);
  const statsBefore = snapshot(cached);
  await run.phase('warm', cached, cycleWarm, {
    connections: params.connections,
    durationMs: params.phaseDurationMs,
    maxRequests: params.maxRequestsPerPhase,
  });
  run.values['warm.hit-rate'] = {
    value: rate(statsBefore, snapshot(cached)),
    unit: 'ratio',
    description: 'feature cache hit rate during the warm phase (expected 1)',
  };
  return { warmSet, cycleWarm };
}

/** Bodies of the requests in `set`, round and round (the no-cache phase goes on where the warm one stopped). */
function cycling(set: readonly Combo[]): () => string {
  let cursor = 0;
  return () => body(set[cursor++ % set.length]!);
}

/** Cold: every request asks for 5 features never asked before (5 misses: Parquet read, Alpha158, SET EX). */
async function coldPhase(run: HttpSignalsRun): Promise<void> {
  const { params, cached, combos } = run;
  const coldCap = Math.min(params.maxRequestsPerPhase, combos.capacity);
  const coldSet = combos.take(Math.max(1, coldCap));
  await forget(run.context.admin, coldSet);
  let coldCursor = 0;
  const coldBefore = snapshot(cached);
  const cold = await run.phase('cold', cached, () => body(coldSet[Math.min(coldCursor++, coldSet.length - 1)]!), {
    connections: params.connections,
    durationMs: params.phaseDurationMs,
    maxRequests: coldSet.length,
  });
  run.values['cold.hit-rate'] = {
    value: rate(coldBefore, snapshot(cached)),
    unit: 'ratio',
    description: 'feature cache hit rate during the cold phase (expected 0)',
  };
  if (cold.result.completed >= coldSet.length)
    run.notes.push(
      `cold phase ran out of distinct requests after ${coldSet.length}; raise symbolCount for a longer cold phase`,
    );
}

function judge(
  context: ScenarioContext,
  params: HttpSignalsParams,
  dataset: DatasetInfo,
  trials: MixTrials,
): ClaimVerdict[] {
  const { missExtraMs } = context.params;
  const conditions = [
    `HTTP over ${environmentConditions(context)}`,
    'fastify service and load generator in one Node process; one keep-alive connection per service, one request at a time (raw HTTP/1.1 client, timed from the write to the last byte)',
    `trials: ${trials['http.mix-improvement'].length} rounds after an untimed warm-up round, each from a defined start (its own two new connections; ${params.mixRequestsPerRound} 5-symbol requests on one as-of date, a window sliding one symbol at a time through a shuffled symbol list, so 4 symbols of each are cached by the request before and the key of the fifth is removed before it, untimed) and each request sent to both services back to back, the order swapped from one request to the next`,
    `json-array codec, ${dataset.symbols.length} symbols x ${dataset.tradingDays} trading days (Parquet, OS page cache warm)`,
    missExtraMs > 0
      ? `--miss-extra-ms ${missExtraMs} is not applied to the service (it reads Parquet directly)`
      : 'no simulated latency',
  ].join('; ');
  return HTTP_SIGNALS_CLAIMS.map((claim) => judgeClaim(claim, trials[claim.id as keyof MixTrials] ?? [], conditions));
}

function outcome(
  run: HttpSignalsRun,
  dataset: DatasetInfo,
  trials: Record<string, number[]> = {},
  verdicts: ClaimVerdict[] = [],
): ScenarioOutcome {
  run.notes.unshift(
    'latencies are client side, 2xx only: the throughput phases through autocannon (per request, closed loop: a connection sends its next request when the answer arrives), the 80%-hit example through one raw keep-alive connection per service, one request at a time',
  );
  return {
    values: run.values,
    trials,
    verdicts,
    parameters: {
      ...run.params,
      dataset: { dir: dataset.dir, symbols: dataset.symbols.length, tradingDays: dataset.tradingDays },
    },
    notes: run.notes,
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { params: runParams, progress, signal } = context;
  const params: HttpSignalsParams = scenarioParams(context, DEFAULT_HTTP_SIGNALS_PARAMS, QUICK_HTTP_SIGNALS_PARAMS);
  const dataset = await prepareDataset(datasetParams(params.symbolCount, runParams.seed), runParams.dataDir, progress);
  const dates = tradingDaysEndingAt(dataset.endDate, params.asOfDateCount);
  const combos = new ComboSource(dataset.symbols, dates);
  const values: Record<string, ScenarioValue> = {};
  const services: SignalService[] = [];
  try {
    const { cached, uncached } = await startServices(context, dataset, services);
    const phase = phaseRunner(context, values);
    const session: HttpSignalsRun = { context, params, combos, cached, uncached, phase, values, notes: [] };
    const { warmSet, cycleWarm } = await warmPhase(session);
    if (signal.aborted) return outcome(session, dataset);
    await phase('no-cache', uncached, cycleWarm, {
      connections: params.connections,
      durationMs: params.phaseDurationMs,
      maxRequests: params.maxRequestsPerPhase,
    });
    if (signal.aborted) return outcome(session, dataset);
    await coldPhase(session);
    if (signal.aborted) return outcome(session, dataset);
    const trials = await mixExample(session, dataset.symbols, dates);
    if (!signal.aborted) await killPhase(session, warmSet);
    return outcome(session, dataset, { ...trials }, judge(context, params, dataset, trials));
  } finally {
    for (const service of services) await service.close();
  }
}

export const httpSignals: Scenario = {
  id: 'http-signals',
  description:
    "The signal service over HTTP (fastify, autocannon): warm cache, no cache, cold cache, the document's 5-symbol / 80%-hit example end to end, and Redis killed mid-run.",
  claims: HTTP_SIGNALS_CLAIMS.map((c) => c.id),
  tunables: HTTP_SIGNALS_TUNABLES,
  run,
};
