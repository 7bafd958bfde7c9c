import type { TimelinePoint } from '../report-data.ts';
import type { ScenarioEvent } from '../../core/run-summary.ts';
import { scaleTicks } from './axis-ticks.ts';
import { renderLegend } from './chart-legend.ts';
import { escapeHtml } from './escape-html.ts';
import { renderLineChart } from './line-chart.ts';
import type { ChartLine } from './line-chart.ts';
import { EVENT_FILL, TIMELINE_STYLES } from './palette.ts';
import { autoScale, linearScale } from './plot-scale.ts';

export interface TimelineSeries {
  readonly name: string;
  readonly points: readonly TimelinePoint[];
}

export const TIMELINE_CHART_SIZE = { width: 400, height: 210 } as const;
/** Above this many intervals the p99 markers (with tooltips) would crowd the line and weigh down the page. */
const MAX_MARKED_POINTS = 8;

function tip(p: TimelinePoint): string {
  const ms = (v: number | null): string => (v === null ? '—' : `${Number(v.toPrecision(3))} ms`);
  return `${p.startSec.toFixed(1)} s: ${p.count} values (${Math.round(p.ratePerSec)}/s), p50 ${ms(p.p50Ms)}, p99 ${ms(p.p99Ms)}, max ${ms(p.maxMs)}`;
}

function caption(series: TimelineSeries): string {
  const seconds = series.points.reduce((sum, p) => sum + p.durationSec, 0);
  const count = series.points.reduce((sum, p) => sum + p.count, 0);
  const peak = Math.max(0, ...series.points.map((p) => p.ratePerSec));
  const rate = seconds > 0 ? `, mean ${Math.round(count / seconds)}/s, peak ${Math.round(peak)}/s` : '';
  return `${escapeHtml(series.name)} <span class="muted">${count} values in ${series.points.length} intervals${rate}</span>`;
}

/** One chart: p50, p99 and max per interval (about a second), fault windows shaded. */
export function renderTimelineChart(
  title: string,
  series: TimelineSeries,
  events: readonly ScenarioEvent[] = [],
): string {
  const mid = (p: TimelinePoint): number => p.startSec + p.durationSec / 2;
  const lines: ChartLine[] = [
    { name: 'max', style: TIMELINE_STYLES.max, points: series.points.map((p) => ({ x: mid(p), y: p.maxMs })) },
    {
      name: 'p99',
      style: TIMELINE_STYLES.p99,
      points: series.points.map((p) => ({ x: mid(p), y: p.p99Ms, tip: tip(p) })),
      markers: series.points.length <= MAX_MARKED_POINTS,
    },
    { name: 'p50', style: TIMELINE_STYLES.p50, points: series.points.map((p) => ({ x: mid(p), y: p.p50Ms })) },
  ];
  const ends = [
    ...series.points.map((p) => p.startSec + p.durationSec),
    ...events.map((e) => Math.max(e.startMs, e.endMs) / 1000),
  ].filter(Number.isFinite);
  const x = linearScale(0, Math.max(1, ...ends));
  const y = autoScale(series.points.flatMap((p) => [p.p50Ms, p.p99Ms, p.maxMs]).filter((v): v is number => v !== null));
  return renderLineChart({
    kind: 'timeline',
    title,
    ...TIMELINE_CHART_SIZE,
    x: { scale: x, ticks: scaleTicks(x, 4), label: 'seconds since measured start' },
    y: { scale: y, ticks: scaleTicks(y, 4), label: `ms${y.kind === 'log' ? ' (log)' : ''}` },
    lines,
    bands: events.map((e) => ({ from: e.startMs / 1000, to: e.endMs / 1000, label: e.label })),
  });
}

/** Small multiples, one chart per metric with per-second data, one shared legend. */
export function renderTimelines(
  scenarioId: string,
  series: readonly TimelineSeries[],
  events: readonly ScenarioEvent[] = [],
): string {
  const withData = series.filter((s) => s.points.length > 0);
  if (withData.length === 0) return '<p class="muted">No per-second data (.hlog) for this scenario.</p>';
  const legend = renderLegend([
    { name: 'p50', style: TIMELINE_STYLES.p50 },
    { name: 'p99', style: TIMELINE_STYLES.p99 },
    { name: 'max', style: TIMELINE_STYLES.max },
    ...(events.length > 0
      ? [{ name: 'fault window', style: { color: EVENT_FILL, dash: '' }, mark: 'area' as const }]
      : []),
  ]);
  const figures = withData.map(
    (s) =>
      `<figure class="small-multiple"><figcaption>${caption(s)}</figcaption>${renderTimelineChart(`${scenarioId} ${s.name}: latency per second`, s, events)}</figure>`,
  );
  return `${legend}<div class="small-multiples">${figures.join('\n')}</div>`;
}
