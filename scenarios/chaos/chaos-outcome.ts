/**
 * Turns the chaos windows into the scenario's outcome: per fault and client the figures over its
 * windows as values, every window as a report event, timelines as series, the issue's bounds and
 * the closing matrix as notes, and verdicts for the document's degradation rows.
 */
import type { ScenarioEvent, ScenarioSeries, ScenarioValue } from '../../bench/core/run-summary.ts';
import { figure } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { alignedTimeline, chaosTimeline, fmt, percentile } from './chaos-figures.ts';
import type { AlignedBucket, ChaosFigures, ChaosTrial, FaultResult } from './chaos-figures.ts';
import type { ChaosFaultId, ChaosFaultSpec, ChaosVariant } from './chaos-faults.ts';
import { WARNING_INTERVAL_MS } from './chaos-system.ts';
import type { ChaosParams, VariantRun } from './chaos-types.ts';
import { degradationVerdicts } from './chaos-verdicts.ts';
import { suppressedWarnings } from './chaos-warnings.ts';

const pct = (v: number | null): number | null => (v === null ? null : v * 100);

/** How a figure of one window is summed up over a client's windows of a fault. */
type Aggregate = 'sum' | 'max' | 'median';

const AGGREGATE_TEXT: Readonly<Record<Aggregate, string>> = {
  sum: 'total over the windows',
  max: 'largest over the windows',
  median: 'median over the windows where it happened',
};

/** Names, units and aggregates of the per-window figures in the report. */
const FIGURES: readonly [keyof ChaosFigures, string, string, (v: number | null) => number | null, Aggregate][] = [
  ['failed', 'requests', 'requests that threw', (v) => v, 'sum'],
  ['capped', 'requests', 'requests still pending at the harness cap (requestCapMs)', (v) => v, 'sum'],
  ['wrong', 'requests', 'hot-key answers different from the uncached answer', (v) => v, 'sum'],
  [
    'windowP99Ms',
    'ms',
    'p99 latency of requests intended inside the fault window (from intended send times)',
    (v) => v,
    'median',
  ],
  [
    'windowMaxMs',
    'ms',
    'max latency of requests intended inside the fault window (capped ones count at the cap)',
    (v) => v,
    'max',
  ],
  ['windowHitRate', '%', 'hit rate inside the fault window', pct, 'median'],
  ['detectMs', 'ms', 'inject to the first request that saw a cache error (or failed)', (v) => v, 'median'],
  [
    'firstSuccessAfterHealMs',
    'ms',
    'heal to the first request that used the cache without an error',
    (v) => v,
    'median',
  ],
  ['firstHitAfterHealMs', 'ms', 'heal to the first cache hit', (v) => v, 'median'],
  [
    'steadyAfterHealMs',
    'ms',
    'heal to steady state (every later window clean, hit rate back within 10 points)',
    (v) => v,
    'median',
  ],
  ['preHitRate', '%', 'hit rate before the fault', pct, 'median'],
  ['missP99Ms', 'ms', 'p99 of the miss path before the fault (GET miss + compute + SET)', (v) => v, 'median'],
  ['maxInFlight', 'requests', 'most requests in flight at once', (v) => v, 'max'],
  ['maxHeapMb', 'MB', 'largest heap used (process-wide)', (v) => v, 'max'],
];

/** Sums up one figure over windows; null when no window has it. */
function aggregate(values: readonly (number | null)[], how: Aggregate): number | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  if (how === 'sum') return present.reduce((a, b) => a + b, 0);
  if (how === 'max') return Math.max(...present);
  return percentile(present, 50);
}

/** The windows of one fault for one client, in the order they ran. */
interface ClientWindows {
  readonly spec: ChaosFaultSpec;
  readonly variant: ChaosVariant;
  readonly windows: readonly ChaosTrial[];
}

/** Groups each fault's windows by client, in the fault's variant order. */
function byClient(results: readonly FaultResult[]): ClientWindows[] {
  return results.flatMap(({ spec, runs }) =>
    spec.variants
      .map((variant) => ({ spec, variant, windows: runs.filter((t) => t.run.variant === variant) }))
      .filter((c) => c.windows.length > 0),
  );
}

