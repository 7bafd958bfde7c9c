/**
 * The run's figures as Arrow IPC files (intervals, metrics, trials, verdicts, values) for pandas, polars,
 * DuckDB or R. Their schemas (columns, types, units, metadata) are documented in docs/reports.md.
 */
import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import type { Histogram } from 'hdr-histogram-js';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import type { LatencySummary, MetricReport, ScenarioValue } from '../core/run-summary.ts';
import { tableFromRows } from './arrow-columns.ts';
import type { ArrowColumn } from './arrow-columns.ts';
import type { ReportFile } from './file-sink.ts';

export const ARROW_SCHEMA_VERSION = 'rpb.arrow/v1';

export const ARROW_FILES = {
  intervals: 'intervals.arrow',
  metrics: 'metrics.arrow',
  trials: 'trials.arrow',
  verdicts: 'verdicts.arrow',
  values: 'values.arrow',
} as const;

export type ArrowTableName = keyof typeof ARROW_FILES;

/**
 * A verdict as the tables read it. Text fields are plain strings, so a summary.json from an older
 * or newer harness (an outcome this code does not know) still loads; a ClaimVerdict is one.
 */
export interface ArrowVerdict {
  readonly claimId: string;
  readonly quote: string;
  readonly outcome: string;
  readonly claimed: number;
  readonly unit: string;
  readonly rule: { readonly kind: string; readonly factor?: number; readonly points?: number };
  readonly measuredAs: string;
  readonly measured: number | null;
  readonly interval: {
    readonly low: number;
    readonly high: number;
    readonly coverage: number;
    readonly trials: number;
  } | null;
  readonly direction: string | null;
  readonly explanation: string;
  readonly conditions: string;
  // Added with threshold sources (same schema version): absent in older summaries, null in the table.
  readonly thresholdSource?: string;
  readonly thresholdReason?: string | null;
  readonly ruleText?: string;
  readonly failedTrials?: number;
}

/** The part of a RunSummary the tables read; a RunSummary is one. */
export interface ArrowRunSummary {
  readonly startedAt: string;
  readonly scenarios: readonly {
    readonly id: string;
    readonly metrics: Readonly<Record<string, Pick<MetricReport, 'summary' | 'trials' | 'clamped' | 'invalid'>>>;
    readonly values: Readonly<Record<string, ScenarioValue>>;
    readonly verdicts: readonly ArrowVerdict[];
  }[];
}

/** One interval, summarized as soon as it is read, so no dense histogram outlives its file. */
export interface IntervalSummary {
  /** Epoch ms. */
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly summary: LatencySummary;
}

/** What both a live recorder's intervals (IntervalHistogram) and a parsed .hlog's intervals are. */
export interface IntervalSource {
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly histogram: Histogram;
}

export interface ArrowInput {
  readonly summary: ArrowRunSummary;
  /** Keyed by intervalKey(scenario, metric); a metric without an entry has no interval rows. */
  readonly intervals: ReadonlyMap<string, readonly IntervalSummary[]>;
}

export function intervalKey(scenarioId: string, metric: string): string {
  return `${scenarioId}/${metric}`;
}

/** Reads each histogram once (IntervalHistogram.histogram builds a dense copy on every access). */
export function summarizeIntervals(intervals: readonly IntervalSource[]): IntervalSummary[] {
  return intervals.map(({ startTimeMs, endTimeMs, histogram }) => ({
    startTimeMs,
    endTimeMs,
    summary: summarizeHistogram(histogram),
  }));
}

const text = <Row>(name: string, value: (row: Row) => string | null, nullable = false): ArrowColumn<Row> => ({
  name,
  type: 'utf8',
  nullable,
  value,
});
const float = <Row>(
  name: string,
  unit: string | undefined,
  value: (row: Row) => number | null | undefined,
): ArrowColumn<Row> => ({ name, type: 'float64', nullable: true, unit, value });

function latencyColumns<Row>(summaryOf: (row: Row) => LatencySummary): ArrowColumn<Row>[] {
  const ns = (name: string, pick: (s: LatencySummary) => number | null): ArrowColumn<Row> =>
    float(name, 'ns', (row) => pick(summaryOf(row)));
  return [
    { name: 'count', type: 'float64', nullable: false, unit: 'count', value: (row) => summaryOf(row).count },
    ns('min_ns', (s) => s.minNs),
    ns('mean_ns', (s) => s.meanNs),
    ns('stddev_ns', (s) => s.stddevNs),
    ns('p50_ns', (s) => s.p50Ns),
    ns('p90_ns', (s) => s.p90Ns),
    ns('p99_ns', (s) => s.p99Ns),
    ns('p999_ns', (s) => s.p999Ns),
    ns('max_ns', (s) => s.maxNs),
  ];
}

interface MetricKey {
  readonly scenario: string;
  readonly metric: string;
}
type IntervalRow = MetricKey & { readonly index: number; readonly interval: IntervalSummary };
type MetricRow = MetricKey & { readonly report: Pick<MetricReport, 'summary' | 'clamped' | 'invalid'> };
type TrialRow = MetricKey & { readonly trial: number; readonly summary: LatencySummary };
type VerdictRow = { readonly scenario: string; readonly verdict: ArrowVerdict };
type ValueRow = { readonly scenario: string; readonly name: string; readonly value: ScenarioValue };

const keyColumns = <Row extends MetricKey>(): ArrowColumn<Row>[] => [
  text('scenario', (r) => r.scenario),
  text('metric', (r) => r.metric),
];

