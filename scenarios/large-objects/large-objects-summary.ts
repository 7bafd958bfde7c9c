/** large-objects' outcome: per-trial figures and verdicts, the named figures and the notes. */
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { claimIn, environmentConditions, figure } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { LARGE_OBJECTS_CLAIMS } from './claims.ts';
import { probeMetricName } from './head-of-line.ts';
import type { MovedValue } from './head-of-line.ts';
import { LARGE_KEY, VECTOR_KEY } from './large-objects-run.ts';
import type { LargeObjectsMeasurement } from './large-objects-run.ts';

export const CLAIM_MEMORY = 'antipattern.large-object-memory';
export const CLAIM_SLOW = 'antipattern.large-object-slow';
export const CLAIM_HEAD_OF_LINE = 'antipattern.large-object-head-of-line';
/** The document's example keyspace (DBSIZE 500) and maxmemory (512mb). */
export const DOCUMENT_KEYS = 500;
export const DOCUMENT_MAXMEMORY_BYTES = 512 * 1024 * 1024;
const MIB = 1024 * 1024;

/** Memory the document's 500 keys would take with one such object each, in % of maxmemory 512mb. */
export function percentOfDocumentMaxmemory(memoryUsageBytes: number): number {
  return (100 * memoryUsageBytes * DOCUMENT_KEYS) / DOCUMENT_MAXMEMORY_BYTES;
}

/** p99 (ms) of the other client's GETs per trial while `moved` moved; NaN for an empty trial. */
export function probeP99PerTrial(context: ScenarioContext, moved: MovedValue): number[] {
  return context.recorders
    .metric(probeMetricName(moved))
    .trialHistograms()
    .map((h) => (h.totalCount === 0 ? Number.NaN : h.getValueAtPercentile(99) / NS_PER_MS));
}

const median = (values: readonly number[]): number => {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? Number.NaN : medianOf(finite);
};

function trialFigures(context: ScenarioContext, m: LargeObjectsMeasurement): Record<string, number[]> {
  const large = probeP99PerTrial(context, 'large');
  const vector = probeP99PerTrial(context, 'vector');
  return {
    [CLAIM_MEMORY]: m.trials.map((t) => percentOfDocumentMaxmemory(t.largeMemoryUsage)),
    [CLAIM_SLOW]: m.trials.map((t) => t.largeCodecMs),
    [CLAIM_HEAD_OF_LINE]: m.trials.map((_, i) => (large[i] ?? Number.NaN) - (vector[i] ?? Number.NaN)),
  };
}

function conditions(context: ScenarioContext, m: LargeObjectsMeasurement): Record<string, string> {
  const { p } = m;
  const objects = `large: ${LARGE_KEY} = dataframe.to_json() of ${m.rows} one-minute OHLCV+vwap bars (orient=columns, epoch-ms index, 10 decimals), ${(m.largeBytes / MIB).toFixed(2)} MB; vector: ${VECTOR_KEY} = Alpha158 in the service's default codec, ${m.vectorBytes} bytes; both SET with EX 3600`;
  const trials = `trials: ${m.trials.length}, the large object and the vector in each, their order alternating`;
  const env = environmentConditions(context);
  return {
    [CLAIM_MEMORY]: `${env}; ${objects}; MEMORY USAGE SAMPLES 0 x ${DOCUMENT_KEYS} keys / 512 MiB; ${trials}`,
    [CLAIM_SLOW]: `${env}; ${objects}; JSON.stringify to a Buffer + JSON.parse of its text, median of ${p.codecRepetitions} per trial, in a worker thread of this process (its own heap); the vector: encode + decode, ${p.codecRepetitions * 20} per trial, main thread; ${trials}`,
    [CLAIM_HEAD_OF_LINE]: `${env}; ${objects}; windows of ${p.windowMs} ms: one lean connection SETs and GETs the value back to back while another sends ${p.probeRatePerSecond} GETs/s of a ${m.vectorBytes}-byte key (open loop, latency from the intended send, coordinated omission corrected), both in this process beside Redis on the same machine: CPU shared, not only Redis's queue; ${trials}`,
  };
}

