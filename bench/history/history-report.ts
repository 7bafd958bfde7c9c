import { scaleTicks } from '../report/html/axis-ticks.ts';
import type { AxisTick } from '../report/html/axis-ticks.ts';
import { renderLegend } from '../report/html/chart-legend.ts';
import { escapeHtml } from '../report/html/escape-html.ts';
import { renderLineChart } from '../report/html/line-chart.ts';
import type { ChartBand, ChartLine } from '../report/html/line-chart.ts';
import { PAGE_STYLE } from '../report/html/page-style.ts';
import { seriesStyle } from '../report/html/palette.ts';
import { autoScale, linearScale } from '../report/html/plot-scale.ts';
import type { HistoryCheck, HistoryCheckOptions, MetricCheck } from './history-check.ts';
import type { HistoryEntry } from './history-store.ts';

interface CommitPoint {
  readonly commit: string;
  readonly median: number;
  readonly low: number;
  readonly high: number;
  readonly runs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Per commit (in the store's order): the median of its runs' values and the widest spread they report. */
export function commitPoints(entries: readonly HistoryEntry[], metric: string): CommitPoint[] {
  const byCommit = new Map<string, { values: number[]; lows: number[]; highs: number[] }>();
  for (const entry of entries) {
    const point = entry.metrics[metric];
    if (point === undefined || !Number.isFinite(point.value)) continue;
    const slot = byCommit.get(entry.commit) ?? { values: [], lows: [], highs: [] };
    slot.values.push(point.value);
    slot.lows.push(point.low ?? point.value);
    slot.highs.push(point.high ?? point.value);
    byCommit.set(entry.commit, slot);
  }
  return [...byCommit].map(([commit, slot]) => ({
    commit,
    median: median(slot.values),
    low: Math.min(...slot.lows),
    high: Math.max(...slot.highs),
    runs: slot.values.length,
  }));
}

function trendChart(check: HistoryCheck, metric: MetricCheck, entries: readonly HistoryEntry[]): string {
  const points = commitPoints(entries, metric.metric);
  const x = (commit: string): number => check.commits.indexOf(commit) + 1;
  const tip = (p: CommitPoint): string =>
    `${p.commit.slice(0, 12)}: ${p.median.toPrecision(4)} ${metric.unit} (${p.runs} run${p.runs === 1 ? '' : 's'}; ${p.low.toPrecision(4)} .. ${p.high.toPrecision(4)})`;
  const lines: ChartLine[] = [
    {
      name: 'median per commit',
      style: seriesStyle(0),
      points: points.map((p) => ({ x: x(p.commit), y: p.median, tip: tip(p) })),
      markers: true,
    },
    {
      name: 'interval (low)',
      style: { ...seriesStyle(1), dash: '4 3' },
      points: points.map((p) => ({ x: x(p.commit), y: p.low })),
    },
    {
      name: 'interval (high)',
      style: { ...seriesStyle(1), dash: '4 3' },
      points: points.map((p) => ({ x: x(p.commit), y: p.high })),
    },
  ];
  const bands: ChartBand[] = metric.changes.map((c) => ({
    from: x(c.commit) - 0.5,
    to: x(c.commit) - 0.4,
    label: `${c.kind} ${c.relativeChange >= 0 ? '+' : ''}${(100 * c.relativeChange).toFixed(1)}%`,
  }));
  const xScale = linearScale(0.5, check.commits.length + 0.5);
  const step = Math.max(1, Math.ceil(check.commits.length / 12));
  const xTicks: AxisTick[] = check.commits
    .map((commit, i) => ({ value: i + 1, label: commit.slice(0, 7) }))
    .filter((_, i) => i % step === 0 || i === check.commits.length - 1);
  const yScale = autoScale(
    points.flatMap((p) => [p.low, p.high]),
    { includeZero: false },
  );
  return renderLineChart({
    kind: 'trend',
    title: `${metric.metric} per commit`,
    x: { scale: xScale, ticks: xTicks, label: 'commit (oldest first)' },
    y: { scale: yScale, ticks: scaleTicks(yScale), label: metric.unit === '' ? metric.metric : metric.unit },
    lines,
    bands,
  });
}

function metricSection(check: HistoryCheck, metric: MetricCheck, entries: readonly HistoryEntry[]): string {
  const status = metric.regressionAtHead
    ? '<span class="status status-bad">regressed at head</span>'
    : metric.noisy
      ? '<span class="status status-warn">noisy: not gated</span>'
      : metric.changes.length > 0
        ? '<span class="status status-ok">changed</span>'
        : '';
  const changes = metric.changes.map(
    (c) =>
      `<li>${escapeHtml(c.kind)} at <code>${escapeHtml(c.commit.slice(0, 12))}</code>: ${(100 * c.relativeChange).toFixed(1)}% (${c.before.toPrecision(4)} → ${c.after.toPrecision(4)} ${escapeHtml(metric.unit)}), p = ${c.pValue.toExponential(1)}</li>`,
  );
  return [
    `<section id="metric-${escapeHtml(metric.metric)}">`,
    `<h3>${escapeHtml(metric.metric)} ${status}</h3>`,
    `<p class="muted">${metric.points} runs; ${metric.better === 'unknown' ? 'no better direction known' : `${metric.better} is better`}; spread around its level ${(100 * metric.noise).toFixed(1)}%</p>`,
    `<figure>${trendChart(check, metric, entries)}${renderLegend([
      { name: 'median per commit', style: seriesStyle(0) },
      { name: "the runs' interval", style: { ...seriesStyle(1), dash: '4 3' } },
    ])}</figure>`,
    changes.length === 0 ? '' : `<ul>${changes.join('')}</ul>`,
    '</section>',
  ].join('\n');
}

/** The trend page: self-contained (inline CSS and SVG, no scripts, no network), regressions first. */
export function renderHistoryReport(
  check: HistoryCheck,
  entries: readonly HistoryEntry[],
  options: HistoryCheckOptions,
): string {
  const order = (m: MetricCheck): number => (m.regressionAtHead ? 0 : m.changes.length > 0 ? 1 : 2);
  const metrics = [...check.metrics].sort((a, b) => order(a) - order(b) || a.metric.localeCompare(b.metric));
  const decision =
    check.regressions.length === 0
      ? '<p><span class="status status-ok">gate: pass</span> no metric is regressed at the head</p>'
      : `<p><span class="status status-bad">gate: FAIL</span> regressed at the head: ${check.regressions.map((m) => `<a href="#metric-${escapeHtml(m.metric)}">${escapeHtml(m.metric)}</a>`).join(', ')}</p>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(`rpb history: ${check.runs} runs, head ${check.head?.slice(0, 12) ?? '-'}`)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>Run history: ${check.runs} runs over ${check.commits.length} commits</h1>`,
    `<p class="env">head <code>${escapeHtml(check.head ?? '-')}</code>; change points by E-divisive means and Student's t-test, p &lt; ${options.maxPValue} over all metrics, at least ${options.minSegment} runs on each side; a regression needs ${(100 * options.minMagnitude).toFixed(0)}%; metrics spread over ${(100 * options.noiseLimit).toFixed(0)}% are not gated</p>`,
    decision,
    '</header>',
    ...metrics.map((m) => metricSection(check, m, entries)),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
