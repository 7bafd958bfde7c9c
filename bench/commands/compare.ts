import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Histogram } from 'hdr-histogram-js';
import { CLAIMS } from '../../scenarios/claims.ts';
import { SCENARIOS } from '../../scenarios/registry.ts';
import { ConfigError } from '../errors.ts';
import { compareRuns } from '../gate/baseline-compare.ts';
import { COMPARE_DEFAULTS, decisionRuleText, ratioCells } from '../gate/trial-comparison.ts';
import type { MetricComparison } from '../gate/baseline-compare.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import { toSafeJson } from '../report/json-safe.ts';
import { parseHlog } from '../report/hlog-reader.ts';
import { renderCompareHtml } from '../report/html/compare-html.ts';
import type { CompareMetricPlot } from '../report/html/compare-html.ts';
import { percentileDistribution } from '../report/report-data.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import type { RunSummary } from '../core/run-summary.ts';
import { parseVariant, runAbExperiment } from '../run/ab-experiment.ts';
import type { AbExperimentResult, Variant } from '../run/ab-experiment.ts';
import { onInterrupt } from '../core/cleanup-registry.ts';
import type { RawRunOptions } from '../run/run-params.ts';
import { resolveRunParams } from '../run/run-params.ts';
import type { Scenario } from '../run/scenario.ts';
import { tunableProblems } from '../core/tunables.ts';
import { selectScenarios } from './run.ts';

export interface AbOptions extends RawRunOptions {
  readonly pairs?: string;
}

/** Shared set-up of compare and calibrate: one scenario, pairs, the run options checked up front. */
export function resolveAbSetup(
  scenarioId: string,
  options: AbOptions,
  defaultPairs: number,
): { scenario: Scenario; pairs: number; outDir: string } {
  const problems: string[] = [];
  let scenario: Scenario | undefined;
  try {
    [scenario] = selectScenarios([scenarioId]);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(`${error.message} (${error.hint})`);
  }
  const pairsText = options.pairs ?? String(defaultPairs);
  if (!/^\d+$/.test(pairsText) || Number(pairsText) < 1 || Number(pairsText) > 500)
    problems.push(`--pairs ${JSON.stringify(pairsText)}: expected an integer from 1 to 500`);
  let outDir = '';
  try {
    const params = resolveRunParams(options, process.env);
    outDir = params.outDir;
    if (scenario !== undefined)
      problems.push(...tunableProblems(scenario.id, scenario.tunables ?? {}, params.overrides));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || scenario === undefined)
    throw new ConfigError(problems.length === 1 ? problems[0] : `${problems.length} problems with the command`, {
      problems: problems.length === 1 ? [] : problems,
    });
  return { scenario, pairs: Number(pairsText), outDir };
}

/** Runs an experiment with Ctrl-C stopping it between runs (the run in progress writes its partial report). */
export async function withInterrupt<T>(
  progress: (m: string) => void,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const stop = onInterrupt((signal) => {
    progress(`received ${signal}: stopping after the current run`);
    controller.abort(signal);
  });
  try {
    return await work(controller.signal);
  } finally {
    stop();
  }
}

function ms(ns: number | null): string {
  return ns === null ? '—' : `${(ns / 1e6).toFixed(3)} ms`;
}

function significance(c: MetricComparison): string {
  if (c.verdict === 'regression') return 'B slower (significant)';
  if (c.verdict === 'improvement') return 'B faster (significant)';
  if (c.verdict === 'no change') return `no change (within ±${Math.round((c.band.high - 1) * 100)}%)`;
  return c.ratio === null ? 'not compared' : 'not significant';
}