export function chaosOutcome(
  context: ScenarioContext,
  params: ChaosParams,
  results: readonly FaultResult[],
  faultCmd: string | undefined,
  suiteFaults: readonly ChaosFaultId[] | null,
): ScenarioOutcome {
  const values: Record<string, ScenarioValue> = {};
  const events: ScenarioEvent[] = [];
  const series: Record<string, ScenarioSeries> = {};
  const notes: string[] = [];
  // The windows' times count from their load's start; the report's from the recorders' start.
  const offsetOf = (run: VariantRun): number => run.loadStartEpochMs - context.recorders.startTimeMs;
  for (const client of byClient(results)) {
    Object.assign(values, clientValues(client));
    for (const { run } of client.windows) events.push(...faultWindow(client.spec, run, offsetOf(run)));
    Object.assign(series, clientSeries(client, offsetOf, params.bucketMs));
    notes.push(...clientNotes(client));
    if (client.variant === 'safe') {
      const bounds = safeClientBounds(client, params);
      Object.assign(values, bounds.values);
      notes.push(bounds.note);
    }
  }
  notes.push(...matrix(results));
  const { verdicts, trials } = degradationVerdicts(context, params, results, faultCmd, suiteFaults);
  return {
    values,
    trials,
    verdicts,
    parameters: {
      ...params,
      faults: byClient(results).map((c) => ({ fault: c.spec.id, client: c.variant, windows: c.windows.length })),
      faultCmd: faultCmd ?? null,
      warningIntervalMs: WARNING_INTERVAL_MS,
      network: 'the system under test reaches Redis through the harness fault proxy (loopback)',
    },
    notes: [...systemNotes(params), ...notes],
    // In the order they happened: the clients' windows alternate.
    events: events.sort((a, b) => a.startMs - b.startMs),
    series,
  };
}

/** The figures of one fault and client over its windows, the system's counters, and the breaker's. */
function clientValues({ spec, variant, windows }: ClientWindows): Record<string, ScenarioValue> {
  const prefix = `${spec.id}.${variant}`;
  const title = `${spec.title}, ${variant} client, ${windows.length} window(s)`;
  const values: Record<string, ScenarioValue> = {};
  for (const [name, unit, description, convert, how] of FIGURES) {
    const perWindow = windows.map((t) => convert(t.figures[name] as number | null));
    values[`${prefix}.${name}`] = figure(
      aggregate(perWindow, how),
      unit,
      `${title}: ${description} (${AGGREGATE_TEXT[how]})`,
    );
  }
  const sum = (pick: (run: VariantRun) => number): number => windows.reduce((total, t) => total + pick(t.run), 0);
  values[`${prefix}.healAfterInjectMs`] = figure(
    aggregate(
      windows.map(({ run }) => (run.injectMs === null || run.healedMs === null ? null : run.healedMs - run.injectMs)),
      'median',
    ),
    'ms',
    `${title}: inject to heal, the fault window as it happened (${AGGREGATE_TEXT.median})`,
  );
  values[`${prefix}.computes`] = figure(
    sum((r) => r.computes),
    'computations',
    `${title}: feature computations (misses that ran Alpha158), total`,
  );
  values[`${prefix}.warningLines`] = figure(
    sum((r) => r.warnings),
    'lines',
    `${title}: warning lines the system logged in the windows, total`,
  );
  values[`${prefix}.suppressedWarnings`] = figure(
    sum((r) => suppressedWarnings(r.events)),
    'lines',
    `${title}: warning lines the rate-limited logger counted instead of writing, total (including the count flushed at close)`,
  );
  if (windows.some((t) => t.run.health !== null)) Object.assign(values, breakerValues(prefix, title, windows));
  if (spec.id === 'flushall' || windows.some((t) => t.run.coalesced.joined > 0))
    values[`${prefix}.coalesced`] = figure(
      sum((r) => r.coalesced.joined),
      'requests',
      `${title}: misses that joined a computation in flight (single flight), total`,
    );
  return values;
}

