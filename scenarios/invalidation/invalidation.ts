import os from 'node:os';
import type { Redis } from 'ioredis';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { parseRedisInfo } from '../../src/monitoring/redis-info.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { TimedSamples, commandStatDelta, percentileOf } from './invalidation-figures.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { formatFigure } from '../../bench/analysis/verdict.ts';
import { ConfigError } from '../../bench/errors.ts';
import { InvalidationKeyspace, TARGET_SYMBOL } from './invalidation-keyspace.ts';
import { INVALIDATION_METHODS, keysThenDelete, scanThenUnlink } from './invalidation-methods.ts';
import type { InvalidationMethod, InvalidationOutcome } from './invalidation-methods.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome, ScenarioValue } from '../../bench/core/scenario.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

const SCENARIO_ID = 'invalidation';
const NS_PER_MS = 1e6;

export interface InvalidationParams {
  readonly rounds: number;
  /** Keys in the database (the target symbol's included). */
  readonly keys: number;
  /** Dates per symbol: the target symbol holds this many keys, all of which are invalidated. */
  readonly datesPerSymbol: number;
  readonly valueBytes: number;
  /** Open-loop GETs of random other keys, running through each invalidation. */
  readonly loadRate: number;
  readonly maxInFlight: number;
  /** Load before the invalidation starts, and after it ends. */
  readonly leadMs: number;
  readonly tailMs: number;
  /** Bound on one invalidation's load window (the load stops by then even if the invalidation has not). */
  readonly maxInvalidationMs: number;
  readonly warmupDurationMs: number;
  /** FeatureCache.invalidateSymbol's SCAN COUNT and UNLINK batch. */
  readonly scanCount: number;
  readonly unlinkBatchSize: number;
  readonly fillBatch: number;
  readonly ttlSeconds: number;
}

export const DEFAULT_INVALIDATION_PARAMS: InvalidationParams = {
  rounds: 5,
  keys: 100_000,
  datesPerSymbol: 250,
  valueBytes: 100,
  loadRate: 1_000,
  maxInFlight: 2_000,
  leadMs: 300,
  tailMs: 300,
  maxInvalidationMs: 60_000,
  warmupDurationMs: 500,
  scanCount: 500,
  unlinkBatchSize: 500,
  fillBatch: 1_000,
  ttlSeconds: 3_600,
};

/** --quick: 20k keys, 3 rounds. */
export const QUICK_INVALIDATION_PARAMS: InvalidationParams = {
  ...DEFAULT_INVALIDATION_PARAMS,
  rounds: 3,
  keys: 20_000,
  leadMs: 200,
  tailMs: 200,
  warmupDurationMs: 200,
};

export const INVALIDATION_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 1,
    max: 50,
    description: 'rounds; each invalidates the target symbol once with every method, in alternating order',
  },
  // The ranges keep datesPerSymbol below keys and the keyspace under ~1.3 GB of Redis memory (2M x (512 + ~120) bytes).
  keys: {
    kind: 'integer',
    min: 2_000,
    max: 2_000_000,
    description: 'keys in the database (100k by default, 1M for a large cache)',
  },
  datesPerSymbol: {
    kind: 'integer',
    min: 1,
    max: 1_000,
    description: 'keys of the invalidated symbol (one per cached date)',
  },
  valueBytes: {
    kind: 'integer',
    min: 1,
    max: 512,
    description: 'bytes of every value (KEYS and SCAN cost depends on key count, not value size)',
  },
  loadRate: { kind: 'number', min: 1, max: 100_000, description: 'GETs per second of the concurrent open-loop load' },
  maxInFlight: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'in-flight bound of the load (sends wait beyond it; latency still counts from the intended time)',
  },
  leadMs: { kind: 'integer', min: 0, max: 60_000, description: 'load before each invalidation' },
  tailMs: { kind: 'integer', min: 0, max: 60_000, description: 'load after each invalidation' },
  maxInvalidationMs: { kind: 'integer', min: 100, max: 600_000, description: 'bound on one invalidation load window' },
  warmupDurationMs: {
    kind: 'integer',
    min: 0,
    max: 60_000,
    description: 'load warm-up before the first round (not recorded)',
  },
  scanCount: {
    kind: 'integer',
    min: 1,
    max: 1_000_000,
    description: 'SCAN COUNT of FeatureCache.invalidateSymbol (its default: 500)',
  },
  unlinkBatchSize: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'keys per UNLINK of FeatureCache.invalidateSymbol',
  },
};