function ioValues(m: LargeObjectsMeasurement): Record<string, ScenarioValue> {
  const of = (pick: (t: (typeof m.trials)[number]) => number): number => median(m.trials.map(pick));
  return {
    'large.json-bytes': figure(m.largeBytes, 'bytes', "the DataFrame's JSON"),
    'large.rows': figure(m.rows, 'count', 'one-minute bars in the DataFrame'),
    'vector.bytes': figure(m.vectorBytes, 'bytes', 'the feature vector in the default codec'),
    'large.serialize-parse-ms': figure(
      of((t) => t.largeCodecMs),
      'ms',
      'median over trials: serialise + parse the DataFrame JSON',
    ),
    'vector.encode-decode-ms': figure(
      of((t) => t.vectorCodecMs),
      'ms',
      'median over trials: encode + decode the feature vector',
    ),
    'codec.ratio': figure(
      of((t) => t.largeCodecMs / t.vectorCodecMs),
      'x',
      'serialise + parse, large / vector (median of the per-trial ratios)',
    ),
    'large.set-p50-ms': figure(
      of((t) => t.largeSetMs),
      'ms',
      'SET EX 3600 of the large object (ioredis), median over trials of per-trial medians',
    ),
    'large.get-p50-ms': figure(
      of((t) => t.largeGetMs),
      'ms',
      'GET of the large object (ioredis getBuffer)',
    ),
    'vector.set-p50-ms': figure(
      of((t) => t.vectorSetMs),
      'ms',
      'SET EX 3600 of the feature vector',
    ),
    'vector.get-p50-ms': figure(
      of((t) => t.vectorGetMs),
      'ms',
      'GET of the feature vector',
    ),
    'get.ratio': figure(
      of((t) => t.largeGetMs / t.vectorGetMs),
      'x',
      'GET time, large / vector (median of the per-trial ratios)',
    ),
    'large.memory-usage-bytes': figure(
      of((t) => t.largeMemoryUsage),
      'bytes',
      'MEMORY USAGE of the large key',
    ),
    'vector.memory-usage-bytes': figure(
      of((t) => t.vectorMemoryUsage),
      'bytes',
      'MEMORY USAGE of the feature key',
    ),
    'vector.percent-of-512mb-at-500-keys': figure(
      of((t) => percentOfDocumentMaxmemory(t.vectorMemoryUsage)),
      '%',
      '500 feature keys in % of 512mb (beside the large figure of the claim)',
    ),
    'large.objects-in-512mb': figure(
      of((t) => DOCUMENT_MAXMEMORY_BYTES / t.largeMemoryUsage),
      'count',
      'large objects that fit in 512mb',
    ),
  };
}

function windowValues(context: ScenarioContext, m: LargeObjectsMeasurement): Record<string, ScenarioValue> {
  const values: Record<string, ScenarioValue> = {};
  for (const moved of ['large', 'vector'] as const) {
    const total = context.recorders.metric(probeMetricName(moved)).total();
    const windows = m.trials.map((t) => t.windows[moved]);
    values[`others-get.while-${moved}.p50-ms`] = figure(
      total.totalCount === 0 ? null : total.getValueAtPercentile(50) / NS_PER_MS,
      'ms',
      `the other client's GET p50 while the ${moved} value moved (all trials, corrected)`,
    );
    values[`others-get.while-${moved}.p99-ms`] = figure(
      median(probeP99PerTrial(context, moved)),
      'ms',
      `median over trials of the other client's GET p99 while the ${moved} value moved`,
    );
    values[`others-get.while-${moved}.max-ms`] = figure(
      total.totalCount === 0 ? null : total.maxValue / NS_PER_MS,
      'ms',
      'the slowest of those GETs',
    );
    values[`others-get.while-${moved}.failures`] = figure(
      windows.reduce((s, w) => s + w.probe.errors + w.probe.timeouts + w.probe.abandoned, 0),
      'count',
      'probe GETs that failed, timed out or were abandoned (expected 0)',
    );
    values[`mover.${moved}.mb-per-second`] = figure(
      median(windows.map((w) => w.moverBytes / MIB / (m.p.windowMs / 1_000))),
      'MB/s',
      'bytes the mover SET and GOT per second of window',
    );
    values[`mover.${moved}.commands`] = figure(
      median(windows.map((w) => w.moverCommands)),
      'count',
      'SETs + GETs of the mover per window',
    );
  }
  return values;
}

/** Above this, the other client's p50 with only the small value moving says the machine itself was busy. */
const BUSY_PROBE_P50_MS = 1;

function notes(context: ScenarioContext, m: LargeObjectsMeasurement): string[] {
  const out = [
    "the DataFrame's prices come from the synthetic generator (one step per bar): only the JSON's size and digits matter for its cost",
    'head-of-line windows: the mover and the probe run in this Node process; the probe uses the open loop (bench/load/open-loop.ts), latency from the intended send',
  ];
  const warnings = new Set(
    m.trials.flatMap((t) => [...t.windows.large.probe.warnings, ...t.windows.vector.probe.warnings]),
  );
  for (const warning of warnings) out.push(`probe: ${warning}`);
  const quiet = context.recorders.metric(probeMetricName('vector')).total();
  const quietP50Ms = quiet.totalCount === 0 ? Number.NaN : quiet.getValueAtPercentile(50) / NS_PER_MS;
  if (quietP50Ms > BUSY_PROBE_P50_MS)
    out.push(
      `the other client's GET p50 was ${quietP50Ms.toFixed(1)} ms with only the feature vector moving (a loopback GET takes well under ${BUSY_PROBE_P50_MS} ms on an idle machine): the machine was busy, so the head-of-line windows measure CPU contention as much as Redis's queue`,
    );
  return out;
}

export function largeObjectsOutcome(context: ScenarioContext, m: LargeObjectsMeasurement): ScenarioOutcome {
  const figures = trialFigures(context, m);
  const cond = conditions(context, m);
  return {
    values: { ...ioValues(m), ...windowValues(context, m) },
    trials: figures,
    verdicts: LARGE_OBJECTS_CLAIMS.map((c) =>
      judgeClaim(claimIn(LARGE_OBJECTS_CLAIMS, c.id), figures[c.id], cond[c.id]),
    ),
    parameters: {
      ...m.p,
      rows: m.rows,
      largeKey: LARGE_KEY,
      vectorKey: VECTOR_KEY,
      largeBytes: m.largeBytes,
      vectorBytes: m.vectorBytes,
    },
    notes: notes(context, m),
  };
}
