import { formatNumber } from '../../analysis/verdict.ts';
import type { MetricPlotData, ScenarioPlotData } from '../report-data.ts';
import { escapeHtml } from './escape-html.ts';
import { headlineFigure } from './headline.ts';
import { renderLatencyTable } from './latency-table-html.ts';
import { MAX_SERIES_PER_CHART, renderPercentilePlot } from './percentile-plot.ts';
import { renderSeriesPlots } from './series-plot.ts';
import { renderSpeedupBars } from './speedup-bars.ts';
import { renderTimelines } from './timeline-plot.ts';

/** A note longer than this goes under the "more notes" disclosure. */
const SHORT_NOTE_CHARS = 220;
/** Small multiples need this many non-empty intervals (about seconds) to show a course over time. */
const MIN_TIMELINE_INTERVALS = 4;
const MAX_TIMELINES = 3;
/** Percentile panels drawn per scenario (8 metrics each); the latency table lists every metric. */
const MAX_PERCENTILE_PANELS = 1;
/** Above this many figures the table is folded. */
const OPEN_FIGURES = 12;

function overview(data: ScenarioPlotData): string[] {
  const s = data.report;
  const statusClass = s.status === 'ok' ? 'status-ok' : 'status-bad';
  const parts = [
    `<h2>${escapeHtml(s.id)} <span class="status ${statusClass}">${escapeHtml(s.status)}</span></h2>`,
    `<p>${escapeHtml(s.description)}</p>`,
  ];
  if (s.error !== null) {
    parts.push(
      `<p class="error"><b>${escapeHtml(s.error.name)}:</b> ${escapeHtml(s.error.message)}${s.error.hint ? ` — ${escapeHtml(s.error.hint)}` : ''}</p>`,
    );
  }
  const target =
    s.target === null
      ? 'no Redis target'
      : `${s.target.kind} Redis ${s.target.redisVersion} at ${s.target.redactedUrl}`;
  parts.push(
    `<p class="muted">${escapeHtml(target)}; ${escapeHtml((s.durationMs / 1000).toFixed(1))} s from ${escapeHtml(s.startedAt)}.</p>`,
  );
  return parts;
}

/** The text before the first '.', ':' or '/' of a metric name: "step" for "step.encode". */
function metricFamily(name: string): string {
  const cut = name.search(/[.:/]/);
  return cut > 0 ? name.slice(0, cut) : name;
}

/**
 * Metrics packed into panels of at most MAX_SERIES_PER_CHART series: a family of metrics
 * ("step.*", "hit.*") stays together when it fits, a bigger family is split in order.
 */
export function percentilePanels(metrics: readonly MetricPlotData[]): MetricPlotData[][] {
  const families = new Map<string, MetricPlotData[]>();
  for (const m of metrics) families.set(metricFamily(m.name), [...(families.get(metricFamily(m.name)) ?? []), m]);
  const panels: MetricPlotData[][] = [];
  let current: MetricPlotData[] = [];
  for (const family of families.values()) {
    for (let i = 0; i < family.length; i += MAX_SERIES_PER_CHART) {
      const chunk = family.slice(i, i + MAX_SERIES_PER_CHART);
      if (current.length + chunk.length > MAX_SERIES_PER_CHART) {
        panels.push(current);
        current = [];
      }
      current.push(...chunk);
    }
  }
  if (current.length > 0) panels.push(current);
  return panels.filter((p) => p.length > 0);
}

function percentiles(data: ScenarioPlotData): string[] {
  if (data.metrics.length === 0) return [];
  const missing = data.metrics.filter((m) => m.percentiles.length === 0).map((m) => m.name);
  const allPanels = percentilePanels(data.metrics);
  const drawn = allPanels.slice(0, MAX_PERCENTILE_PANELS);
  const undrawn = allPanels
    .slice(MAX_PERCENTILE_PANELS)
    .flat()
    .map((m) => m.name);
  const panels = drawn.map((panel, i) => {
    const title = `${data.report.id}: latency by percentile${allPanels.length > 1 ? `, panel ${i + 1} of ${allPanels.length}` : ''}`;
    const plot = renderPercentilePlot(
      title,
      panel.map((m) => ({ name: m.name, points: m.percentiles })),
    );
    return `<figure><figcaption>${escapeHtml(panel.map((m) => m.name).join(', '))}</figcaption>${plot}</figure>`;
  });
  const note =
    (missing.length > 0
      ? `<p class="muted">No distribution data for: ${escapeHtml(missing.join(', '))} (see the warnings above).</p>`
      : '') +
    (undrawn.length > 0
      ? `<p class="muted">Not drawn (beyond ${MAX_PERCENTILE_PANELS} panels; the latency table and the .hgrm/.hlog files hold them): ${escapeHtml(undrawn.join(', '))}.</p>`
      : '');
  return [
    `<details class="percentiles"><summary>Latency by percentile (${data.metrics.length} metrics${allPanels.length > 1 ? `, ${allPanels.length} panels` : ''}${undrawn.length > 0 ? `, ${drawn.length} drawn` : ''})</summary>`,
    '<p class="muted">Whole measured phase, warm-up excluded. Hover a point for its value.</p>',
    ...panels,
    note,
    '</details>',
  ];
}

