import type { MetricComparison } from './baseline-compare.ts';
import { VERDICT_ORDER, gateCounts, gateHeadline } from './gate-result.ts';
import type { GateResult } from './gate-result.ts';
import { ratioCells } from './trial-comparison.ts';

function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd());
}

function ms(ns: number | null): string {
  return ns === null ? '-' : `${(ns / 1e6).toPrecision(4)} ms`;
}

function comparisonRow(c: MetricComparison): string[] {
  const interval = c.low === null || c.high === null ? '-' : `[${c.low.toFixed(3)}, ${c.high.toFixed(3)}]`;
  const detail = c.ratio === null ? `${c.verdict}: ${c.reason}` : c.verdict === 'regression' ? 'REGRESSION' : c.verdict;
  return [
    c.scenario,
    c.metric,
    c.percentile,
    ms(c.baselineMedian),
    ms(c.candidateMedian),
    ...ratioCells(c, '-'),
    interval,
    detail,
  ];
}

/** What `rpb gate` prints on stdout: each budget, each comparison, then the verdict line. */
export function formatGateText(result: GateResult): string {
  const counts = gateCounts(result);
  const lines: string[] = [];
  for (const note of result.notes) lines.push(`note: ${note}`);
  if (result.budgetFile !== null) {
    lines.push(`budgets (${result.budgetFile}): ${counts.pass} pass, ${counts.fail} fail, ${counts.missing} missing`);
    if (result.budgets.length > 0) {
      lines.push(...columns(result.budgets.map((r) => [r.outcome.toUpperCase(), r.budget.text, r.message])));
    }
  }
  const baseline = result.baseline;
  if (baseline !== null) {
    const v = counts.verdicts;
    lines.push(
      `baseline (${result.baselineDir ?? '?'}): ${v.regression} regression, ${v.improvement} improvement, ${v['no change']} no change, ${v.inconclusive} inconclusive; allowed regression ${baseline.options.maxRegressionPct}%`,
      `  ratio = candidate / baseline of the per-trial medians (best runs: of each side's lowest run median), ${Math.round(baseline.options.confidence * 100)}% interval: ${baseline.method}`,
    );
    const sorted = [...baseline.comparisons].sort(
      (a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict),
    );
    if (sorted.length > 0) {
      lines.push(
        ...columns([
          ['scenario', 'metric', 'stat', 'baseline', 'candidate', 'ratio', 'best runs', 'interval', 'verdict'],
          ...sorted.map(comparisonRow),
        ]),
      );
    }
    for (const note of baseline.notes) lines.push(`  note: ${note}`);
  }
  lines.push(`gate: ${gateHeadline(result)}`);
  return lines.join('\n');
}