export function formatComparison(
  comparisons: readonly MetricComparison[],
  a: Variant,
  b: Variant,
  result: AbExperimentResult,
): string {
  const header = ['metric', 'stat', 'A median', 'B median', 'B/A', 'best runs', '95% interval', 'difference'];
  const compared = comparisons.filter((c) => c.ratio !== null);
  const rows = compared.map((c) => [
    c.metric,
    c.percentile,
    ms(c.baselineMedian),
    ms(c.candidateMedian),
    ...ratioCells(c, '—'),
    c.low === null || c.high === null ? '—' : `[${c.low.toFixed(3)}, ${c.high.toFixed(3)}]`,
    significance(c),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    `A: ${a.text || '(defaults)'}   B: ${b.text || '(defaults)'}   ${result.a.length} + ${result.b.length} runs, orders ${result.orders.join(' ')}${result.interrupted ? ' (interrupted)' : ''}`,
    `significant = the gate's rule (docs/ci-gates.md, calibrated): for the ratio of per-trial medians and its bootstrap interval, ${decisionRuleText(COMPARE_DEFAULTS.rule, COMPARE_DEFAULTS.maxRegressionPct)} (${(100 * COMPARE_DEFAULTS.confidence).toFixed(0)}% family-wise, Bonferroni over the compared rows; trials = rounds of every run of a side; a percentile with too few samples per trial is not compared)`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...notComparedLines(comparisons),
  ].join('\n');
}

/**
 * The rows left out of the table, grouped by statistic: `p99 of 12 metrics: too few samples per
 * trial (fewest 40, needs 1000)`, so the table holds only what was compared.
 */
export function notComparedLines(comparisons: readonly MetricComparison[]): string[] {
  const skipped = comparisons.filter((c) => c.ratio === null);
  if (skipped.length === 0) return [];
  const byStat = new Map<string, MetricComparison[]>();
  for (const c of skipped) byStat.set(c.percentile, [...(byStat.get(c.percentile) ?? []), c]);
  return [
    `not compared (${skipped.length} rows; longer rounds or more of them give the high percentiles enough samples):`,
    ...[...byStat].map(([stat, rows]) => {
      const fewest = rows.map((r) => /fewest (\d+), needs (\d+)/.exec(r.reason ?? ''));
      const counts = fewest.flatMap((m) => (m === null ? [] : [Number(m[1])]));
      const needs = fewest.find((m) => m !== null)?.[2];
      const why =
        counts.length === rows.length && needs !== undefined
          ? `too few samples per trial (fewest ${Math.min(...counts)}${Math.max(...counts) > Math.min(...counts) ? `..${Math.max(...counts)}` : ''}, needs ${needs})`
          : [...new Set(rows.map((r) => (r.reason ?? 'no figures').replace(/: not compared$/, '')))]
              .slice(0, 2)
              .join('; ');
      return `  ${stat} of ${rows.length} metric${rows.length === 1 ? '' : 's'}: ${why}`;
    }),
  ];
}

/** Each side's histogram of a metric: every run's .hlog intervals added up (HDR merges exactly). */
async function mergedHistogram(
  dirs: readonly string[],
  runs: readonly RunSummary[],
  metric: string,
): Promise<Histogram | null> {
  const merged = createLatencyHistogram();
  for (let i = 0; i < runs.length; i += 1) {
    const file = runs[i].scenarios[0]?.metrics[metric]?.files.hlog;
    if (file === undefined) continue;
    try {
      for (const interval of parseHlog(await readFile(path.join(dirs[i], file), 'utf8')).intervals)
        merged.add(interval.histogram);
    } catch {
      // A run whose log is unreadable is left out of the plot; the ratios above come from summary.json.
    }
  }
  return merged.totalCount === 0 ? null : merged;
}

async function comparePlots(
  result: AbExperimentResult,
  comparisons: readonly MetricComparison[],
): Promise<CompareMetricPlot[]> {
  const plots: CompareMetricPlot[] = [];
  for (const metric of [...new Set(comparisons.map((c) => c.metric))]) {
    const a = await mergedHistogram(result.aDirs, result.a, metric);
    const b = await mergedHistogram(result.bDirs, result.b, metric);
    if (a !== null && b !== null) plots.push({ metric, a: percentileDistribution(a), b: percentileDistribution(b) });
  }
  return plots;
}

/** `rpb compare <scenario> --a ... --b ...`: both variants interleaved, every metric's ratio with its interval. */
export async function runCompareCommand(
  scenarioId: string,
  options: AbOptions & { a?: string; b?: string },
  progress: (m: string) => void,
): Promise<string> {
  const { scenario, pairs, outDir } = resolveAbSetup(scenarioId, options, 6);
  const a = parseVariant('A', options.a ?? '', scenario);
  const b = parseVariant('B', options.b ?? '', scenario);
  const result = await withInterrupt(progress, (signal) =>
    runAbExperiment({
      scenario,
      claims: CLAIMS,
      knownScenarioIds: SCENARIOS.map((s) => s.id),
      base: options,
      a,
      b,
      pairs,
      outDir,
      signal,
      progress,
    }),
  );
  if (result.a.length === 0 || result.b.length === 0)
    return 'compare: interrupted before both variants ran; nothing to compare';
  // The gate's rule and its calibrated defaults (docs/ci-gates.md, "Calibration"): a difference is
  // significant only when its interval excludes 1 and the two sides' best runs differ by more than
  // the allowed band; with band 0 a shared machine's drift between runs made a step the variant
  // cannot touch "significant".
  const comparison = compareRuns(result.b, result.a, COMPARE_DEFAULTS);
  const text = formatComparison(comparison.comparisons, a, b, result);
  const plots = await comparePlots(result, comparison.comparisons);
  const html = renderCompareHtml({
    scenario: scenario.id,
    aText: a.text,
    bText: b.text,
    orders: result.orders,
    method: comparison.method,
    comparisons: comparison.comparisons,
    plots,
  });
  await writeReportFiles(outDir, [
    { relativePath: 'compare.html', content: html },
    {
      relativePath: 'compare.json',
      content: `${toSafeJson({ schema: 'rpb.compare/v1', scenario: scenario.id, a, b, orders: result.orders, method: comparison.method, comparisons: comparison.comparisons, notes: comparison.notes })}\n`,
    },
    { relativePath: 'compare.txt', content: `${text}\n` },
  ]);
  return `${text}\n\ncompare.html (A and B overlaid), compare.json and every run in ${path.resolve(outDir)}`;
}
