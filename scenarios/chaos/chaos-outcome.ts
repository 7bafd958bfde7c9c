import os from 'node:os';
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import { CLAIMS } from '../../bench/analysis/claim-registry.ts';
import { chaosTimeline, completedSharePerBucket, hitRateDropPerBucket } from './chaos-figures.ts';
import type { ChaosFigures } from './chaos-figures.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ChaosFaultId, ChaosFaultSpec } from './chaos-faults.ts';
import type { ChaosParams, VariantRun } from './chaos-run.ts';
import type { ScenarioEvent, ScenarioSeries } from '../../bench/core/run-summary.ts';
import type { ScenarioContext, ScenarioOutcome, ScenarioValue } from '../../bench/core/scenario.ts';

/**
 * Turns the chaos runs into the scenario's outcome: per fault and client the figures as values,
 * the fault windows as report events, per-bucket timelines as series, the issue's bounds and the
 * closing matrix as notes, and verdicts for the document's degradation rows.
 */
const pct = (v: number | null): number | null => (v === null ? null : v * 100);

/** Names and units of the per-variant values in the report. */
const FIGURES: readonly [keyof ChaosFigures, string, string, (v: number | null) => number | null][] = [
  ['failed', 'requests', 'requests that threw', (v) => v],
  ['capped', 'requests', 'requests still pending at the harness cap (requestCapMs)', (v) => v],
  ['wrong', 'requests', 'hot-key answers different from the uncached answer', (v) => v],
  [
    'windowP99Ms',
    'ms',
    'p99 latency of requests intended inside the fault window (from intended send times)',
    (v) => v,
  ],
  [
    'windowMaxMs',
    'ms',
    'max latency of requests intended inside the fault window (capped ones count at the cap)',
    (v) => v,
  ],
  ['windowHitRate', '%', 'hit rate inside the fault window', pct],
  ['detectMs', 'ms', 'inject to the first request that saw a cache error (or failed)', (v) => v],
  ['firstSuccessAfterHealMs', 'ms', 'heal to the first request that used the cache without an error', (v) => v],
  ['firstHitAfterHealMs', 'ms', 'heal to the first cache hit', (v) => v],
  [
    'steadyAfterHealMs',
    'ms',
    'heal to steady state (every later window clean, hit rate back within 10 points)',
    (v) => v,
  ],
  ['preHitRate', '%', 'hit rate before the fault', pct],
  ['missP99Ms', 'ms', 'p99 of the miss path before the fault (GET miss + compute + SET)', (v) => v],
  ['maxInFlight', 'requests', 'most requests in flight at once', (v) => v],
  ['maxHeapMb', 'MB', 'largest heap used (process-wide)', (v) => v],
];

export interface FaultResult {
  readonly spec: ChaosFaultSpec;
  readonly runs: readonly { readonly run: VariantRun; readonly figures: ChaosFigures }[];
}

export function fmt(value: number | null): string {
  return value === null ? '—' : value.toFixed(value >= 100 ? 0 : 1);
}

