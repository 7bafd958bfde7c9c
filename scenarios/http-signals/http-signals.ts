import os from 'node:os';
import { featureKey } from '../../src/cache/feature-key.ts';
import { hitRate } from '../../src/cache/cache-health.ts';
import { silentLogger } from '../../src/logger.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { parseServiceConfig } from '../../src/service/service-config.ts';
import type { SignalService } from '../../src/service/signal-service.ts';
import { startSignalService } from '../../src/service/signal-service.ts';
import { claimsForScenario } from '../../bench/analysis/claim-registry.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { runHttpPhase } from './http-load.ts';
import type { HttpPhaseResult } from './http-load.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome, ScenarioValue } from '../../bench/core/scenario.ts';

export interface HttpSignalsParams {
  readonly symbolCount: number;
  readonly asOfDateCount: number;
  /** Keep-alive connections of the throughput phases (warm, no cache, cold, Redis killed). */
  readonly connections: number;
  /** Length and request cap of each throughput phase. */
  readonly phaseDurationMs: number;
  readonly maxRequestsPerPhase: number;
  /** Distinct 5-symbol requests the warm phase cycles over (all cached beforehand). */
  readonly warmSetSize: number;
  /** Rounds (trials) of the document's 5-symbol / 80%-hit example, and requests per round and variant. */
  readonly mixRounds: number;
  readonly mixRequestsPerRound: number;
  /** The Redis-killed phase: its length, and when the kill lands (fraction of it). */
  readonly killPhaseDurationMs: number;
  readonly killAtFraction: number;
}

export const DEFAULT_HTTP_SIGNALS_PARAMS: HttpSignalsParams = {
  symbolCount: 500,
  asOfDateCount: 250,
  connections: 4,
  phaseDurationMs: 10_000,
  maxRequestsPerPhase: 200_000,
  warmSetSize: 50,
  mixRounds: 7,
  mixRequestsPerRound: 40,
  killPhaseDurationMs: 12_000,
  killAtFraction: 1 / 3,
};

export const QUICK_HTTP_SIGNALS_PARAMS: HttpSignalsParams = {
  ...DEFAULT_HTTP_SIGNALS_PARAMS,
  symbolCount: 60,
  asOfDateCount: 120,
  phaseDurationMs: 2_500,
  maxRequestsPerPhase: 20_000,
  warmSetSize: 20,
  mixRounds: 3,
  mixRequestsPerRound: 12,
  killPhaseDurationMs: 4_000,
};

export const HTTP_SIGNALS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  symbolCount: { kind: 'integer', min: 10, max: 5_000, description: 'symbols in the market data set' },
  connections: { kind: 'integer', min: 1, max: 64, description: 'keep-alive connections of the throughput phases' },
  phaseDurationMs: { kind: 'integer', min: 200, max: 600_000, description: 'length of each throughput phase' },
  maxRequestsPerPhase: { kind: 'integer', min: 10, max: 10_000_000, description: 'request cap of each phase' },
  warmSetSize: {
    kind: 'integer',
    min: 1,
    max: 10_000,
    description: 'distinct cached requests the warm and no-cache phases cycle over',
  },
  mixRounds: {
    kind: 'integer',
    min: 3,
    max: 100,
    description: "rounds of the document's 5-symbol / 80%-hit example (trials behind its verdicts)",
  },
  mixRequestsPerRound: {
    kind: 'integer',
    min: 3,
    max: 10_000,
    description: 'requests per round and variant in the 80%-hit example',
  },
  killPhaseDurationMs: { kind: 'integer', min: 500, max: 600_000, description: 'length of the Redis-killed phase' },
};

const PATH = '/api/v1/signals';
const BATCH = 5;

/** A 5-symbol request: one date, one group of symbols. */
interface Combo {
  readonly date: string;
  readonly symbols: readonly string[];
}

/** Distinct requests in a fixed order; `take` hands out ones never asked before (cold by construction). */
class ComboSource {
  private next = 0;
  private readonly groups: string[][];

  constructor(
    symbols: readonly string[],
    private readonly dates: readonly string[],
  ) {
    this.groups = [];
    for (let i = 0; i + BATCH <= symbols.length; i += BATCH) this.groups.push(symbols.slice(i, i + BATCH));
  }

  get capacity(): number {
    return this.groups.length * this.dates.length - this.next;
  }

