import type { ScenarioSeries } from '../../core/run-summary.ts';
import { groupSeriesByAxes } from '../series-groups.ts';
import { scaleTicks } from './axis-ticks.ts';
import { renderLegend } from './chart-legend.ts';
import { escapeHtml } from './escape-html.ts';
import { renderLineChart } from './line-chart.ts';
import { seriesStyle } from './palette.ts';
import { autoScale } from './plot-scale.ts';

/**
 * A scenario's named curves (e.g. hit rate against cache size). Curves with the same axis labels
 * share a chart, so variants overlay; each chart gets its own legend.
 */
export function renderSeriesPlots(scenarioId: string, series: Readonly<Record<string, ScenarioSeries>>): string {
  return groupSeriesByAxes(series)
    .map((group) => {
      const { xLabel, yLabel } = group[0][1];
      const lines = group.map(([name, s], i) => {
        const n = Math.min(s.x.length, s.y.length);
        const points = Array.from({ length: n }, (_, k) => ({
          x: s.x[k],
          y: s.y[k],
          tip: `${name}: ${xLabel} ${s.x[k]} → ${yLabel} ${s.y[k]}`,
        }));
        return { name, style: seriesStyle(i), points, markers: n <= 200 };
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