export function chaosOutcome(
  context: ScenarioContext,
  params: ChaosParams,
  results: readonly FaultResult[],
  faultCmd: string | undefined,
): ScenarioOutcome {
  const values: Record<string, ScenarioValue> = {};
  const events: ScenarioEvent[] = [];
  const series: Record<string, ScenarioSeries> = {};
  const notes: string[] = [];
  const trials: Record<string, number[]> = {};
  const recordersStart = context.recorders.startTimeMs;
  for (const { spec, runs } of results) {
    for (const { run, figures } of runs) {
      const prefix = `${spec.id}.${run.variant}`;
      for (const [name, unit, description, convert] of FIGURES) {
        values[`${prefix}.${name}`] = {
          value: convert(figures[name] as number | null),
          unit,
          description: `${spec.title}, ${run.variant} client: ${description}`,
        };
      }
      values[`${prefix}.computes`] = {
        value: run.computes,
        unit: 'computations',
        description: `${spec.title}, ${run.variant}: feature computations (misses that ran Alpha158)`,
      };
      if (run.health !== null) {
        const opened = run.events.find(
          (e) =>
            e.message === 'Cache circuit breaker state change' &&
            e.fields?.to === 'open' &&
            run.injectMs !== null &&
            e.tMs >= run.injectMs,
        );
        values[`${prefix}.breakerOpenMs`] = {
          value: opened === undefined || run.injectMs === null ? null : opened.tMs - Math.max(0, run.injectMs),
          unit: 'ms',
          description: `${spec.title}, ${run.variant}: inject to the circuit breaker opening`,
        };
        values[`${prefix}.cacheTimeouts`] = {
          value: run.health.errorsByKind.timeout ?? 0,
          unit: 'calls',
          description: `${spec.title}, ${run.variant}: cache calls given up at the per-call budget`,
        };
        values[`${prefix}.breakerRefusals`] = {
          value: run.health.errorsByKind['breaker-open'] ?? 0,
          unit: 'calls',
          description: `${spec.title}, ${run.variant}: cache calls refused by the open circuit (no Redis round trip)`,
        };
      }
      if (run.coalesced.joined > 0 || spec.id === 'flushall')
        values[`${prefix}.coalesced`] = {
          value: run.coalesced.joined,
          unit: 'requests',
          description: `${spec.title}, ${run.variant}: misses that joined a computation in flight (single flight)`,
        };
      const offset = run.loadStartEpochMs - recordersStart;
      if (run.injectMs !== null) {
        events.push({
          label: `${spec.id} (${run.variant})`,
          startMs: offset + Math.max(0, run.injectMs),
          endMs: offset + (run.healedMs ?? run.injectMs),
        });
      }
      const timeline = chaosTimeline(run.records, run.samples, params.bucketMs);
      const x = timeline.map((b) => Number(((offset + b.startMs) / 1000).toFixed(3)));
      const window =
        run.injectMs === null
          ? ''
          : ` (fault ${((offset + Math.max(0, run.injectMs)) / 1000).toFixed(1)}–${((offset + (run.healedMs ?? 0)) / 1000).toFixed(1)} s)`;
      const xLabel = `seconds since measured start${window}`;
      const keep = (name: string, ys: (number | null)[], yLabel: string): void => {
        const points = ys
          .map((y, i) => [x[i]!, y] as const)
          .filter((p): p is readonly [number, number] => p[1] !== null);
        series[`${prefix} ${name}`] = { x: points.map((p) => p[0]), y: points.map((p) => p[1]), xLabel, yLabel };
      };
      keep(
        'hit rate',
        timeline.map((b) => b.hitRatePct),
        'hit rate %',
      );
      keep(
        'throughput',
        timeline.map((b) => b.throughputPerSec),
        'completed requests / s',
      );
      keep(
        'in-flight',
        timeline.map((b) => b.inFlight),
        'requests in flight (max per bucket)',
      );
      keep(
        'heap',
        timeline.map((b) => b.heapMb),
        'heap used MB (max per bucket)',
      );
      if (run.load.warnings.length > 0) notes.push(...run.load.warnings.map((w) => `${prefix}: load: ${w}`));
      if (run.stillPendingAtEnd > 0)
        notes.push(
          `${prefix}: ${run.stillPendingAtEnd} requests were still pending in the client when the run ended (closed by the harness)`,
        );
      if (run.health !== null)
        notes.push(
          `${prefix}: health at the end: ${JSON.stringify(run.health)}; ${run.connectionResets} connection(s) dropped after a timeout`,
        );
      if (run.variant === 'safe') {
        const boundMs = figures.missP99Ms === null ? null : params.commandTimeoutMs + figures.missP99Ms + 10;
        const latencyOk = boundMs !== null && figures.windowMaxMs !== null ? figures.windowMaxMs <= boundMs : null;
        const hitOk =
          spec.id === 'kill' || spec.id === 'pause'
            ? figures.firstHitAfterHealMs !== null && figures.firstHitAfterHealMs <= 1_000
            : null;
        values[`${prefix}.latencyBoundMs`] = {
          value: boundMs,
          unit: 'ms',
          description: `${spec.title}: the issue's bound on max latency in the fault window (command timeout + miss-path p99 + 10 ms)`,
        };
        const held = figures.failed === 0 && figures.capped === 0 && latencyOk !== false && hitOk !== false;
        values[`${prefix}.boundsHeld`] = {
          value: held ? 1 : 0,
          unit: 'bool',
          description: `${spec.title}: 1 when the safe client met the issue's bounds (0 failed, max latency <= bound${hitOk === null ? '' : ', first hit within 1 s after the heal'})`,
        };
        notes.push(
          `${spec.id}: bounds for the safe client ${held ? 'HELD' : 'NOT HELD'}: failed ${figures.failed + figures.capped}, max ${fmt(figures.windowMaxMs)} ms vs bound ${fmt(boundMs)} ms` +
            (hitOk === null ? '' : `, first hit ${fmt(figures.firstHitAfterHealMs)} ms after the heal (bound 1000 ms)`),
        );
      }
    }
  }
  notes.push(...matrix(results));
  const verdicts = degradationVerdicts(context, params, results, trials, faultCmd);
  return {
    values,
    trials,
    verdicts,
    parameters: {
      ...params,
      faults: results.map((r) => r.spec.id),
      faultCmd: faultCmd ?? null,
      network: 'the system under test reaches Redis through the harness fault proxy (loopback)',
    },
    notes: [
      'latencies are from intended send times (open loop, coordinated omission corrected); the .uncorrected metrics are from actual sends',
      `naive = ioredis defaults (no command timeout, offline queue, 20 retries per request) with the document's try/except loop; every request capped by the harness at ${params.requestCapMs} ms so the run ends (capped = not completed)`,
      `safe = src/ resilient path: commandTimeout ${params.commandTimeoutMs} ms, call budget ${params.callTimeoutMs} ms, no offline queue, 1 retry, breaker ${params.failureThreshold} failures / ${params.openDurationMs} ms open, reconnect backoff with jitter capped at ${params.reconnectMaxDelayMs} ms, single flight, TTL jitter ${params.ttlJitterFraction}`,
      ...notes,
    ],
    events,
    series,
  };
}

