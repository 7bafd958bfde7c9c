import { networkLabel } from '../targets/network-label.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Histogram } from 'hdr-histogram-js';
import { histogramMaxNs, nsToMs } from '../analysis/latency-summary.ts';
import { ConfigError } from '../errors.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { SUMMARY_SCHEMA } from '../core/run-summary.ts';
import type { MetricReport, RunSummary, ScenarioReport, TargetReport } from '../core/run-summary.ts';
import { parseHlog } from './hlog-reader.ts';
import type { ParsedHlog } from './hlog-reader.ts';

/** One point of a percentile distribution; `inverseTail` is 1/(1-p), the x axis of HdrHistogram plots. */
export interface PercentilePoint {
  /** 0..100 */
  readonly percentile: number;
  readonly inverseTail: number;
  readonly valueMs: number;
}

/** One .hlog interval (about a second); latency fields are null when the interval is empty. */
export interface TimelinePoint {
  /** Interval start in seconds after the scenario's measured start (the .hlog StartTime). */
  readonly startSec: number;
  readonly durationSec: number;
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  readonly ratePerSec: number;
}

export interface MetricPlotData {
  readonly name: string;
  readonly report: MetricReport;
  /** Empty when the .hlog is missing, corrupt or empty (a warning says which). */
  readonly percentiles: readonly PercentilePoint[];
  readonly timeline: readonly TimelinePoint[];
}

export interface ScenarioPlotData {
  readonly report: ScenarioReport;
  readonly metrics: readonly MetricPlotData[];
}

export interface ReportData {
  readonly summary: RunSummary;
  readonly scenarios: readonly ScenarioPlotData[];
  /** Problems that cost plots but not the report (missing or corrupt .hlog files). */
  readonly warnings: readonly string[];
}

/**
 * Where the distribution is sampled: 1/(1-p) log-spaced, 10 points a decade from 1 (0%) to 10^6
 * (99.9999%), as HdrHistogram's percentile plots lay them out.
 */
export const PLOT_INVERSE_TAILS: readonly number[] = Array.from({ length: 61 }, (_, i) => 10 ** (i / 10));

/**
 * Samples a histogram at PLOT_INVERSE_TAILS up to the tail its count resolves (1/(1-p) <= count),
 * then its max at 1/(1-p) = count.
 */
export function percentileDistribution(histogram: Histogram): PercentilePoint[] {
  const count = histogram.totalCount;
  if (count === 0) return [];
  const points: PercentilePoint[] = [];
  for (const inverseTail of PLOT_INVERSE_TAILS) {
    if (inverseTail > count) break;
    const percentile = 100 * (1 - 1 / inverseTail);
    points.push({ percentile, inverseTail, valueMs: nsToMs(histogram.getValueAtPercentile(percentile)) });
  }
  if (points[points.length - 1].inverseTail < count) {
    points.push({ percentile: 100 * (1 - 1 / count), inverseTail: count, valueMs: nsToMs(histogramMaxNs(histogram)) });
  }
  return points;
}

export function timelinePoints(hlog: ParsedHlog): TimelinePoint[] {
  const originMs = hlog.startTimeMs ?? hlog.intervals[0]?.startTimeMs ?? 0;
  // A zero-length empty interval (two cuts at the same instant) says nothing; an empty second does (a stall).
  const intervals = hlog.intervals.filter((i) => i.histogram.totalCount > 0 || i.endTimeMs > i.startTimeMs);
  return intervals.map(({ startTimeMs, endTimeMs, histogram }) => {
    const count = histogram.totalCount;
    const durationSec = Math.max(0, endTimeMs - startTimeMs) / 1000;
    const at = (p: number): number | null => (count === 0 ? null : nsToMs(histogram.getValueAtPercentile(p)));
    return {
      startSec: (startTimeMs - originMs) / 1000,
      durationSec,
      count,
      p50Ms: at(50),
      p99Ms: at(99),
      maxMs: count === 0 ? null : nsToMs(histogramMaxNs(histogram)),
      ratePerSec: durationSec > 0 ? count / durationSec : 0,
    };
  });
}

function describeReadError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'file not found';
  return error instanceof Error ? error.message : String(error);
}

