/** The measuring half of invalidation: fill the keyspace, then invalidate the target under a GET load. */
import type { Redis } from 'ioredis';
import { MS_PER_S, NS_PER_MS } from '../../bench/core/units.ts';
import { formatFigure } from '../../bench/analysis/verdict.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { parseRedisInfo } from '../../src/monitoring/redis-info.ts';
import type { RedisInfo } from '../../src/monitoring/redis-info.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { TimedSamples, commandStatDelta } from './invalidation-figures.ts';
import { InvalidationKeyspace, TARGET_SYMBOL } from './invalidation-keyspace.ts';
import { INVALIDATION_METHODS, keysThenDelete, scanThenUnlink } from './invalidation-methods.ts';
import type { InvalidationMethod, InvalidationOutcome } from './invalidation-methods.ts';
import type { InvalidationParams } from './invalidation-params.ts';

export const SCENARIO_ID = 'invalidation';

export interface MethodTrial {
  readonly outcome: InvalidationOutcome;
  readonly load: LoadResult;
  readonly duringNs: number[];
  readonly serverUsecPerCall: number | null;
  readonly serverCalls: number;
}

/** What the rounds measured besides the histograms (those are in context.recorders). */
export interface InvalidationMeasurement {
  readonly trials: Record<InvalidationMethod, MethodTrial[]>;
  /** Latencies of the load's GETs done before any invalidation began: the undisturbed baseline. */
  readonly idleNs: number[];
  readonly anomalies: string[];
  readonly fillMs: number;
}

export const metricOf = {
  window: (method: InvalidationMethod) => `get.${method}`,
  during: (method: InvalidationMethod) => `get-during.${method}`,
  idle: 'get-before-invalidation',
  duration: (method: InvalidationMethod) => `invalidate.${method}`,
  keysCommand: 'keys-command',
};

/** The server command whose per-call time is the longest single block of each method. */
export const BLOCKING_COMMAND: Record<InvalidationMethod, string> = { 'keys-del': 'keys', 'scan-unlink': 'scan' };

async function openClient(url: string, name: string, opened: Redis[]): Promise<Redis> {
  // Generous timeouts: a GET stuck behind KEYS over a million keys is the measurement, not a failure.
  const client = createRedisClient(url, { commandTimeoutMs: 60_000, connectionName: name });
  opened.push(client);
  await waitUntilReady(client, 5_000);
  return client;
}

/** GETs of random filler keys on their own connection, each timed (sent, done) into the current samples. */
class GetLoad {
  samples = new TimedSamples(1);
  misses = 0;
  readonly #random: SeededRandom;
  readonly #origin = nowNs();

  constructor(
    private readonly client: Redis,
    private readonly keyspace: InvalidationKeyspace,
    seed: number,
  ) {
    this.#random = SeededRandom.forKey(seed, SCENARIO_ID);
  }

