import type { PercentilePoint } from '../report-data.ts';
import type { AxisTick } from './axis-ticks.ts';
import { scaleTicks } from './axis-ticks.ts';
import { renderLegend } from './chart-legend.ts';
import { renderLineChart } from './line-chart.ts';
import type { ChartReference } from './line-chart.ts';
import { seriesStyle } from './palette.ts';
import { autoScale, logScale } from './plot-scale.ts';

export interface PercentileSeries {
  readonly name: string;
  readonly points: readonly PercentilePoint[];
}

/** No chart of the report draws more lines than this (docs/reports.md, "index.html"). */
export const MAX_SERIES_PER_CHART = 8;

/** The x axis ends at least at 99% and at most at 99.9999% (1/(1-p) = 10^6). */
const MIN_TAIL = 100;
const MAX_TAIL = 1_000_000;

/** "99.9%" for 1/(1-p) = 1000: as many decimals as the tail needs. */
export function percentileLabel(percentile: number): string {
  const tail = 1 / (1 - percentile / 100);
  const decimals = Number.isFinite(tail) ? Math.min(6, Math.max(0, Math.ceil(Math.log10(tail) - 2 - 1e-9))) : 4;
  return `${percentile.toFixed(decimals)}%`;
}

function percentileTicks(maxTail: number): AxisTick[] {
  const ticks: AxisTick[] = [{ value: 2, label: '50%' }];
  for (let tail = 10; tail <= maxTail * (1 + 1e-9); tail *= 10)
    ticks.push({ value: tail, label: percentileLabel(100 * (1 - 1 / tail)) });
  return ticks;
}

/**
 * HdrHistogram's percentile plot: x is 1/(1-p) on a log scale, so each decade of the tail
 * (90%, 99%, 99.9%, ...) gets the same width; every series overlaid, one legend.
 */
export function renderPercentilePlot(
  title: string,
  series: readonly PercentileSeries[],
  references: readonly ChartReference[] = [],
): string {
  const tails = series.flatMap((s) => s.points.map((p) => p.inverseTail));
  const maxTail = Math.min(MAX_TAIL, Math.max(MIN_TAIL, 10 ** Math.ceil(Math.log10(Math.max(1, ...tails)) - 1e-9)));
  const x = logScale(1, maxTail);
  const y = autoScale([
    ...series.flatMap((s) => s.points.map((p) => p.valueMs)),
    ...references.filter((r) => r.axis === 'y').map((r) => r.value),
  ]);
  const lines = series.map((s, i) => ({
    name: s.name,
    style: seriesStyle(i),
    markers: true,
    // Every other sampled point (5 a decade) draws the same curve at half the weight; a marker with
    // its tooltip at each decade (50%, 90%, 99%, ...) and at the max, not at every point.
    points: s.points
      .filter((_, k) => k % 2 === 0 || k === s.points.length - 1)
      .map((p, k, kept) => ({
        x: p.inverseTail,
        y: p.valueMs,
        tip:
          k % 5 === 0 || k === kept.length - 1
            ? `${s.name}: ${Number(p.percentile.toFixed(4))}% = ${Number(p.valueMs.toPrecision(4))} ms`
            : undefined,
      })),
  }));
  const chart = renderLineChart({
    kind: 'percentiles',
    title,
    x: { scale: x, ticks: percentileTicks(maxTail), label: 'percentile (log scale of 1/(1-p))' },
    y: { scale: y, ticks: scaleTicks(y), label: `latency ms${y.kind === 'log' ? ' (log)' : ''}` },
    lines,
    references,
  });
  return chart + renderLegend(lines.map((l) => ({ name: l.name, style: l.style })));
}