/** The resilient client's breaker and call budget over the windows. */
function breakerValues(prefix: string, title: string, windows: readonly ChaosTrial[]): Record<string, ScenarioValue> {
  const openedAfterInject = windows.map(({ run }) => {
    const opened = run.events.find(
      (e) =>
        e.message === 'Cache circuit breaker state change' &&
        e.fields?.to === 'open' &&
        run.injectMs !== null &&
        e.tMs >= run.injectMs,
    );
    return opened === undefined || run.injectMs === null ? null : opened.tMs - Math.max(0, run.injectMs);
  });
  const errors = (kind: string): number =>
    windows.reduce((total, t) => total + (t.run.health?.errorsByKind[kind] ?? 0), 0);
  return {
    [`${prefix}.breakerOpenMs`]: figure(
      aggregate(openedAfterInject, 'median'),
      'ms',
      `${title}: inject to the circuit breaker opening (${AGGREGATE_TEXT.median})`,
    ),
    [`${prefix}.cacheTimeouts`]: figure(
      errors('timeout'),
      'calls',
      `${title}: cache calls given up at the per-call budget, total`,
    ),
    [`${prefix}.breakerRefusals`]: figure(
      errors('breaker-open'),
      'calls',
      `${title}: cache calls refused by the open circuit (no Redis round trip), total`,
    ),
  };
}

/** A window's fault as a report event (ms from the recorders' start); none when nothing was injected. */
function faultWindow(spec: ChaosFaultSpec, run: VariantRun, offsetMs: number): ScenarioEvent[] {
  if (run.injectMs === null) return [];
  return [
    {
      label: `${spec.id} (${run.variant}) #${run.trial + 1}`,
      startMs: offsetMs + Math.max(0, run.injectMs),
      endMs: offsetMs + (run.healedMs ?? run.injectMs),
    },
  ];
}

/**
 * Timelines of one fault and client (hit rate, throughput, failed requests per second, in flight,
 * heap) in bucketMs buckets (x: the bucket's start), its windows one after another; and the windows
 * laid over each other on their injects (alignedSeries).
 */
function clientSeries(
  { spec, variant, windows }: ClientWindows,
  offsetOf: (run: VariantRun) => number,
  bucketMs: number,
): Record<string, ScenarioSeries> {
  const prefix = `${spec.id}.${variant}`;
  const points = windows.flatMap(({ run }) =>
    chaosTimeline(run.records, run.samples, bucketMs).map((b) => ({
      ...b,
      x: Number(((offsetOf(run) + b.startMs) / 1000).toFixed(3)),
    })),
  );
  const xLabel = `seconds since measured start (${windows.length} fault window(s), shaded)`;
  const series: Record<string, ScenarioSeries> = {};
  const keep = (name: string, pick: (p: (typeof points)[number]) => number | null, yLabel: string): void => {
    const kept = points
      .map((p) => [p.x, pick(p)] as const)
      .filter((p): p is readonly [number, number] => p[1] !== null);
    series[`${prefix} ${name}`] = { x: kept.map((p) => p[0]), y: kept.map((p) => p[1]), xLabel, yLabel };
  };
  keep('hit rate', (p) => p.hitRatePct, 'hit rate %');
  keep('throughput', (p) => p.throughputPerSec, 'completed requests / s');
  keep(
    'errors',
    (p) => ((p.failed + p.capped) * 1_000) / bucketMs,
    `failed requests / s (threw or capped, by when they failed, ${bucketMs} ms buckets)`,
  );
  Object.assign(series, alignedSeries(prefix, windows, bucketMs));
  keep('in-flight', (p) => p.inFlight, 'requests in flight (max per bucket)');
  keep('heap', (p) => p.heapMb, 'heap used MB (max per bucket)');
  return series;
}

/**
 * The windows of one fault and client laid over each other on their injects (x: seconds from the
 * inject): failed requests per second (mean over the windows) and latency p50 / p99 (pooled).
 */