/**
 * Per-second small multiples, folded: only metrics with at least MIN_TIMELINE_INTERVALS intervals
 * (two or three points say nothing over time), the MAX_TIMELINES with the most values; the others
 * are named.
 */
function timelines(data: ScenarioPlotData): string[] {
  const worth = data.metrics.filter((m) => m.timeline.filter((p) => p.count > 0).length >= MIN_TIMELINE_INTERVALS);
  const count = (m: MetricPlotData): number => m.timeline.reduce((sum, p) => sum + p.count, 0);
  const shown = new Set([...worth].sort((a, b) => count(b) - count(a)).slice(0, MAX_TIMELINES));
  const picked = data.metrics.filter((m) => shown.has(m));
  const left = data.metrics.filter((m) => !shown.has(m)).map((m) => m.name);
  const leftNote =
    left.length === 0
      ? ''
      : `<p class="muted">Not drawn (fewer than ${MIN_TIMELINE_INTERVALS} intervals with values${worth.length > MAX_TIMELINES ? `, or beyond the ${MAX_TIMELINES} busiest metrics` : ''}): ${escapeHtml(left.join(', '))}; the .hlog files hold them.</p>`;
  const charts =
    picked.length === 0
      ? ''
      : renderTimelines(
          data.report.id,
          picked.map((m) => ({ name: m.name, points: m.timeline })),
          data.report.events ?? [],
        );
  return [
    `<details class="timelines"><summary>Latency per second (${picked.length} small multiples)</summary>`,
    ...(data.metrics.every((m) => m.timeline.length === 0)
      ? ['<p class="muted">No per-second data (.hlog) for this scenario.</p>']
      : [charts, leftNote]),
    '</details>',
  ];
}

function figures(data: ScenarioPlotData): string[] {
  const entries = Object.entries(data.report.values);
  if (entries.length === 0) return [];
  const rows = entries.map(([name, v]) => {
    const value = v.value === null || !Number.isFinite(v.value) ? '—' : formatNumber(v.value);
    return `<tr><td><code>${escapeHtml(name)}</code></td><td class="num">${escapeHtml(value)}</td><td>${escapeHtml(v.unit)}</td><td>${escapeHtml(v.description)}</td></tr>`;
  });
  const table = [
    '<div class="table-scroll"><table class="figures">',
    '<thead><tr><th>figure</th><th>value</th><th>unit</th><th>what it means</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
  ].join('\n');
  return [
    `<details class="figures"${entries.length <= OPEN_FIGURES ? ' open' : ''}><summary>Figures (${entries.length})</summary>`,
    table,
    '</details>',
  ];
}

function notes(data: ScenarioPlotData): string[] {
  const all = data.report.notes;
  if (all.length === 0) return [];
  const short = all.filter((n) => n.length <= SHORT_NOTE_CHARS);
  const long = all.filter((n) => n.length > SHORT_NOTE_CHARS);
  const list = (items: readonly string[]): string =>
    `<ul>${items.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
  const parts: string[] = [];
  if (short.length > 0) parts.push('<h3>Notes</h3>', list(short));
  if (long.length > 0)
    parts.push(
      `<details class="notes"><summary>${short.length > 0 ? 'More notes' : 'Notes'} and conditions (${long.length})</summary>${list(long)}</details>`,
    );
  return parts;
}

/**
 * One scenario: overview, its headline chart (data-headline), then the detail folded by default:
 * percentile panels, per-second small multiples, curves, the latency table, figures, notes.
 */
export function renderScenarioSection(data: ScenarioPlotData): string {
  const s = data.report;
  const parts = overview(data);
  const headline = headlineFigure(data);
  parts.push(headline.html);
  const bars = renderSpeedupBars(`${s.id}: claimed and measured speedups`, s.verdicts);
  if (bars !== '') parts.push('<h3>Speedups: claimed (grey) and measured (verdict colour, with interval)</h3>', bars);
  // Curves the headline drew in full are not drawn twice (the chaos windows from the inject: 40 KB).
  const drawn = new Set(headline.drawnSeries);
  const curves = Object.fromEntries(Object.entries(s.series ?? {}).filter(([name]) => !drawn.has(name)));
  if (Object.keys(curves).length > 0)
    parts.push(
      `<details class="curves"><summary>Curves (${Object.keys(curves).length}${drawn.size > 0 ? `; ${drawn.size} more drawn in the headline` : ''})</summary>${renderSeriesPlots(s.id, curves)}</details>`,
    );
  parts.push(...percentiles(data));
  if (data.metrics.length > 0) parts.push(...timelines(data));
  if (data.metrics.length > 0)
    parts.push(
      `<details class="latency"${data.metrics.length <= OPEN_FIGURES ? ' open' : ''}><summary>Latency table (${data.metrics.length} HDR histograms, warm-up excluded)</summary>`,
      renderLatencyTable(data.metrics.map((m) => ({ name: m.name, summary: m.report.summary }))),
      '</details>',
    );
  parts.push(...figures(data), ...notes(data));
  parts.push(
    `<details><summary>Parameters</summary><pre>${escapeHtml(JSON.stringify(s.parameters, null, 2) ?? '{}')}</pre></details>`,
  );
  return `<section class="scenario" id="scenario-${escapeHtml(s.id)}">\n${parts.join('\n')}\n</section>`;
}