async function metricPlotData(
  runDir: string,
  scenarioId: string,
  name: string,
  report: MetricReport,
  warnings: string[],
): Promise<MetricPlotData> {
  const relative = report.files?.hlog;
  const none: MetricPlotData = { name, report, percentiles: [], timeline: [] };
  if (typeof relative !== 'string') {
    warnings.push(`${scenarioId}/${name}: no .hlog file named in summary.json; no plots for this metric`);
    return none;
  }
  let hlog: ParsedHlog;
  try {
    hlog = parseHlog(await readFile(path.resolve(runDir, relative), 'utf8'));
  } catch (error) {
    warnings.push(
      `${scenarioId}/${name}: cannot read ${relative} (${describeReadError(error)}); no plots for this metric`,
    );
    return none;
  }
  const total = createLatencyHistogram();
  for (const interval of hlog.intervals) total.add(interval.histogram);
  if (total.totalCount !== report.summary.count) {
    warnings.push(
      `${scenarioId}/${name}: ${relative} holds ${total.totalCount} values but summary.json counts ${report.summary.count}; plots follow the .hlog`,
    );
  }
  return { name, report, percentiles: percentileDistribution(total), timeline: timelinePoints(hlog) };
}

/** Plot data for an already loaded summary (the runner has it in memory); reads each metric's .hlog. */
export async function reportDataFromSummary(runDir: string, summary: RunSummary): Promise<ReportData> {
  const warnings: string[] = [];
  const scenarios: ScenarioPlotData[] = [];
  for (const scenario of summary.scenarios) {
    const metrics: MetricPlotData[] = [];
    for (const [name, report] of Object.entries(scenario.metrics))
      metrics.push(await metricPlotData(runDir, scenario.id, name, report, warnings));
    scenarios.push({ report: scenario, metrics });
  }
  return { summary, scenarios, warnings };
}

function summaryProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['the top level is not an object'];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  if (record.schema !== SUMMARY_SCHEMA)
    problems.push(`schema is ${JSON.stringify(record.schema)}, expected ${JSON.stringify(SUMMARY_SCHEMA)}`);
  if (typeof record.environment !== 'object' || record.environment === null) problems.push('environment is missing');
  if (!Array.isArray(record.scenarios)) {
    problems.push('scenarios is not an array');
    return problems;
  }
  record.scenarios.forEach((scenario: unknown, i) => {
    const s = (scenario ?? {}) as Record<string, unknown>;
    if (typeof s.id !== 'string') problems.push(`scenarios[${i}].id is not a string`);
    if (typeof s.metrics !== 'object' || s.metrics === null) problems.push(`scenarios[${i}].metrics is not an object`);
    if (!Array.isArray(s.verdicts)) problems.push(`scenarios[${i}].verdicts is not an array`);
  });
  return problems;
}

/**
 * The traffic label of a summary written before TargetReport.network existed; managed targets always
 * listen on 127.0.0.1.
 */
function legacyNetwork(target: Omit<TargetReport, 'network'>): string {
  return target.kind === 'managed' ? 'loopback (127.0.0.1)' : networkLabel(target.redactedUrl);
}

/**
 * Older v1 summaries lack `claims` and `target.network`: derive them (claims from the scenarios'
 * verdicts), so `rpb report` still renders run folders written before those fields were added.
 */
function withLegacyFields(summary: RunSummary): RunSummary {
  const loose = summary as Omit<RunSummary, 'claims'> & { claims?: RunSummary['claims'] };
  const scenarios = summary.scenarios.map((s) =>
    s.target === null || typeof s.target.network === 'string'
      ? s
      : { ...s, target: { ...s.target, network: legacyNetwork(s.target) } },
  );
  const claims = Array.isArray(loose.claims)
    ? loose.claims
    : summary.scenarios.flatMap((s) => s.verdicts.map((verdict) => ({ scenario: s.id, verdict })));
  return { ...summary, scenarios, claims };
}

/** Reads `<runDir>/summary.json` and every metric's .hlog. A missing or invalid summary is a ConfigError. */
export async function loadReportData(runDir: string): Promise<ReportData> {
  const file = path.join(runDir, 'summary.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${describeReadError(error)}`, {
      hint: 'give the folder of one run (reports/<timestamp>), which holds summary.json; `rpb run` creates it',
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'the file may be truncated or edited by hand; rerun `rpb run` to produce a fresh one',
      cause: error,
    });
  }
  const problems = summaryProblems(parsed);
  if (problems.length > 0) {
    throw new ConfigError(`${file} is not an rpb run summary (${SUMMARY_SCHEMA}): ${problems.join('; ')}`, {
      hint: 'give a run folder written by this version of rpb, or rerun `rpb run` to produce one',
      problems,
    });
  }
  return reportDataFromSummary(runDir, withLegacyFields(parsed as RunSummary));
}