interface MethodTrial {
  readonly outcome: InvalidationOutcome;
  readonly load: LoadResult;
  readonly duringNs: number[];
  readonly serverUsecPerCall: number | null;
  readonly serverCalls: number;
}

const metricOf = {
  window: (method: InvalidationMethod) => `get.${method}`,
  during: (method: InvalidationMethod) => `get-during.${method}`,
  idle: 'get-before-invalidation',
  duration: (method: InvalidationMethod) => `invalidate.${method}`,
  keysCommand: 'keys-command',
};

/** The server command whose per-call time is the longest single block of each method. */
const BLOCKING_COMMAND: Record<InvalidationMethod, string> = { 'keys-del': 'keys', 'scan-unlink': 'scan' };

async function openClient(url: string, name: string, opened: Redis[]): Promise<Redis> {
  // Generous timeouts: a GET stuck behind KEYS over a million keys is the measurement, not a failure.
  const client = createRedisClient(url, { commandTimeoutMs: 60_000, connectionName: name });
  opened.push(client);
  await waitUntilReady(client, 5_000);
  return client;
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { params: runParams, recorders, progress, admin, signal } = context;
  const params: InvalidationParams = {
    ...(runParams.quick ? QUICK_INVALIDATION_PARAMS : DEFAULT_INVALIDATION_PARAMS),
    ...context.overrides,
  };
  if (context.managed === null) {
    throw new ConfigError(
      `invalidation runs KEYS over ${params.keys} keys, which blocks the whole server: it runs only on a Redis the harness starts, not on ${context.redactedUrl}`,
      {
        hint: 'run invalidation without --redis-url (the harness starts its own redis-server)',
      },
    );
  }

  const keyspace = new InvalidationKeyspace({
    totalKeys: params.keys,
    datesPerSymbol: params.datesPerSymbol,
    valueBytes: params.valueBytes,
    ttlSeconds: params.ttlSeconds,
    fillBatch: params.fillBatch,
  });
  const opened: Redis[] = [];
  const trials: Record<InvalidationMethod, MethodTrial[]> = { 'keys-del': [], 'scan-unlink': [] };
  const idleNs: number[] = [];
  const anomalies: string[] = [];
  let fillMs = 0;
  try {
    const loadClient = await openClient(context.redisUrl, 'rpb-invalidation-load', opened);
    const invalidator = await openClient(context.redisUrl, 'rpb-invalidation', opened);
    const cache = new FeatureCache({
      client: invalidator,
      scanCount: params.scanCount,
      unlinkBatchSize: params.unlinkBatchSize,
    });
    const fillStart = nowNs();
    let reported = 0;
    await keyspace.fill(invalidator, signal, (written) => {
      if (written - reported >= 100_000) {
        reported = written;
        progress(`filling: ${written} of ${keyspace.fillerKeys} keys`);
      }
    });
    fillMs = Number(nowNs() - fillStart) / NS_PER_MS;
    progress(
      `${params.keys} keys in ${fillMs.toFixed(0)} ms (${keyspace.fillerKeys} filler + ${params.datesPerSymbol} of ${TARGET_SYMBOL}); load ${params.loadRate} GET/s; ${params.rounds} rounds x ${INVALIDATION_METHODS.join(' and ')}`,
    );

    const random = SeededRandom.forKey(runParams.seed, SCENARIO_ID);
    const origin = nowNs();
    let samples = new TimedSamples(1);
    let misses = 0;
    const operation = async (): Promise<void> => {
      const key = keyspace.fillerKey(random.nextInt(keyspace.fillerKeys));
      const sent = Number(nowNs() - origin);
      const value = await loadClient.getBuffer(key);
      samples.add(sent, Number(nowNs() - origin));
      if (value === null) misses += 1;
    };
    if (params.warmupDurationMs > 0) {
      await runOpenLoop(
        {
          rateOpsPerSecond: params.loadRate,
          durationMs: params.warmupDurationMs,
          warmupDurationMs: 0,
          maxInFlight: params.maxInFlight,
          metricName: 'warmup',
        },
        operation,
        new RecorderSet(),
        signal,
      );
    }

    for (let round = 0; round < params.rounds && !signal.aborted; round++) {
      const order = round % 2 === 0 ? INVALIDATION_METHODS : [...INVALIDATION_METHODS].reverse();
      for (const method of order) {
        if (signal.aborted) break;
        await keyspace.writeTarget(invalidator, signal);
        const windowMs = params.leadMs + params.maxInvalidationMs + params.tailMs;
        samples = new TimedSamples(Math.ceil((params.loadRate * windowMs) / 1_000) + 16);
        const stopLoad = new AbortController();
        const forward = (): void => stopLoad.abort();
        signal.addEventListener('abort', forward, { once: true });
        let load: LoadResult;
        let outcome: InvalidationOutcome;
        let fromNs = 0;
        let toNs = 0;
        let before = parseRedisInfo('');
        let after = before;
        try {
          const loading = runOpenLoop(
            {
              rateOpsPerSecond: params.loadRate,
              durationMs: windowMs,
              warmupDurationMs: 0,
              maxOperations: samples.capacity,
              maxInFlight: params.maxInFlight,
              metricName: metricOf.window(method),
              drainTimeoutMs: params.maxInvalidationMs,
            },
            operation,
            recorders,
            stopLoad.signal,
          );
          try {
            await sleepMs(params.leadMs, signal);
            before = parseRedisInfo(await admin.info('commandstats'));
            fromNs = Number(nowNs() - origin);
            outcome =
              method === 'keys-del'
                ? await keysThenDelete(invalidator, keyspace.pattern)
                : await scanThenUnlink(cache, TARGET_SYMBOL);
            toNs = Number(nowNs() - origin);
            after = parseRedisInfo(await admin.info('commandstats'));
            await sleepMs(params.tailMs, signal);
          } finally {
            stopLoad.abort();
            load = await loading;
          }
        } finally {
          signal.removeEventListener('abort', forward);
        }
        if (signal.aborted) break;
        const during = samples.overlapping(fromNs, toNs);
        for (const ns of during) recorders.metric(metricOf.during(method)).recordNs(ns);
        for (const ns of samples.completedBefore(fromNs)) {
          recorders.metric(metricOf.idle).recordNs(ns);
          idleNs.push(ns);
        }
        recorders.metric(metricOf.duration(method)).recordNs(outcome.durationNs);
        if (outcome.keysCommandNs !== null) recorders.metric(metricOf.keysCommand).recordNs(outcome.keysCommandNs);
        const server = commandStatDelta(before, after, BLOCKING_COMMAND[method]);
        trials[method].push({
          outcome,
          load,
          duringNs: during,
          serverUsecPerCall: server.usecPerCall,
          serverCalls: server.calls,
        });
        if (outcome.removed !== params.datesPerSymbol)
          anomalies.push(
            `round ${round + 1} ${method}: removed ${outcome.removed} keys, expected ${params.datesPerSymbol}`,
          );
        const left = await invalidator.exists(
          ...Array.from({ length: Math.min(params.datesPerSymbol, 1_000) }, (_, i) => keyspace.targetKey(i)),
        );
        if (left !== 0)
          anomalies.push(
            `round ${round + 1} ${method}: ${left} of ${TARGET_SYMBOL}'s keys still exist after the invalidation`,
          );
        if (samples.dropped > 0)
          anomalies.push(
            `round ${round + 1} ${method}: ${samples.dropped} GET timings beyond the sample bound were not placed`,
          );
        // The load is stopped by an abort once the tail is over: its "aborted", "abandoned" and "unsent" warnings are that stop, not a problem.
        for (const warning of load.warnings.filter(
          (w) => w.startsWith('generator fell behind') || w.startsWith('sends lagged'),
        ))
          anomalies.push(`round ${round + 1} ${method}: load: ${warning}`);
        if (load.errors + load.timeouts > 0)
          anomalies.push(
            `round ${round + 1} ${method}: ${load.errors} load GETs failed and ${load.timeouts} timed out`,
          );
        progress(
          `round ${round + 1}/${params.rounds} ${method}: ${formatFigure(outcome.durationNs / NS_PER_MS, 'ms')}, ${during.length} concurrent GETs, max ${formatFigure(Math.max(0, ...during) / NS_PER_MS, 'ms')}`,
        );
      }
      recorders.markTrial();
    }
    if (misses > 0) anomalies.push(`${misses} load GETs missed (filler keys are never invalidated: expected 0)`);
  } finally {
    for (const client of opened) client.disconnect();
    // Best effort: the keys carry a TTL if Redis is gone; the run's own error matters more.
    await keyspace.remove(admin).catch(() => 0);
  }
  return outcomeOf(context, params, trials, idleNs, anomalies, fillMs);
}

