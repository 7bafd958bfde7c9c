/**
 * Optimization 3 end to end: the signal service's HTTP latency at the http-signals load with its
 * one long-lived Redis client (the pool) vs the same service opening a new Redis connection for
 * every cache call. The per-connection cost alone is the connections scenario's figure; this is what
 * it does to a request.
 */
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import { claimIn, environmentConditions, figure, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { silentLogger } from '../../src/logger.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { parseServiceConfig } from '../../src/service/service-config.ts';
import { startSignalService } from '../../src/service/signal-service.ts';
import type { SignalService } from '../../src/service/signal-service.ts';
import { runHttpPhase } from '../http-signals/http-load.ts';
import { POOL_END_TO_END_CLAIMS } from './claims.ts';
import { perConnectionCachePath } from './per-connection-store.ts';
import type { ConnectionCounts } from './per-connection-store.ts';
import {
  DEFAULT_POOL_END_TO_END_PARAMS,
  POOL_END_TO_END_TUNABLES,
  QUICK_POOL_END_TO_END_PARAMS,
} from './pool-end-to-end-params.ts';
import type { PoolEndToEndParams } from './pool-end-to-end-params.ts';

const SCENARIO_ID = 'pool-end-to-end';
const CLAIM_ID = 'optimization.pool-end-to-end';
const SIGNALS_PATH = '/api/v1/signals';
const BATCH = 5;
type Variant = 'pool' | 'new-connection';
const METRIC: Readonly<Record<Variant, string>> = { pool: 'http.pool', 'new-connection': 'http.new-connection' };

/** Distinct 5-symbol requests: symbol groups first, then the next date. */
function warmBodies(symbols: readonly string[], dates: readonly string[], count: number): string[] {
  const groups = Math.max(1, Math.floor(symbols.length / BATCH));
  return Array.from({ length: count }, (_, i) => {
    const group = i % groups;
    const date = dates[Math.floor(i / groups) % dates.length]!;
    return JSON.stringify({ symbols: symbols.slice(group * BATCH, group * BATCH + BATCH), as_of_date: date });
  });
}

async function postOnce(service: SignalService, body: string): Promise<void> {
  const response = await fetch(`${service.url}${SIGNALS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`set-up request failed: HTTP ${response.status} ${text}`);
}

interface Phases {
  readonly p99Ms: Record<Variant, number[]>;
  readonly p50Ms: Record<Variant, number[]>;
  readonly rates: Record<Variant, number[]>;
  /** Answers each service gave, warm-up included. */
  readonly completed: Record<Variant, number>;
  failed: number;
}

async function runPhases(
  context: ScenarioContext,
  params: PoolEndToEndParams,
  services: Readonly<Record<Variant, SignalService>>,
  bodies: readonly string[],
): Promise<Phases> {
  const { recorders, signal } = context;
  let cursor = 0;
  const nextBody = (): string => bodies[cursor++ % bodies.length]!;
  const out: Phases = {
    p99Ms: { pool: [], 'new-connection': [] },
    p50Ms: { pool: [], 'new-connection': [] },
    rates: { pool: [], 'new-connection': [] },
    completed: { pool: 0, 'new-connection': 0 },
    failed: 0,
  };
  const phase = async (variant: Variant, requests: number, record: boolean) => {
    const result = await runHttpPhase({
      url: services[variant].url,
      path: SIGNALS_PATH,
      connections: params.connections,
      durationMs: params.phaseMaxMs,
      maxRequests: requests,
      nextBody,
      onResponse: (status, ns) => {
        if (record && status >= 200 && status < 300) recorders.metric(METRIC[variant]).recordNs(ns);
      },
      signal,
    });
    if (record) out.failed += result.non2xx + result.errors + result.timeouts;
    out.completed[variant] += result.completed;
    return result;
  };
  for (const variant of ['pool', 'new-connection'] as const) await phase(variant, params.warmupRequests, false);
  for (let trial = 0; trial < params.trials && !signal.aborted; trial++) {
    const order: Variant[] = trial % 2 === 0 ? ['pool', 'new-connection'] : ['new-connection', 'pool'];
    const rate: Partial<Record<Variant, number>> = {};
    for (const variant of order) {
      const result = await phase(variant, params.requestsPerPhase, true);
      rate[variant] = result.durationMs > 0 ? (1_000 * result.completed) / result.durationMs : Number.NaN;
    }
    if (signal.aborted) break;
    recorders.markTrial();
    for (const variant of order) {
      const histogram = recorders.metric(METRIC[variant]).trialHistograms()[trial];
      const at = (p: number): number =>
        histogram === undefined || histogram.totalCount === 0
          ? Number.NaN
          : histogram.getValueAtPercentile(p) / NS_PER_MS;
      out.p99Ms[variant].push(at(99));
      out.p50Ms[variant].push(at(50));
      out.rates[variant].push(rate[variant]!);
    }
    context.progress(`trial ${trial + 1}/${params.trials}`);
  }
  return out;
}

const median = (values: readonly number[]): number | null => {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? medianOf(finite) : null;
};

function poolValues(phases: Phases, counts: ConnectionCounts, fallbacks: number): Record<string, ScenarioValue> {
  const values: Record<string, ScenarioValue> = {};
  for (const variant of ['pool', 'new-connection'] as const) {
    values[`${variant}.p50-ms`] = figure(
      median(phases.p50Ms[variant]),
      'ms',
      `median over trials of the HTTP p50, ${variant}`,
    );
    values[`${variant}.p99-ms`] = figure(
      median(phases.p99Ms[variant]),
      'ms',
      `median over trials of the HTTP p99, ${variant}`,
    );
    values[`${variant}.rps`] = figure(
      median(phases.rates[variant]),
      'req/s',
      `median over trials of requests per second, ${variant}`,
    );
  }
  values['p50-difference-ms'] = figure(
    median(phases.p50Ms['new-connection'].map((p, i) => p - phases.p50Ms.pool[i]!)),
    'ms',
    'median over trials of p50(new connection) - p50(pool)',
  );
  values['connections.opened'] = figure(counts.opened, 'count', 'Redis connections the per-request service opened');
  values['connections.closed'] = figure(counts.closed, 'count', 'of those, closed again (must equal opened)');
  values['connections-per-request'] = figure(
    phases.completed['new-connection'] === 0 ? null : counts.opened / phases.completed['new-connection'],
    'count',
    'Redis connections the per-request service opened per HTTP request (warm-up included; 5 per-symbol GETs, more when a fallback writes back)',
  );
  values['new-connection.fallbacks'] = figure(
    fallbacks,
    'count',
    'cache lookups the per-request service gave up (connect + call over its budget, or failed): computed instead',
  );
  values['failed-requests'] = figure(phases.failed, 'count', 'non-2xx answers, errors and timeouts (expected 0)');
  return values;
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params: PoolEndToEndParams = scenarioParams(
    context,
    DEFAULT_POOL_END_TO_END_PARAMS,
    QUICK_POOL_END_TO_END_PARAMS,
  );
  const { params: runParams, progress } = context;
  const dataset = await prepareDataset(datasetParams(params.symbolCount, runParams.seed), runParams.dataDir, progress);
  const bodies = warmBodies(dataset.symbols, tradingDaysEndingAt(dataset.endDate, 20), params.warmSetSize);
  const counts: ConnectionCounts = { opened: 0, closed: 0 };
  const started: SignalService[] = [];
  let phases: Phases;
  let fallbacks: number;
  try {
    const config = parseServiceConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MARKET_DATA_DIR: dataset.dir,
      MAX_SYMBOLS: String(BATCH),
      SHUTDOWN_GRACE_MS: '2000',
      REDIS_URL: context.target.url,
    });
    const pool = await startSignalService(config, { logger: silentLogger });
    started.push(pool);
    const perRequest = await startSignalService(config, {
      logger: silentLogger,
      cachePath: perConnectionCachePath(counts),
    });
    started.push(perRequest);
    // Every request of the phases is a hit: the pooled service fills the cache first.
    for (const body of bodies) await postOnce(pool, body);
    const fallbacksBefore = perRequest.cacheHealth.health().fallbacks;
    phases = await runPhases(context, params, { pool, 'new-connection': perRequest }, bodies);
    fallbacks = perRequest.cacheHealth.health().fallbacks - fallbacksBefore;
  } finally {
    for (const service of started) await service.close();
  }
  // Per connection, as the document states it: the p50 difference of a request over the connections
  // the per-request service opens for it (one per symbol; all hits, so no write-back connection).
  const trial = phases.p50Ms['new-connection'].map((p, i) => (p - phases.p50Ms.pool[i]!) / BATCH);
  const conditions = [
    `HTTP over ${environmentConditions(context)}`,
    `${trial.length} trials, each ${params.requestsPerPhase} requests to each service (closed loop, ${params.connections} keep-alive connections through autocannon, the order of the two services alternating), after ${params.warmupRequests} untimed requests each`,
    `${params.warmSetSize} distinct 5-symbol requests, all cached beforehand: the service's generator reads its 5 symbols one GET at a time (the document's per-symbol loop), so the per-request service opens 5 Redis connections per request (connect, ready check, GET, disconnect)`,
    "both services in the harness process, fastify, the service's resilient cache path and budget (a lookup over it is computed instead: counted in new-connection.fallbacks)",
    `figure per trial: (p50 with a new connection per cache call - p50 on the long-lived client) / ${BATCH} connections per request; ${params.connections} HTTP connection(s), so a request's latency is its own service time`,
    "loopback: a TCP connect costs microseconds here; the document's ~10 ms likely includes TCP and TLS handshakes over a real network",
  ].join('; ');
  return {
    values: poolValues(phases, counts, fallbacks),
    trials: { [CLAIM_ID]: trial },
    verdicts: [judgeClaim(claimIn(POOL_END_TO_END_CLAIMS, CLAIM_ID), trial, conditions)],
    parameters: { ...params, dataset: { symbols: dataset.symbols.length, tradingDays: dataset.tradingDays } },
    notes: [
      'the per-request service is the same signal service with its cache path built over a store that opens a Redis connection for each cache call and drops it after (src createRedisClient, src FeatureCache, src ResilientFeatureCache with the service budget)',
      ...(counts.opened !== counts.closed
        ? [`LEAK: ${counts.opened} connections opened, ${counts.closed} closed`]
        : []),
    ],
  };
}

export const poolEndToEnd: Scenario = {
  id: SCENARIO_ID,
  description:
    'The signal service at the http-signals load with its long-lived Redis client (the pool) vs a new Redis connection per request: HTTP p99 and p50 of each.',
  claims: [CLAIM_ID],
  tunables: POOL_END_TO_END_TUNABLES,
  run,
};
