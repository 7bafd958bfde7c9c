import { formatFigure } from '../../analysis/verdict.ts';
import type { ScenarioPlotData } from '../report-data.ts';
import { escapeHtml } from './escape-html.ts';
import { renderLatencyTable } from './latency-table-html.ts';
import { renderPercentilePlot } from './percentile-plot.ts';
import { renderSeriesPlots } from './series-plot.ts';
import { renderSpeedupBars } from './speedup-bars.ts';
import { renderTimelines } from './timeline-plot.ts';

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

function percentiles(data: ScenarioPlotData): string[] {
  if (data.metrics.length === 0) return [];
  const missing = data.metrics.filter((m) => m.percentiles.length === 0).map((m) => m.name);
  const plot = renderPercentilePlot(
    `${data.report.id}: latency by percentile, all metrics`,
    data.metrics.map((m) => ({ name: m.name, points: m.percentiles })),
  );
  const note =
    missing.length > 0
      ? `<p class="muted">No distribution data for: ${escapeHtml(missing.join(', '))} (see the warnings above).</p>`
      : '';
  return [
    '<h3>Latency by percentile</h3>',
    '<p class="muted">Whole measured phase, warm-up excluded. Hover a point for its value.</p>',
    plot,
    note,
  ];
}

function figures(data: ScenarioPlotData): string[] {
  const entries = Object.entries(data.report.values);
  if (entries.length === 0) return [];
  const items = entries.map(
    ([name, v]) =>
      `<li><b>${escapeHtml(name)}</b>: ${escapeHtml(v.value === null ? '—' : formatFigure(v.value, v.unit))} — ${escapeHtml(v.description)}</li>`,
  );
  return ['<h3>Figures</h3>', `<ul>${items.join('')}</ul>`];
}

/** One scenario: overview, speedup bars, percentile plot, per-second timelines, curves, tables, notes. */
export function renderScenarioSection(data: ScenarioPlotData): string {
  const s = data.report;
  const parts = overview(data);
  const bars = renderSpeedupBars(`${s.id}: claimed and measured speedups`, s.verdicts);
  if (bars !== '') parts.push('<h3>Speedups: claimed (grey) and measured (verdict colour, with interval)</h3>', bars);
  parts.push(...percentiles(data));
  if (data.metrics.length > 0) {
    parts.push(
      '<h3>Latency per second</h3>',
      renderTimelines(
        s.id,
        data.metrics.map((m) => ({ name: m.name, points: m.timeline })),
        s.events ?? [],
      ),
    );
  }
  if (s.series !== undefined && Object.keys(s.series).length > 0)
    parts.push('<h3>Curves</h3>', renderSeriesPlots(s.id, s.series));
  parts.push(
    '<h3>Latency (HDR histograms, warm-up excluded)</h3>',
    renderLatencyTable(data.metrics.map((m) => ({ name: m.name, summary: m.report.summary }))),
  );
  parts.push(...figures(data));
  if (s.notes.length > 0)
    parts.push('<h3>Notes</h3>', `<ul>${s.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  parts.push(
    `<details><summary>Parameters</summary><pre>${escapeHtml(JSON.stringify(s.parameters, null, 2) ?? '{}')}</pre></details>`,
  );
  return `<section class="scenario" id="scenario-${escapeHtml(s.id)}">\n${parts.join('\n')}\n</section>`;
}