function alignedSeries(
  prefix: string,
  windows: readonly ChaosTrial[],
  bucketMs: number,
): Record<string, ScenarioSeries> {
  const buckets = alignedTimeline(
    windows.map((t) => t.run),
    bucketMs,
  );
  const xLabel = `seconds from the inject (bucket start; ${windows.length} window(s) laid over each other)`;
  const series: Record<string, ScenarioSeries> = {};
  const keep = (name: string, pick: (b: AlignedBucket) => number | null, yLabel: string): void => {
    const kept = buckets
      .map((b) => [Number((b.fromInjectMs / 1000).toFixed(3)), pick(b)] as const)
      .filter((p): p is readonly [number, number] => p[1] !== null);
    series[`${prefix} ${name}`] = { x: kept.map((p) => p[0]), y: kept.map((p) => p[1]), xLabel, yLabel };
  };
  keep(
    'errors from inject',
    (b) => b.failedPerSec,
    `failed requests / s (threw or capped, by when they failed; mean over the windows, ${bucketMs} ms buckets)`,
  );
  const latency = (p: string): string =>
    `${p} latency ms (requests intended in the ${bucketMs} ms bucket, the windows pooled, every outcome)`;
  keep('latency p50 from inject', (b) => b.p50Ms, latency('p50'));
  keep('latency p99 from inject', (b) => b.p99Ms, latency('p99'));
  return series;
}

/** The load's warnings (each once), requests left pending, and the resilient client's errors over the windows. */
function clientNotes({ spec, variant, windows }: ClientWindows): string[] {
  const prefix = `${spec.id}.${variant}`;
  const loadWarnings = [...new Set(windows.flatMap((t) => t.run.load.warnings))];
  const notes = loadWarnings.map((w) => `${prefix}: load: ${w}`);
  const pending = windows.reduce((total, t) => total + t.run.stillPendingAtEnd, 0);
  if (pending > 0)
    notes.push(
      `${prefix}: ${pending} requests were still pending in the client when its window ended (closed by the harness)`,
    );
  const failures: Record<string, number> = {};
  for (const t of windows)
    for (const [kind, n] of Object.entries(t.run.failuresByKind)) failures[kind] = (failures[kind] ?? 0) + n;
  const resets = windows.reduce((total, t) => total + t.run.connectionResets, 0);
  notes.push(
    `${prefix}: cache failures over ${windows.length} window(s): ${JSON.stringify(failures)}; ${windows.reduce((n, t) => n + t.run.warnings, 0)} warning lines${windows.some((t) => t.run.health !== null) ? `; ${resets} connection(s) dropped after a timeout` : ''}`,
  );
  return notes;
}

/**
 * The issue's bounds on the safe client, per window: nothing failed, max latency in the window within
 * command timeout + miss-path p99 + 10 ms, and (kill, pause) the first hit within 1 s after the heal.
 */
function safeClientBounds(
  { spec, windows }: ClientWindows,
  params: ChaosParams,
): { values: Record<string, ScenarioValue>; note: string } {
  const prefix = `${spec.id}.safe`;
  const checks = windows.map(({ figures }) => windowBounds(spec, figures, params));
  const held = checks.filter((c) => c.held).length;
  const withHit = spec.id === 'kill' || spec.id === 'pause';
  return {
    values: {
      [`${prefix}.latencyBoundMs`]: figure(
        aggregate(
          checks.map((c) => c.boundMs),
          'median',
        ),
        'ms',
        `${spec.title}: the issue's bound on max latency in the fault window (command timeout + miss-path p99 + 10 ms), median over the windows`,
      ),
      [`${prefix}.boundsHeld`]: figure(
        held === checks.length ? 1 : 0,
        'bool',
        `${spec.title}: 1 when the safe client met the issue's bounds in every window (0 failed, max latency <= bound${withHit ? ', first hit within 1 s after the heal' : ''})`,
      ),
    },
    note: `${spec.id}: bounds for the safe client held in ${held} of ${checks.length} window(s): ${checks.map((c) => c.text).join('; ')}`,
  };
}

/** The issue's bound on the first cache hit after SIGCONT or a restart. */
const FIRST_HIT_BOUND_MS = 1_000;

/**
 * The first hit came within the bound: true or false, or null when none came and the window ended
 * before the bound (a window shorter than the bound cannot show that the hit came too late).
 */
