import type { ScenarioSeries } from '../core/run-summary.ts';
import { groupSeriesByAxes } from './series-groups.ts';

const cell = (v: number): string =>
  Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3).replace(/\.?0+$/, '');

/**
 * A scenario's curves as Markdown tables: series sharing axis labels share one table (x column,
 * one column per series; blank where a series has no point at that x). Long curves are thinned to ~25 rows.
 */
export function renderSeriesMarkdown(series: Readonly<Record<string, ScenarioSeries>>): string {
  return groupSeriesByAxes(series)
    .map((group) => {
      const { xLabel, yLabel } = group[0][1];
      const xs = [...new Set(group.flatMap(([, s]) => s.x.slice(0, s.y.length)))].sort((a, b) => a - b);
      const step = Math.max(1, Math.ceil(xs.length / 25));
      // Keep every x that a short series (the measured points) has, thin only the dense ones.
      const sparse = new Set(group.filter(([, s]) => s.x.length <= 25).flatMap(([, s]) => s.x));
      const shown = xs.filter((x, i) => i % step === 0 || sparse.has(x) || i === xs.length - 1);
      const header = `| ${xLabel} | ${group.map(([name]) => name.replace(/\|/g, '\\|')).join(' | ')} |`;
      const rule = `|${'---:|'.repeat(group.length + 1)}`;
      const rows = shown.map(
        (x) =>
          `| ${cell(x)} | ${group
            .map(([, s]) => {
              const i = s.x.indexOf(x);
              return i >= 0 && i < s.y.length ? cell(s.y[i]) : '';
            })
            .join(' | ')} |`,
      );
      return [`**${yLabel}** by ${xLabel}`, '', header, rule, ...rows].join('\n');
    })
    .join('\n\n');
}
