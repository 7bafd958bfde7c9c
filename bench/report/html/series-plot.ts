import type { ScenarioSeries } from '../../core/run-summary.ts';
import { groupSeriesByAxes } from '../series-groups.ts';
import { scaleTicks } from './axis-ticks.ts';
import { renderLegend } from './chart-legend.ts';
import { escapeHtml } from './escape-html.ts';
import { renderLineChart } from './line-chart.ts';
import { MAX_SERIES_PER_CHART } from './percentile-plot.ts';
import { seriesStyle } from './palette.ts';
import { autoScale } from './plot-scale.ts';

/** Curves longer than this get no per-point markers. */
const MAX_MARKED_POINTS = 30;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A scenario's named curves (e.g. hit rate against cache size). Curves with the same axis labels
 * share a chart, so variants overlay (at most MAX_SERIES_PER_CHART a chart, more make more
 * charts); each chart gets its own legend.
 */
export function renderSeriesPlots(scenarioId: string, series: Readonly<Record<string, ScenarioSeries>>): string {
  return groupSeriesByAxes(series)
    .flatMap((group) => chunks(group, MAX_SERIES_PER_CHART))
    .map((group) => {
      const { xLabel, yLabel } = group[0][1];
      const lines = group.map(([name, s], i) => {
        const n = Math.min(s.x.length, s.y.length);
        // Tooltips (and their markers) only on short curves: on long ones they crowd the line and
        // weigh down the page (the numbers are in summary.json and the report's tables).
        const marked = n <= MAX_MARKED_POINTS;
        const points = Array.from({ length: n }, (_, k) => ({
          x: s.x[k],
          y: s.y[k],
          tip: marked ? `${name}: ${Number(s.x[k].toPrecision(4))} → ${Number(s.y[k].toPrecision(4))}` : undefined,
        }));
        return { name, style: seriesStyle(i), points, markers: marked };
      });
      const x = autoScale(
        lines.flatMap((l) => l.points.map((p) => p.x)),
        { includeZero: false, logAboveRatio: 1000 },
      );
      const y = autoScale(
        lines.flatMap((l) => l.points.map((p) => p.y)),
        { logAboveRatio: Number.POSITIVE_INFINITY },
      );
      const title = `${scenarioId}: ${yLabel} against ${xLabel}`;
      const chart = renderLineChart({
        kind: 'series',
        title,
        x: { scale: x, ticks: scaleTicks(x), label: `${xLabel}${x.kind === 'log' ? ' (log)' : ''}` },
        y: { scale: y, ticks: scaleTicks(y), label: yLabel },
        lines,
      });
      return `<figure><figcaption>${escapeHtml(group.map(([name]) => name).join(', '))}</figcaption>${chart}${renderLegend(lines.map((l) => ({ name: l.name, style: l.style })))}</figure>`;
    })
    .join('\n');
}