function firstHitWithin(figures: ChaosFigures, boundMs: number): boolean | null {
  if (figures.firstHitAfterHealMs !== null) return figures.firstHitAfterHealMs <= boundMs;
  return figures.observedAfterHealMs !== null && figures.observedAfterHealMs >= boundMs ? false : null;
}

function windowBounds(
  spec: ChaosFaultSpec,
  figures: ChaosFigures,
  params: ChaosParams,
): { held: boolean; boundMs: number | null; text: string } {
  const boundMs = figures.missP99Ms === null ? null : params.commandTimeoutMs + figures.missP99Ms + 10;
  const latencyOk = boundMs !== null && figures.windowMaxMs !== null ? figures.windowMaxMs <= boundMs : null;
  const hitOk = spec.id === 'kill' || spec.id === 'pause' ? firstHitWithin(figures, FIRST_HIT_BOUND_MS) : null;
  const held = figures.failed === 0 && figures.capped === 0 && latencyOk !== false && hitOk !== false;
  const hitText =
    spec.id !== 'kill' && spec.id !== 'pause'
      ? ''
      : `, first hit ${fmt(figures.firstHitAfterHealMs)} ms after the heal${hitOk === null ? ` (not seen in the ${fmt(figures.observedAfterHealMs)} ms the window looked after the heal: not checked)` : ''}`;
  return {
    held,
    boundMs,
    text: `${held ? 'held' : 'NOT held'} (failed ${figures.failed + figures.capped}, max ${fmt(figures.windowMaxMs)} / ${fmt(boundMs)} ms${hitText})`,
  };
}

/** What the figures mean and what each client is. */
function systemNotes(params: ChaosParams): string[] {
  return [
    `each window is one trial: a fresh client, Redis running with only the hot keys cached, ${params.preMs} ms of load, the fault for ${params.faultMs} ms, ${params.postMs} ms after the heal; the clients' windows alternate (ABBA)`,
    'latencies are from intended send times (open loop, coordinated omission corrected); the .uncorrected metrics are from actual sends; both hold completed requests only, the .all metrics every outcome (failures at their time to failure)',
    `naive = ioredis defaults (no command timeout, offline queue, 20 retries per request) with the document's try/except loop, every failed cache call logged; every request capped by the harness at ${params.requestCapMs} ms so the window ends (capped = not completed)`,
    `safe = src/ resilient path: commandTimeout ${params.commandTimeoutMs} ms, call budget ${params.callTimeoutMs} ms, no offline queue, 1 retry, breaker ${params.failureThreshold} failures / ${params.openDurationMs} ms open, reconnect backoff with jitter capped at ${params.reconnectMaxDelayMs} ms, single flight, TTL jitter ${params.ttlJitterFraction}, warnings rate-limited to one line per kind of failure per ${WARNING_INTERVAL_MS} ms with a count of the others`,
  ];
}

/** One line per fault and client over its windows: the closing matrix of the issue. */
function matrix(results: readonly FaultResult[]): string[] {
  const lines = [
    'matrix (fault / client over its windows: failed+capped, wrong, max latency in the windows, median p99, detect, first success / first hit / steady after heal):',
  ];
  for (const { spec, variant, windows } of byClient(results)) {
    const f = (name: keyof ChaosFigures, how: Aggregate): number | null =>
      aggregate(
        windows.map((t) => t.figures[name] as number | null),
        how,
      );
    lines.push(
      `  ${spec.id} / ${variant} (${windows.length}): ${f('failed', 'sum')}+${f('capped', 'sum')} of ${f('requests', 'sum')}, wrong ${f('wrong', 'sum')}, max ${fmt(f('windowMaxMs', 'max'))} ms, p99 ${fmt(f('windowP99Ms', 'median'))} ms, detect ${fmt(f('detectMs', 'median'))} ms, success ${fmt(f('firstSuccessAfterHealMs', 'median'))} / hit ${fmt(f('firstHitAfterHealMs', 'median'))} / steady ${fmt(f('steadyAfterHealMs', 'median'))} ms`,
    );
  }
  return lines;
}