function outcomeOf(
  context: ScenarioContext,
  params: InvalidationParams,
  trials: Record<InvalidationMethod, MethodTrial[]>,
  idleNs: readonly number[],
  anomalies: readonly string[],
  fillMs: number,
): ScenarioOutcome {
  const values: Record<string, ScenarioValue> = {};
  const trialFigures: Record<string, number[]> = {};
  const median = (xs: readonly number[]): number | null =>
    xs.filter(Number.isFinite).length > 0 ? medianOf(xs.filter(Number.isFinite)) : null;
  const ms = (ns: number): number => ns / NS_PER_MS;
  const perMethod: Record<
    string,
    { duration: number | null; p99: number | null; max: number | null; server: number | null }
  > = {};
  for (const method of INVALIDATION_METHODS) {
    const list = trials[method];
    const duration = list.map((t) => ms(t.outcome.durationNs));
    const p99 = list.map((t) => ms(percentileOf(t.duringNs, 99)));
    const max = list.map((t) => (t.duringNs.length > 0 ? ms(Math.max(...t.duringNs)) : Number.NaN));
    const server = list.map((t) => (t.serverUsecPerCall === null ? Number.NaN : t.serverUsecPerCall / 1_000));
    const windowMax = list.map((t) => t.load.maxSendLagMs ?? Number.NaN);
    trialFigures[`duration-ms.${method}`] = duration;
    trialFigures[`during-get-p99-ms.${method}`] = p99;
    trialFigures[`during-get-max-ms.${method}`] = max;
    perMethod[method] = { duration: median(duration), p99: median(p99), max: median(max), server: median(server) };
    values[`duration-ms.${method}`] = {
      value: perMethod[method].duration,
      unit: 'ms',
      description: `wall time to remove the ${params.datesPerSymbol} keys of ${TARGET_SYMBOL} among ${params.keys}, median over rounds`,
    };
    values[`during-get-p99-ms.${method}`] = {
      value: perMethod[method].p99,
      unit: 'ms',
      description:
        'p99 of the load GETs in flight during the invalidation (from their actual send), median over rounds',
    };
    values[`during-get-max-ms.${method}`] = {
      value: perMethod[method].max,
      unit: 'ms',
      description: 'slowest load GET in flight during the invalidation, median over rounds',
    };
    values[`during-gets.${method}`] = {
      value: median(list.map((t) => t.duringNs.length)),
      unit: 'count',
      description: 'load GETs in flight during the invalidation, median over rounds',
    };
    values[`server-ms-per-call.${BLOCKING_COMMAND[method]}`] = {
      value: perMethod[method].server,
      unit: 'ms',
      description: `server time per ${BLOCKING_COMMAND[method].toUpperCase()} call (INFO commandstats), median over rounds: the longest single block of the server by this method${method === 'scan-unlink' ? ' (mean of its SCAN steps)' : ''}`,
    };
    values[`server-calls.${BLOCKING_COMMAND[method]}`] = {
      value: median(list.map((t) => t.serverCalls)),
      unit: 'count',
      description: `${BLOCKING_COMMAND[method].toUpperCase()} calls per invalidation`,
    };
    values[`load-max-send-lag-ms.${method}`] = {
      value: median(windowMax),
      unit: 'ms',
      description:
        'largest delay of a load send behind its schedule (0-ish: the corrected and uncorrected figures agree)',
    };
  }
  const keys = perMethod['keys-del']!;
  const scan = perMethod['scan-unlink']!;
  const ratio = (a: number | null, b: number | null): number | null =>
    a !== null && b !== null && b > 0 ? a / b : null;
  values['max-get-ratio'] = {
    value: ratio(keys.max, scan.max),
    unit: 'x',
    description: 'slowest concurrent GET under KEYS+DEL / under SCAN+UNLINK (medians over rounds)',
  };
  values['p99-get-ratio'] = {
    value: ratio(keys.p99, scan.p99),
    unit: 'x',
    description: 'p99 of concurrent GETs under KEYS+DEL / under SCAN+UNLINK',
  };
  values['duration-ratio'] = {
    value: ratio(scan.duration, keys.duration),
    unit: 'x',
    description:
      'SCAN+UNLINK wall time / KEYS+DEL wall time (SCAN takes longer in total: it gives way to other clients between steps)',
  };
  values['server-block-ratio'] = {
    value: ratio(keys.server, scan.server),
    unit: 'x',
    description: 'server time of one KEYS / of one SCAN step',
  };
  const idleP99 = idleNs.length > 0 ? ms(percentileOf(idleNs, 99)) : null;
  values['idle-get-p99-ms'] = {
    value: idleP99,
    unit: 'ms',
    description: 'p99 of the load GETs done before any invalidation began (the undisturbed baseline)',
  };
  values['fill-ms'] = {
    value: fillMs,
    unit: 'ms',
    description: `time to write the ${params.keys} keys (pipelines of ${params.fillBatch} SET EX)`,
  };
  values.anomalies = {
    value: anomalies.length,
    unit: 'count',
    description: 'wrong removal counts, keys left, misses, load warnings (expected 0)',
  };
  const f = (v: number | null, unit: string): string => (v === null ? 'n/a' : formatFigure(v, unit));
  const notes = [
    `the document's code: \`for key in redis_client._client.keys("features:AAPL:*"): redis_client.delete(key)\` (keys-del: KEYS, then one DEL per key); the service's: FeatureCache.invalidateSymbol (scan-unlink: SCAN MATCH COUNT ${params.scanCount}, UNLINK ${params.unlinkBatchSize} keys at a time)`,
    `${params.keys} keys (${params.valueBytes}-byte values), ${params.datesPerSymbol} of them ${TARGET_SYMBOL}'s; open-loop GETs of random other keys at ${params.loadRate}/s on their own connection, from ${params.leadMs} ms before each invalidation to ${params.tailMs} ms after; ${context.network}, Node ${process.version}, ${os.cpus().length} CPUs`,
    `keys-del: ${f(keys.duration, 'ms')} in all, one KEYS blocking the server ${f(keys.server, 'ms')}; concurrent GETs p99 ${f(keys.p99, 'ms')}, max ${f(keys.max, 'ms')}`,
    `scan-unlink: ${f(scan.duration, 'ms')} in all, SCAN steps of ${f(scan.server, 'ms')} each; concurrent GETs p99 ${f(scan.p99, 'ms')}, max ${f(scan.max, 'ms')}`,
    `undisturbed GETs p99 ${f(idleP99, 'ms')}; slowest concurrent GET ${f(values['max-get-ratio'].value, 'x')} higher under KEYS than under SCAN; SCAN+UNLINK takes ${f(values['duration-ratio'].value, 'x')} the wall time of KEYS+DEL but never stops the server for long`,
    `metrics: ${metricOf.window('keys-del')} / ${metricOf.window('scan-unlink')} = every load GET of the window, coordinated omission corrected (.uncorrected beside); ${metricOf.during('keys-del')} / ${metricOf.during('scan-unlink')} = the GETs in flight during the invalidation (from the actual send; the in-flight bound ${params.maxInFlight} is far above rate x block time, so sends are not held back); ${metricOf.duration('keys-del')} / ${metricOf.duration('scan-unlink')} = the invalidation's wall time`,
    'no verdict: the document gives no figure for invalidation; it uses KEYS in its example, and these figures show what that costs every other client',
    ...anomalies.map((a) => `anomaly: ${a}`),
  ];
  if (context.signal.aborted) notes.push('interrupted: fewer rounds than planned');
  return {
    values,
    trials: trialFigures,
    verdicts: [],
    parameters: { ...params, fillerKeys: params.keys - params.datesPerSymbol },
    notes,
  };
}

export const invalidation: Scenario = {
  id: SCENARIO_ID,
  description:
    "Invalidating one symbol's keys among 100k-1M: KEYS+DEL (the document's code) vs SCAN+UNLINK, with the p99 and max of a concurrent GET load during each.",
  claims: [],
  tunables: INVALIDATION_TUNABLES,
  run,
};
