/**
 * Turns the chaos runs into the scenario's outcome: per fault and client the figures as values,
 * the fault windows as report events, per-bucket timelines as series, the bounds and the
 * closing matrix as notes, and verdicts for the document's degradation rows.
 */
import type { ScenarioEvent, ScenarioSeries, ScenarioValue } from '../../bench/core/run-summary.ts';
import { figure } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { chaosTimeline, fmt } from './chaos-figures.ts';
import type { ChaosFigures, FaultResult } from './chaos-figures.ts';
import type { ChaosFaultSpec } from './chaos-faults.ts';
import type { ChaosParams, VariantRun } from './chaos-types.ts';
import { degradationVerdicts } from './chaos-verdicts.ts';

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

type VariantResult = FaultResult['runs'][number];

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
  for (const { spec, runs } of results) {
    for (const variant of runs) {
      const { run } = variant;
      // The run's times count from its load's start; the report's from the recorders' start.
      const offsetMs = run.loadStartEpochMs - context.recorders.startTimeMs;
      Object.assign(values, variantValues(spec, variant));
      events.push(...faultWindow(spec, run, offsetMs));
      Object.assign(series, variantSeries(spec, run, offsetMs, params.bucketMs));
      notes.push(...variantNotes(spec, run));
      if (run.variant === 'safe') {
        const bounds = safeClientBounds(spec, variant.figures, params);
        Object.assign(values, bounds.values);
        notes.push(bounds.note);
      }
    }
  }
  notes.push(...matrix(results));
  const { verdicts, trials } = degradationVerdicts(context, params, results, faultCmd);
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
    notes: [...clientNotes(params), ...notes],
    events,
    series,
  };
}

/** The figures of one fault and client, the system's counters, and the breaker's when it has one. */
function variantValues(spec: ChaosFaultSpec, { run, figures }: VariantResult): Record<string, ScenarioValue> {
  const prefix = `${spec.id}.${run.variant}`;
  const values: Record<string, ScenarioValue> = {};
  for (const [name, unit, description, convert] of FIGURES) {
    values[`${prefix}.${name}`] = figure(
      convert(figures[name] as number | null),
      unit,
      `${spec.title}, ${run.variant} client: ${description}`,
    );
  }
  const title = `${spec.title}, ${run.variant}`;
  values[`${prefix}.computes`] = figure(
    run.computes,
    'computations',
    `${title}: feature computations (misses that ran Alpha158)`,
  );
  if (run.health !== null) {
    const opened = run.events.find(
      (e) =>
        e.message === 'Cache circuit breaker state change' &&
        e.fields?.to === 'open' &&
        run.injectMs !== null &&
        e.tMs >= run.injectMs,
    );
    values[`${prefix}.breakerOpenMs`] = figure(
      opened === undefined || run.injectMs === null ? null : opened.tMs - Math.max(0, run.injectMs),
      'ms',
      `${title}: inject to the circuit breaker opening`,
    );
    values[`${prefix}.cacheTimeouts`] = figure(
      run.health.errorsByKind.timeout ?? 0,
      'calls',
      `${title}: cache calls given up at the per-call budget`,
    );
    values[`${prefix}.breakerRefusals`] = figure(
      run.health.errorsByKind['breaker-open'] ?? 0,
      'calls',
      `${title}: cache calls refused by the open circuit (no Redis round trip)`,
    );
  }
  if (run.coalesced.joined > 0 || spec.id === 'flushall')
    values[`${prefix}.coalesced`] = figure(
      run.coalesced.joined,
      'requests',
      `${title}: misses that joined a computation in flight (single flight)`,
    );
  return values;
}

/** The fault window as a report event (ms from the recorders' start); none when nothing was injected. */
function faultWindow(spec: ChaosFaultSpec, run: VariantRun, offsetMs: number): ScenarioEvent[] {
  if (run.injectMs === null) return [];
  return [
    {
      label: `${spec.id} (${run.variant})`,
      startMs: offsetMs + Math.max(0, run.injectMs),
      endMs: offsetMs + (run.healedMs ?? run.injectMs),
    },
  ];
}