  /** ns since the load's origin, the clock of its samples. */
  sinceOriginNs(): number {
    return Number(nowNs() - this.#origin);
  }

  readonly operation = async (): Promise<void> => {
    const key = this.keyspace.fillerKey(this.#random.nextInt(this.keyspace.fillerKeys));
    const sent = this.sinceOriginNs();
    const value = await this.client.getBuffer(key);
    this.samples.add(sent, this.sinceOriginNs());
    if (value === null) this.misses += 1;
  };
}

/** One invalidation: INFO commandstats around it and its start and end on the load's clock. */
interface Invalidation {
  readonly outcome: InvalidationOutcome;
  readonly fromNs: number;
  readonly toNs: number;
  readonly before: RedisInfo;
  readonly after: RedisInfo;
}

/** The live handles of one run's rounds. */
interface Rig {
  readonly context: ScenarioContext;
  readonly params: InvalidationParams;
  readonly keyspace: InvalidationKeyspace;
  readonly invalidator: Redis;
  readonly cache: FeatureCache;
  readonly load: GetLoad;
}

async function invalidate(rig: Rig, method: InvalidationMethod): Promise<Invalidation> {
  const { context, params, load } = rig;
  await sleepMs(params.leadMs, context.signal);
  const before = parseRedisInfo(await context.admin.info('commandstats'));
  const fromNs = load.sinceOriginNs();
  const outcome =
    method === 'keys-del'
      ? await keysThenDelete(rig.invalidator, rig.keyspace.pattern)
      : await scanThenUnlink(rig.cache, TARGET_SYMBOL);
  const toNs = load.sinceOriginNs();
  const after = parseRedisInfo(await context.admin.info('commandstats'));
  await sleepMs(params.tailMs, context.signal);
  return { outcome, fromNs, toNs, before, after };
}

/** The load runs from leadMs before the invalidation to tailMs after it; an abort of the run stops it. */
async function invalidateUnderLoad(rig: Rig, method: InvalidationMethod): Promise<Invalidation & { load: LoadResult }> {
  const { context, params } = rig;
  const windowMs = params.leadMs + params.maxInvalidationMs + params.tailMs;
  rig.load.samples = new TimedSamples(Math.ceil((params.loadRate * windowMs) / MS_PER_S) + 16);
  const stopLoad = new AbortController();
  const forward = (): void => stopLoad.abort();
  context.signal.addEventListener('abort', forward, { once: true });
  try {
    const loading = runOpenLoop(
      {
        rateOpsPerSecond: params.loadRate,
        durationMs: windowMs,
        warmupDurationMs: 0,
        maxOperations: rig.load.samples.capacity,
        maxInFlight: params.maxInFlight,
        metricName: metricOf.window(method),
        drainTimeoutMs: params.maxInvalidationMs,
      },
      rig.load.operation,
      context.recorders,
      stopLoad.signal,
    );
    let invalidation: Invalidation;
    let load: LoadResult;
    try {
      invalidation = await invalidate(rig, method);
    } finally {
      stopLoad.abort();
      load = await loading;
    }
    return { ...invalidation, load };
  } finally {
    context.signal.removeEventListener('abort', forward);
  }
}

/** Records one invalidation's histograms and trial, and lists what went wrong in it. */
async function recordInvalidation(
  rig: Rig,
  measurement: InvalidationMeasurement,
  method: InvalidationMethod,
  round: number,
  done: Invalidation & { load: LoadResult },
): Promise<void> {
  const { context, params, keyspace, load: getLoad } = rig;
  const { recorders } = context;
  const { outcome, load } = done;
  const during = getLoad.samples.overlapping(done.fromNs, done.toNs);
  for (const ns of during) recorders.metric(metricOf.during(method)).recordNs(ns);
  for (const ns of getLoad.samples.completedBefore(done.fromNs)) {
    recorders.metric(metricOf.idle).recordNs(ns);
    measurement.idleNs.push(ns);
  }
  recorders.metric(metricOf.duration(method)).recordNs(outcome.durationNs);
  if (outcome.keysCommandNs !== null) recorders.metric(metricOf.keysCommand).recordNs(outcome.keysCommandNs);
  const server = commandStatDelta(done.before, done.after, BLOCKING_COMMAND[method]);
  measurement.trials[method].push({
    outcome,
    load,
    duringNs: during,
    serverUsecPerCall: server.usecPerCall,
    serverCalls: server.calls,
  });
  const anomaly = (text: string): number => measurement.anomalies.push(`round ${round + 1} ${method}: ${text}`);
  if (outcome.removed !== params.datesPerSymbol)
    anomaly(`removed ${outcome.removed} keys, expected ${params.datesPerSymbol}`);
  const left = await rig.invalidator.exists(
    ...Array.from({ length: Math.min(params.datesPerSymbol, 1_000) }, (_, i) => keyspace.targetKey(i)),
  );
  if (left !== 0) anomaly(`${left} of ${TARGET_SYMBOL}'s keys still exist after the invalidation`);
  if (getLoad.samples.dropped > 0)
    anomaly(`${getLoad.samples.dropped} GET timings beyond the sample bound were not placed`);
  // The load is stopped by an abort once the tail is over: its "aborted", "abandoned" and "unsent"
  // warnings are that stop, not a problem.
  for (const warning of load.warnings.filter(
    (w) => w.startsWith('generator fell behind') || w.startsWith('sends lagged'),
  ))
    anomaly(`load: ${warning}`);
  if (load.errors + load.timeouts > 0) anomaly(`${load.errors} load GETs failed and ${load.timeouts} timed out`);
  context.progress(
    `round ${round + 1}/${params.rounds} ${method}: ${formatFigure(outcome.durationNs / NS_PER_MS, 'ms')}, ${during.length} concurrent GETs, max ${formatFigure(Math.max(0, ...during) / NS_PER_MS, 'ms')}`,
  );
}

/** Writes the keyspace; returns how long it took in ms. */
async function fillKeyspace(rig: Pick<Rig, 'context' | 'params' | 'keyspace' | 'invalidator'>): Promise<number> {
  const { context, params, keyspace } = rig;
  const fillStart = nowNs();
  let reported = 0;
  await keyspace.fill(rig.invalidator, context.signal, (written) => {
    if (written - reported >= 100_000) {
      reported = written;
      context.progress(`filling: ${written} of ${keyspace.fillerKeys} keys`);
    }
  });
  const fillMs = Number(nowNs() - fillStart) / NS_PER_MS;
  context.progress(
    `${params.keys} keys in ${fillMs.toFixed(0)} ms (${keyspace.fillerKeys} filler + ${params.datesPerSymbol} of ${TARGET_SYMBOL}); load ${params.loadRate} GET/s; ${params.rounds} rounds x ${INVALIDATION_METHODS.join(' and ')}`,
  );
  return fillMs;
}

/** The load alone, unrecorded, before the first round. */
async function warmUp(rig: Rig): Promise<void> {
  const { params } = rig;
  if (params.warmupDurationMs <= 0) return;
  await runOpenLoop(
    {
      rateOpsPerSecond: params.loadRate,
      durationMs: params.warmupDurationMs,
      warmupDurationMs: 0,
      maxInFlight: params.maxInFlight,
      metricName: 'warmup',
    },
    rig.load.operation,
    new RecorderSet(),
    rig.context.signal,
  );
}

/** Every round invalidates the target once with each method, the order alternating from round to round. */
async function rounds(rig: Rig, measurement: InvalidationMeasurement): Promise<void> {
  const { context, params } = rig;
  const { signal } = context;
  for (let round = 0; round < params.rounds && !signal.aborted; round++) {
    const order = round % 2 === 0 ? INVALIDATION_METHODS : [...INVALIDATION_METHODS].reverse();
    for (const method of order) {
      if (signal.aborted) break;
      await rig.keyspace.writeTarget(rig.invalidator, signal);
      const done = await invalidateUnderLoad(rig, method);
      if (signal.aborted) break;
      await recordInvalidation(rig, measurement, method, round, done);
    }
    context.recorders.markTrial();
  }
}

/** Fills the keyspace, warms the load up and runs the rounds; the clients it opens are added to `opened`. */
export async function measureInvalidations(
  context: ScenarioContext,
  params: InvalidationParams,
  keyspace: InvalidationKeyspace,
  opened: Redis[],
): Promise<InvalidationMeasurement> {
  const loadClient = await openClient(context.target.url, 'rpb-invalidation-load', opened);
  const invalidator = await openClient(context.target.url, 'rpb-invalidation', opened);
  const cache = new FeatureCache({
    client: invalidator,
    scanCount: params.scanCount,
    unlinkBatchSize: params.unlinkBatchSize,
  });
  const fillMs = await fillKeyspace({ context, params, keyspace, invalidator });
  const load = new GetLoad(loadClient, keyspace, context.params.seed);
  const rig: Rig = { context, params, keyspace, invalidator, cache, load };
  const measurement: InvalidationMeasurement = {
    trials: { 'keys-del': [], 'scan-unlink': [] },
    idleNs: [],
    anomalies: [],
    fillMs,
  };
  await warmUp(rig);
  await rounds(rig, measurement);
  if (load.misses > 0) {
    measurement.anomalies.push(`${load.misses} load GETs missed (filler keys are never invalidated: expected 0)`);
  }
  return measurement;
}