/** One line per fault and client: the closing matrix of the issue. */
function matrix(results: readonly FaultResult[]): string[] {
  const lines = [
    'matrix (fault / client: failed+capped, wrong, max latency in window, detect, first success / first hit / steady after heal):',
  ];
  for (const { spec, runs } of results) {
    for (const { run, figures: f } of runs) {
      lines.push(
        `  ${spec.id} / ${run.variant}: ${f.failed}+${f.capped} of ${f.requests}, wrong ${f.wrong}, max ${fmt(f.windowMaxMs)} ms, p99 ${fmt(f.windowP99Ms)} ms, detect ${fmt(f.detectMs)} ms, success ${fmt(f.firstSuccessAfterHealMs)} / hit ${fmt(f.firstHitAfterHealMs)} / steady ${fmt(f.steadyAfterHealMs)} ms`,
      );
    }
  }
  return lines;
}

export const CLAIM_FAULTS: readonly [string, ChaosFaultId, 'completed' | 'hit-drop'][] = [
  ['degradation.redis-not-installed', 'absent', 'completed'],
  ['degradation.connection-fails', 'blackhole', 'completed'],
  ['degradation.redis-crash', 'kill', 'completed'],
  ['degradation.cache-full-under-load', 'full-lru', 'hit-drop'],
];

function degradationVerdicts(
  context: ScenarioContext,
  params: ChaosParams,
  results: readonly FaultResult[],
  trials: Record<string, number[]>,
  faultCmd: string | undefined,
): ClaimVerdict[] {
  const verdicts: ClaimVerdict[] = [];
  for (const [claimId, faultId, figure] of CLAIM_FAULTS) {
    const claim = CLAIMS.find((c) => c.id === claimId);
    const result = results.find((r) => r.spec.id === faultId);
    const safe = result?.runs.find((r) => r.run.variant === 'safe');
    if (claim === undefined || result === undefined || safe === undefined) continue;
    const naive = result.runs.find((r) => r.run.variant === 'naive');
    const { run, figures } = safe;
    const from = Math.max(0, run.injectMs ?? 0);
    const to = run.healedMs ?? from;
    const end = Math.max(...run.records.map((r) => r.intendedMs), to);
    const perBucket =
      figure === 'completed'
        ? completedSharePerBucket(run.records, from, end, params.bucketMs)
        : hitRateDropPerBucket(run.records, figures.preHitRate ?? 1, from, to + params.steadyWindowMs, params.bucketMs);
    trials[claimId] = perBucket;
    const naiveText =
      naive === undefined
        ? ''
        : `; naive client (ioredis defaults): ${naive.figures.failed} failed and ${naive.figures.capped} capped at ${params.requestCapMs} ms of ${naive.figures.requests}, max ${fmt(naive.figures.windowMaxMs)} ms, wrong answers ${naive.figures.wrong}`;
    const extra =
      faultId === 'full-lru'
        ? `; SET failures in the run: ${JSON.stringify(run.health?.errorsByKind ?? {})}; compare full-noeviction and full-no-ttl, where new keys are not cached`
        : faultId === 'blackhole'
          ? `; warnings logged by the service: ${run.warnings}`
          : '';
    const conditions = [
      `${context.network} through the harness fault proxy, ${context.targetKind} Redis ${context.redisVersion}, Node ${process.version}, ${os.cpus().length} CPUs`,
      `fault "${result.spec.title}"${faultCmd === undefined ? '' : ` via --fault-cmd`}${faultId === 'full-lru' ? ` (maxmemory set to leave room for ${Math.round(params.fullFraction * 100)}% of the cached data, fullFraction)` : ''}, open loop ${params.rateOpsPerSecond} req/s, trials = ${params.bucketMs} ms buckets from the inject ${figure === 'completed' ? 'to the end' : 'to the heal'} (safe client)`,
      `safe client: ${figures.failed} failed, ${figures.capped} capped of ${figures.requests}, max ${fmt(figures.windowMaxMs)} ms in the window${naiveText}${extra}`,
    ].join('; ');
    verdicts.push(judgeClaim(claim, perBucket, conditions));
  }
  return verdicts;
}