  take(count: number): Combo[] {
    const out: Combo[] = [];
    const total = this.groups.length * this.dates.length;
    for (let i = 0; i < count && this.next < total; i += 1, this.next += 1) {
      out.push({
        date: this.dates[this.next % this.dates.length]!,
        symbols: this.groups[Math.floor(this.next / this.dates.length)]!,
      });
    }
    return out;
  }
}

const body = (combo: Combo, symbols: readonly string[] = combo.symbols): string =>
  JSON.stringify({ symbols, as_of_date: combo.date });

async function postOnce(service: SignalService, payload: string): Promise<void> {
  const response = await fetch(`${service.url}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload,
  });
  if (response.status !== 200)
    throw new Error(`set-up request failed: HTTP ${response.status} ${await response.text()}`);
  await response.arrayBuffer().catch(() => undefined);
}

interface PhaseFigures {
  readonly result: HttpPhaseResult;
  readonly okLatenciesNs: number[];
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { params: runParams, recorders, progress, signal } = context;
  const params: HttpSignalsParams = {
    ...(runParams.quick ? QUICK_HTTP_SIGNALS_PARAMS : DEFAULT_HTTP_SIGNALS_PARAMS),
    ...context.overrides,
  };
  const dataset = await prepareDataset(datasetParams(params.symbolCount, runParams.seed), runParams.dataDir, progress);
  const combos = new ComboSource(dataset.symbols, tradingDaysEndingAt(dataset.endDate, params.asOfDateCount));
  const values: Record<string, ScenarioValue> = {};
  const notes: string[] = [];
  const services: SignalService[] = [];
  try {
    const common = {
      PORT: '0',
      HOST: '127.0.0.1',
      MARKET_DATA_DIR: dataset.dir,
      MAX_SYMBOLS: String(BATCH),
      SHUTDOWN_GRACE_MS: '2000',
    };
    const cached = await startSignalService(parseServiceConfig({ ...common, REDIS_URL: context.redisUrl }), {
      logger: silentLogger,
    });
    services.push(cached);
    const uncached = await startSignalService(parseServiceConfig({ ...common, REDIS_ENABLED: 'false' }), {
      logger: silentLogger,
    });
    services.push(uncached);

    // Keys of requests we call cold must not exist (a --redis-url target may hold some from an earlier run).
    const forget = async (list: readonly Combo[]): Promise<void> => {
      const keys = list.flatMap((c) => c.symbols.map((s) => featureKey(s, c.date)));
      for (let i = 0; i < keys.length; i += 500) await context.admin.unlink(...keys.slice(i, i + 500));
    };

    const phase = async (
      name: string,
      service: SignalService,
      bodies: () => string,
      options: PhaseOptions,
    ): Promise<PhaseFigures> => {
      const okLatenciesNs: number[] = [];
      const metric = options.record === false ? null : recorders.metric(`http.${name}`);
      progress(
        `${name}: ${options.connections} connection(s), up to ${options.durationMs} ms / ${options.maxRequests} requests`,
      );
      const result = await runHttpPhase({
        url: service.url,
        path: PATH,
        connections: options.connections,
        durationMs: options.durationMs,
        maxRequests: options.maxRequests,
        nextBody: bodies,
        signal,
        onResponse: (status, ns, atMs) => {
          if (status === 200) {
            metric?.recordNs(ns);
            okLatenciesNs.push(ns);
          }
          options.onResponse?.(status, ns, atMs);
        },
      });
      recorders.cutAll();
      if (options.summarize === false) return { result, okLatenciesNs };
      const sorted = [...okLatenciesNs].sort((a, b) => a - b);
      const pick = (q: number): number | null =>
        sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1e6;
      const rps = result.durationMs > 0 ? ((result.completed - result.non2xx) * 1000) / result.durationMs : 0;
      values[`${name}.requests-per-second`] = {
        value: rps,
        unit: 'req/s',
        description: `${name}: 2xx responses per second (${options.connections} connection(s), loopback, service and load generator in one process)`,
      };
      values[`${name}.p50-ms`] = {
        value: pick(0.5),
        unit: 'ms',
        description: `${name}: median latency of 2xx responses, client side`,
      };
      values[`${name}.p99-ms`] = {
        value: pick(0.99),
        unit: 'ms',
        description: `${name}: p99 latency of 2xx responses, client side`,
      };
      values[`${name}.errors`] = {
        value: result.non2xx + result.errors,
        unit: 'count',
        description: `${name}: non-2xx responses (${result.non2xx}) + requests with no answer (${result.errors}, of which ${result.timeouts} timeouts)`,
      };
      values[`${name}.requests`] = {
        value: result.completed,
        unit: 'count',
        description: `${name}: responses received in ${result.durationMs} ms`,
      };
      progress(
        `${name}: ${rps.toFixed(0)} req/s, p50 ${pick(0.5)?.toFixed(2) ?? '-'} ms, p99 ${pick(0.99)?.toFixed(2) ?? '-'} ms, ${result.non2xx + result.errors} errors`,
      );
      return { result, okLatenciesNs };
    };

    // Warm: a fixed set of requests, every one cached beforehand (the set-up requests also warm the JIT).
    const warmSet = combos.take(params.warmSetSize);
    await forget(warmSet);
    for (const combo of warmSet) await postOnce(cached, body(combo));
    let cursor = 0;
    const cycleWarm = (): string => body(warmSet[cursor++ % warmSet.length]!);
    const statsBefore = snapshot(cached);
    await phase('warm', cached, cycleWarm, {
      connections: params.connections,
      durationMs: params.phaseDurationMs,
      maxRequests: params.maxRequestsPerPhase,
    });
    const statsWarm = snapshot(cached);
    values['warm.hit-rate'] = {
      value: rate(statsBefore, statsWarm),
      unit: 'ratio',
      description: 'feature cache hit rate during the warm phase (expected 1)',
    };

    if (signal.aborted) return finish();
    await phase('no-cache', uncached, cycleWarm, {
      connections: params.connections,
      durationMs: params.phaseDurationMs,
      maxRequests: params.maxRequestsPerPhase,
    });

    if (signal.aborted) return finish();
    // Cold: every request asks for 5 features never asked before (5 misses: Parquet read, Alpha158, SET EX).
    const coldCap = Math.min(
      params.maxRequestsPerPhase,
      Math.max(0, combos.capacity - (params.mixRounds + 1) * params.mixRequestsPerRound),
    );
    const coldSet = combos.take(Math.max(1, coldCap));
    await forget(coldSet);
    let coldCursor = 0;
    const coldBefore = snapshot(cached);
    const cold = await phase('cold', cached, () => body(coldSet[Math.min(coldCursor++, coldSet.length - 1)]!), {
      connections: params.connections,
      durationMs: params.phaseDurationMs,
      maxRequests: coldSet.length,
    });
    values['cold.hit-rate'] = {
      value: rate(coldBefore, snapshot(cached)),
      unit: 'ratio',
      description: 'feature cache hit rate during the cold phase (expected 0)',
    };
    if (cold.result.completed >= coldSet.length)
      notes.push(
        `cold phase ran out of distinct requests after ${coldSet.length}; raise symbolCount for a longer cold phase`,
      );

    if (signal.aborted) return finish();
    // The document's worked example, end to end: 5 symbols, 4 cached, vs the same 5 with no cache.
    const mixNoCache: number[] = [];
    const mixWithCache: number[] = [];
    const mixImprovement: number[] = [];
    const mixAll = { noCache: [] as number[], withCache: [] as number[] };
    let mixHits = 0;
    let mixMisses = 0;
    // Round -1 is a warm-up of both variants (JIT, connections), never recorded nor judged.
    for (let round = -1; round < params.mixRounds && !signal.aborted; round += 1) {
      const set = combos.take(params.mixRequestsPerRound);
      if (set.length === 0) {
        notes.push(
          `the data set ran out of distinct requests after ${round} round(s) of the 80%-hit example; raise symbolCount`,
        );
        break;
      }
      await forget(set);
      for (const combo of set) await postOnce(cached, body(combo, combo.symbols.slice(0, BATCH - 1)));
      const one: PhaseOptions = {
        connections: 1,
        durationMs: params.phaseDurationMs * 4,
        maxRequests: set.length,
        summarize: false,
        record: round >= 0,
      };
      let a = 0;
      let b = 0;
      // Alternate which variant goes first, so slow drift of the machine does not favour one.
      const runNoCache = () => phase('mix.no-cache', uncached, () => body(set[Math.min(a++, set.length - 1)]!), one);
      const before = snapshot(cached);
      const runWithCache = () => phase('mix.80pct-hit', cached, () => body(set[Math.min(b++, set.length - 1)]!), one);
      const [noCache, withCache] =
        round % 2 === 0
          ? [await runNoCache(), await runWithCache()]
          : await (async () => {
              const w = await runWithCache();
              const n = await runNoCache();
              return [n, w] as const;
            })();
      const after = snapshot(cached);
      mixHits += after.hits - before.hits;
      mixMisses += after.misses - before.misses;
      if (round < 0) continue;
      recorders.markTrial();
      mixAll.noCache.push(...noCache.okLatenciesNs);
      mixAll.withCache.push(...withCache.okLatenciesNs);
      if (noCache.okLatenciesNs.length === 0 || withCache.okLatenciesNs.length === 0) continue;
      const n = medianOf(noCache.okLatenciesNs) / 1e6;
      const w = medianOf(withCache.okLatenciesNs) / 1e6;
      mixNoCache.push(n);
      mixWithCache.push(w);
      mixImprovement.push(((n - w) / n) * 100);
    }
    for (const [name, list] of [
      ['mix.no-cache', mixAll.noCache],
      ['mix.80pct-hit', mixAll.withCache],
    ] as const) {
      const sorted = [...list].sort((x, y) => x - y);
      const at = (q: number): number | null =>
        sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1e6;
      values[`${name}.p50-ms`] = {
        value: at(0.5),
        unit: 'ms',
        description: `${name}: median latency over all rounds (${sorted.length} requests, one connection)`,
      };
      values[`${name}.p99-ms`] = { value: at(0.99), unit: 'ms', description: `${name}: p99 latency over all rounds` };
    }
    values['mix.hit-rate'] = {
      value: mixHits + mixMisses === 0 ? null : mixHits / (mixHits + mixMisses),
      unit: 'ratio',
      description: "feature cache hit rate of the 80%-hit requests (the document's example: 0.8)",
    };
    if (mixHits + mixMisses > 0 && Math.abs(mixHits / (mixHits + mixMisses) - 0.8) > 0.01)
      notes.push(
        `anomaly: the 80%-hit requests hit ${((100 * mixHits) / (mixHits + mixMisses)).toFixed(1)}% of lookups`,
      );
    const trials = {
      'http.mix-no-cache': mixNoCache,
      'http.mix-with-cache': mixWithCache,
      'http.mix-improvement': mixImprovement,
    };

    if (!signal.aborted) await killPhase(context, params, cached, warmSet, phase, values, notes);

    const conditions = [
      `HTTP over ${context.network}, ${context.targetKind} Redis ${context.redisVersion}`,
      'fastify service and autocannon load generator in one Node process, one connection, requests in sequence',
      `Node ${process.version}, ${os.cpus().length} CPUs, json-array codec, ${dataset.symbols.length} symbols x ${dataset.tradingDays} trading days (Parquet, OS page cache warm)`,
      runParams.missExtraMs > 0
        ? `--miss-extra-ms ${runParams.missExtraMs} is not applied to the service (it reads Parquet directly)`
        : 'no simulated latency',
    ].join('; ');
    const verdicts = claimsForScenario('http-signals').map((claim) =>
      judgeClaim(claim, trials[claim.id as keyof typeof trials] ?? [], conditions),
    );
    return finish(trials, verdicts);
  } finally {
    for (const service of services) await service.close();
  }

  function finish(trials: Record<string, number[]> = {}, verdicts: ScenarioOutcome['verdicts'] = []): ScenarioOutcome {
    notes.unshift(
      'latencies are client side (autocannon, per request, hrtime), 2xx only; each phase is closed loop (a connection sends its next request when the answer arrives)',
    );
    return {
      values,
      trials,
      verdicts,
      parameters: {
        ...params,
        dataset: { dir: dataset.dir, symbols: dataset.symbols.length, tradingDays: dataset.tradingDays },
      },
      notes,
    };
  }
}

function snapshot(service: SignalService): { hits: number; misses: number } {
  return service.cacheHealth.health();
}

function rate(before: { hits: number; misses: number }, after: { hits: number; misses: number }): number | null {
  return hitRate({ hits: after.hits - before.hits, misses: after.misses - before.misses });
}

interface PhaseOptions {
  readonly connections: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  readonly onResponse?: (status: number, ns: number, atMs: number) => void;
  /** false: a warm-up, nothing recorded. */
  readonly record?: boolean;
  /** false: no per-phase values (rounds of the mix are summarized together). */
  readonly summarize?: boolean;
}

type Phase = (
  name: string,
  service: SignalService,
  bodies: () => string,
  options: PhaseOptions,
) => Promise<PhaseFigures>;

/** Warm traffic while the managed redis-server is SIGKILLed part-way; Redis is restarted afterwards. */
async function killPhase(
  context: ScenarioContext,
  params: HttpSignalsParams,
  service: SignalService,
  warmSet: readonly Combo[],
  phase: Phase,
  values: Record<string, ScenarioValue>,
  notes: string[],
): Promise<void> {
  const managed = context.managed;
  if (managed === null) {
    notes.push(
      'redis-killed phase skipped: the target was given by --redis-url, and a Redis the harness did not start is never killed',
    );
    return;
  }
  let cursor = 0;
  let killedAtMs: number | null = null;
  let endedAtMs: number | null = null;
  let before = 0;
  let after = 0;
  let failedAfter = 0;
  const afterLatenciesNs: number[] = [];
  const afterMetric = context.recorders.metric('http.redis-killed.after-kill');
  const timer = setTimeout(
    () => {
      killedAtMs = Date.now();
      context.progress('redis-killed: SIGKILL to redis-server');
      void managed.kill().catch(() => undefined);
    },
    Math.round(params.killPhaseDurationMs * params.killAtFraction),
  );
  try {
    await phase(
      'redis-killed',
      service,
      () =>
        JSON.stringify({
          symbols: warmSet[cursor % warmSet.length]!.symbols,
          as_of_date: warmSet[cursor++ % warmSet.length]!.date,
        }),
      {
        connections: params.connections,
        durationMs: params.killPhaseDurationMs,
        maxRequests: params.maxRequestsPerPhase,
        onResponse: (status, ns, atMs) => {
          if (killedAtMs === null || atMs < killedAtMs) before += 1;
          else {
            after += 1;
            if (status !== 200) failedAfter += 1;
            else {
              afterMetric.recordNs(ns);
              afterLatenciesNs.push(ns);
            }
          }
        },
      },
    );
    endedAtMs = Date.now();
  } finally {
    clearTimeout(timer);
    if (managed.state === 'killed' || managed.state === 'exited') await managed.restart();
  }
  values['redis-killed.completed-after-kill'] = {
    value: after === 0 ? null : (after - failedAfter) / after,
    unit: 'ratio',
    description: `share of responses after the kill that were 2xx (${after - failedAfter} of ${after}; ${before} responses before it)`,
  };
  const sorted = afterLatenciesNs.sort((x, y) => x - y);
  const at = (q: number): number | null =>
    sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1e6;
  const killedAt = killedAtMs as number | null;
  const afterSeconds = killedAt !== null && endedAtMs !== null ? (endedAtMs - killedAt) / 1000 : 0;
  values['redis-killed.after-kill.requests-per-second'] = {
    value: afterSeconds > 0 ? sorted.length / afterSeconds : null,
    unit: 'req/s',
    description: '2xx responses per second after the SIGKILL (Redis gone, every request computes)',
  };
  values['redis-killed.after-kill.p50-ms'] = {
    value: at(0.5),
    unit: 'ms',
    description: 'median latency after the SIGKILL',
  };
  values['redis-killed.after-kill.p99-ms'] = {
    value: at(0.99),
    unit: 'ms',
    description: 'p99 latency after the SIGKILL',
  };
  const health = service.cacheHealth.health();
  values['redis-killed.fallbacks'] = {
    value: health.fallbacks,
    unit: 'count',
    description: 'cache lookups the service served without Redis (error, timeout, breaker open; whole scenario)',
  };
}

export const httpSignals: Scenario = {
  id: 'http-signals',
  description:
    "The signal service over HTTP (fastify, autocannon): warm cache, no cache, cold cache, the document's 5-symbol / 80%-hit example end to end, and Redis killed mid-run.",
  claims: claimsForScenario('http-signals').map((c) => c.id),
  tunables: HTTP_SIGNALS_TUNABLES,
  run,
};