/** Per-bucket timelines (hit rate, throughput, in flight, heap) against seconds since the measured start. */
function variantSeries(
  spec: ChaosFaultSpec,
  run: VariantRun,
  offsetMs: number,
  bucketMs: number,
): Record<string, ScenarioSeries> {
  const prefix = `${spec.id}.${run.variant}`;
  const timeline = chaosTimeline(run.records, run.samples, bucketMs);
  const x = timeline.map((b) => Number(((offsetMs + b.startMs) / 1000).toFixed(3)));
  const window =
    run.injectMs === null
      ? ''
      : ` (fault ${((offsetMs + Math.max(0, run.injectMs)) / 1000).toFixed(1)}–${((offsetMs + (run.healedMs ?? 0)) / 1000).toFixed(1)} s)`;
  const xLabel = `seconds since measured start${window}`;
  const series: Record<string, ScenarioSeries> = {};
  const keep = (name: string, ys: (number | null)[], yLabel: string): void => {
    const points = ys.map((y, i) => [x[i]!, y] as const).filter((p): p is readonly [number, number] => p[1] !== null);
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
  return series;
}

/** The load's warnings, requests left pending at the end, and the resilient client's health. */
function variantNotes(spec: ChaosFaultSpec, run: VariantRun): string[] {
  const prefix = `${spec.id}.${run.variant}`;
  const notes = run.load.warnings.map((w) => `${prefix}: load: ${w}`);
  if (run.stillPendingAtEnd > 0)
    notes.push(
      `${prefix}: ${run.stillPendingAtEnd} requests were still pending in the client when the run ended (closed by the harness)`,
    );
  if (run.health !== null)
    notes.push(
      `${prefix}: health at the end: ${JSON.stringify(run.health)}; ${run.connectionResets} connection(s) dropped after a timeout`,
    );
  return notes;
}

/**
 * The bounds on the safe client: nothing failed, max latency in the window within command
 * timeout + miss-path p99 + 10 ms, and (kill, pause) the first hit within 1 s after the heal.
 */
function safeClientBounds(
  spec: ChaosFaultSpec,
  figures: ChaosFigures,
  params: ChaosParams,
): { values: Record<string, ScenarioValue>; note: string } {
  const prefix = `${spec.id}.safe`;
  const boundMs = figures.missP99Ms === null ? null : params.commandTimeoutMs + figures.missP99Ms + 10;
  const latencyOk = boundMs !== null && figures.windowMaxMs !== null ? figures.windowMaxMs <= boundMs : null;
  const hitOk =
    spec.id === 'kill' || spec.id === 'pause'
      ? figures.firstHitAfterHealMs !== null && figures.firstHitAfterHealMs <= 1_000
      : null;
  const held = figures.failed === 0 && figures.capped === 0 && latencyOk !== false && hitOk !== false;
  return {
    values: {
      [`${prefix}.latencyBoundMs`]: figure(
        boundMs,
        'ms',
        `${spec.title}: the issue's bound on max latency in the fault window (command timeout + miss-path p99 + 10 ms)`,
      ),
      [`${prefix}.boundsHeld`]: figure(
        held ? 1 : 0,
        'bool',
        `${spec.title}: 1 when the safe client met the issue's bounds (0 failed, max latency <= bound${hitOk === null ? '' : ', first hit within 1 s after the heal'})`,
      ),
    },
    note:
      `${spec.id}: bounds for the safe client ${held ? 'HELD' : 'NOT HELD'}: failed ${figures.failed + figures.capped}, max ${fmt(figures.windowMaxMs)} ms vs bound ${fmt(boundMs)} ms` +
      (hitOk === null ? '' : `, first hit ${fmt(figures.firstHitAfterHealMs)} ms after the heal (bound 1000 ms)`),
  };
}

/** What the figures mean and what each client is. */
function clientNotes(params: ChaosParams): string[] {
  return [
    'latencies are from intended send times (open loop, coordinated omission corrected); the .uncorrected metrics are from actual sends; both hold completed requests only, the .all metrics every outcome (failures at their time to failure)',
    `naive = ioredis defaults (no command timeout, offline queue, 20 retries per request) with the document's try/except loop; every request capped by the harness at ${params.requestCapMs} ms so the run ends (capped = not completed)`,
    `safe = src/ resilient path: commandTimeout ${params.commandTimeoutMs} ms, call budget ${params.callTimeoutMs} ms, no offline queue, 1 retry, breaker ${params.failureThreshold} failures / ${params.openDurationMs} ms open, reconnect backoff with jitter capped at ${params.reconnectMaxDelayMs} ms, single flight, TTL jitter ${params.ttlJitterFraction}`,
  ];
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