function intervalColumns(runStartMs: number): ArrowColumn<IntervalRow>[] {
  return [
    ...keyColumns<IntervalRow>(),
    { name: 'interval_index', type: 'int32', nullable: false, value: (r) => r.index },
    float('interval_start_ms', 'ms', (r) => r.interval.startTimeMs - runStartMs),
    float('interval_start_epoch_ms', 'ms', (r) => r.interval.startTimeMs),
    float('interval_length_ms', 'ms', (r) => r.interval.endTimeMs - r.interval.startTimeMs),
    ...latencyColumns<IntervalRow>((r) => r.interval.summary),
  ];
}

const METRIC_COLUMNS: ArrowColumn<MetricRow>[] = [
  ...keyColumns<MetricRow>(),
  ...latencyColumns<MetricRow>((r) => r.report.summary),
  float('clamped', 'count', (r) => r.report.clamped),
  float('invalid', 'count', (r) => r.report.invalid),
];

const TRIAL_COLUMNS: ArrowColumn<TrialRow>[] = [
  ...keyColumns<TrialRow>(),
  { name: 'trial', type: 'int32', nullable: false, value: (r) => r.trial },
  ...latencyColumns<TrialRow>((r) => r.summary),
];

const VERDICT_COLUMNS: ArrowColumn<VerdictRow>[] = [
  text('scenario', (r) => r.scenario),
  text('claim_id', (r) => r.verdict.claimId),
  text('quote', (r) => r.verdict.quote, true),
  text('outcome', (r) => r.verdict.outcome, true),
  float('claimed', undefined, (r) => r.verdict.claimed),
  text('unit', (r) => r.verdict.unit, true),
  float('measured', undefined, (r) => r.verdict.measured),
  float('interval_low', undefined, (r) => r.verdict.interval?.low),
  float('interval_high', undefined, (r) => r.verdict.interval?.high),
  float('coverage', 'fraction', (r) => r.verdict.interval?.coverage),
  float('trials', 'count', (r) => r.verdict.interval?.trials),
  text('direction', (r) => r.verdict.direction, true),
  text('rule_kind', (r) => r.verdict.rule.kind, true),
  float('rule_factor', 'x', (r) => r.verdict.rule.factor),
  float('rule_points', 'percentage points', (r) => r.verdict.rule.points),
  text('measured_as', (r) => r.verdict.measuredAs, true),
  text('conditions', (r) => r.verdict.conditions, true),
  text('explanation', (r) => r.verdict.explanation, true),
  text('threshold_source', (r) => r.verdict.thresholdSource ?? null, true),
  text('threshold_reason', (r) => r.verdict.thresholdReason ?? null, true),
  text('rule_text', (r) => r.verdict.ruleText ?? null, true),
  float('failed_trials', 'count', (r) => r.verdict.failedTrials),
];

const VALUE_COLUMNS: ArrowColumn<ValueRow>[] = [
  text('scenario', (r) => r.scenario),
  text('name', (r) => r.name),
  float('value', undefined, (r) => r.value.value),
  text('unit', (r) => r.value.unit, true),
  text('description', (r) => r.value.description, true),
];

/** The five tables, pure: same input, same tables. */
export function buildArrowTables(input: ArrowInput): Record<ArrowTableName, Table> {
  const { summary } = input;
  const intervals: IntervalRow[] = [];
  const metrics: MetricRow[] = [];
  const trials: TrialRow[] = [];
  const verdicts: VerdictRow[] = [];
  const values: ValueRow[] = [];
  for (const s of summary.scenarios) {
    for (const [metric, report] of Object.entries(s.metrics)) {
      metrics.push({ scenario: s.id, metric, report });
      report.trials.forEach((trialSummary, trial) =>
        trials.push({ scenario: s.id, metric, trial, summary: trialSummary }),
      );
      (input.intervals.get(intervalKey(s.id, metric)) ?? []).forEach((interval, index) =>
        intervals.push({ scenario: s.id, metric, index, interval }),
      );
    }
    for (const verdict of s.verdicts) verdicts.push({ scenario: s.id, verdict });
    for (const [name, value] of Object.entries(s.values)) values.push({ scenario: s.id, name, value });
  }
  // An unparseable startedAt makes interval_start_ms null (NaN arithmetic), never a wrong number.
  const runStartMs = Date.parse(summary.startedAt);
  const metadata = (table: ArrowTableName): Map<string, string> =>
    new Map([
      ['rpb.schema', ARROW_SCHEMA_VERSION],
      ['rpb.table', table],
      ['rpb.run_started_at', summary.startedAt],
    ]);
  return {
    intervals: tableFromRows('intervals', intervalColumns(runStartMs), intervals, metadata('intervals')),
    metrics: tableFromRows('metrics', METRIC_COLUMNS, metrics, metadata('metrics')),
    trials: tableFromRows('trials', TRIAL_COLUMNS, trials, metadata('trials')),
    verdicts: tableFromRows('verdicts', VERDICT_COLUMNS, verdicts, metadata('verdicts')),
    values: tableFromRows('values', VALUE_COLUMNS, values, metadata('values')),
  };
}

/** The five .arrow files at the top of the run folder, for writeReportFiles. */
export function buildArrowFiles(input: ArrowInput): ReportFile[] {
  const tables = buildArrowTables(input);
  return (Object.keys(ARROW_FILES) as ArrowTableName[]).map((name) => ({
    relativePath: ARROW_FILES[name],
    content: tableToIPC(tables[name], 'file'),
  }));
}
