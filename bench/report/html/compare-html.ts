import type { MetricComparison } from '../../gate/baseline-compare.ts';
import type { PercentilePoint } from '../report-data.ts';
import { escapeHtml } from './escape-html.ts';
import { PAGE_STYLE } from './page-style.ts';
import { renderPercentilePlot } from './percentile-plot.ts';

export interface CompareMetricPlot {
  readonly metric: string;
  readonly a: readonly PercentilePoint[];
  readonly b: readonly PercentilePoint[];
}

export interface ComparePage {
  readonly scenario: string;
  readonly aText: string;
  readonly bText: string;
  readonly orders: readonly string[];
  readonly method: string;
  readonly comparisons: readonly MetricComparison[];
  readonly plots: readonly CompareMetricPlot[];
}

function cell(value: number | null, digits: number): string {
  return value === null ? '—' : value.toFixed(digits);
}

function difference(c: MetricComparison): string {
  if (c.verdict === 'regression') return '<span class="status status-bad">B slower</span>';
  if (c.verdict === 'improvement') return '<span class="status status-ok">B faster</span>';
  return '<span class="muted">not significant</span>';
}

/** compare.html: the ratio table, then each metric's percentile distribution of A and B overlaid. */
export function renderCompareHtml(page: ComparePage): string {
  const rows = page.comparisons.map(
    (c) =>
      `<tr><td>${escapeHtml(c.metric)}</td><td>${c.percentile}</td><td class="num">${cell(c.baselineMedian === null ? null : c.baselineMedian / 1e6, 3)}</td><td class="num">${cell(c.candidateMedian === null ? null : c.candidateMedian / 1e6, 3)}</td><td class="num">${cell(c.ratio, 3)}</td><td class="num">${c.low === null || c.high === null ? '—' : `[${c.low.toFixed(3)}, ${c.high.toFixed(3)}]`}</td><td>${difference(c)}</td></tr>`,
  );
  const plots = page.plots.map((p) =>
    renderPercentilePlot(`${page.scenario} ${p.metric}: A vs B`, [
      { name: `A: ${page.aText || 'defaults'}`, points: p.a },
      { name: `B: ${page.bText || 'defaults'}`, points: p.b },
    ]),
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(`rpb compare ${page.scenario}`)}</title>`,
    `<style>${PAGE_STYLE}</style></head><body><header>`,
    `<h1>Compare ${escapeHtml(page.scenario)}</h1>`,
    `<p>A: <code>${escapeHtml(page.aText || '(defaults)')}</code> · B: <code>${escapeHtml(page.bText || '(defaults)')}</code> · run orders ${escapeHtml(page.orders.join(' '))}</p>`,
    `<p class="muted">${escapeHtml(page.method)}. Significant: the interval of B/A (95% family-wise) excludes 1.</p>`,
    '</header><section><div class="table-scroll"><table><thead><tr><th>metric</th><th>stat</th><th>A median ms</th><th>B median ms</th><th>B/A</th><th>95% interval</th><th>difference</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table></div></section>`,
    `<section><h2>Latency by percentile, A and B overlaid (all runs of a side merged)</h2>${plots.join('')}</section>`,
    '</body></html>',
    '',
  ].join('\n');
}
