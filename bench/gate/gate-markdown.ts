import type { MetricComparison } from './baseline-compare.ts';
import { formatGateNumber, formatWithUnit } from './evaluate-budgets.ts';
import type { BudgetResult } from './evaluate-budgets.ts';
import { VERDICT_ORDER, gateCounts, gateHeadline, gatePassed } from './gate-result.ts';
import type { GateResult } from './gate-result.ts';
import { ratioCells, regressionRuleText } from './trial-comparison.ts';

/** A table cell: pipes escaped, one line, and HTML-looking text defused (job summaries render HTML). */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return text.includes('`') ? cell(text) : `\`${text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const OUTCOME_MARK: Readonly<Record<BudgetResult['outcome'], string>> = {
  pass: '✅ pass',
  fail: '❌ **fail**',
  missing: '❌ **missing**',
  invalid: '⚠️ invalid',
};

function actualCell(r: BudgetResult): string {
  if (r.actual === null) return '—';
  return typeof r.actual === 'string' ? cell(r.actual) : cell(formatWithUnit(r.actual, r.actualUnit));
}

function budgetSection(result: GateResult): string {
  const c = gateCounts(result);
  const rows = result.budgets.map((r) => [
    code(r.budget.text),
    actualCell(r),
    OUTCOME_MARK[r.outcome],
    cell(r.message),
  ]);
  return [
    `### Budgets${result.budgetFile ? ` (${code(result.budgetFile)})` : ''}`,
    `${c.pass} pass, ${c.fail} fail, ${c.missing} missing.`,
    rows.length === 0 ? '_no budgets_' : table(['budget', 'actual', 'result', 'detail'], rows),
  ].join('\n\n');
}

function ms(ns: number | null): string {
  return ns === null ? '—' : `${formatGateNumber(Number((ns / 1e6).toPrecision(4)))} ms`;
}

const VERDICT_MARK: Readonly<Record<MetricComparison['verdict'], string>> = {
  regression: '❌ **regression**',
  improvement: '🟢 improvement',
  'no change': 'no change',
  inconclusive: '❔ inconclusive',
};

function comparisonRow(c: MetricComparison): string[] {
  const interval = c.low === null || c.high === null ? '—' : `[${c.low.toFixed(3)}, ${c.high.toFixed(3)}]`;
  const trials = `${c.candidateTrials} / ${c.baselineTrials}`;
  const verdict =
    c.verdict === 'inconclusive' && c.ratio === null
      ? `${VERDICT_MARK[c.verdict]}: ${cell(c.reason)}`
      : VERDICT_MARK[c.verdict];
  return [
    cell(c.scenario),
    code(c.metric),
    c.percentile,
    ms(c.baselineMedian),
    ms(c.candidateMedian),
    ...ratioCells(c, '—'),
    interval,
    trials,
    verdict,
  ];
}

function baselineSection(result: GateResult): string {
  const baseline = result.baseline;
  if (baseline === null) return '';
  const c = gateCounts(result).verdicts;
  // Each interval is Bonferroni-widened so that all of them together hold at the overall confidence.
  const pct = Math.round(baseline.options.confidence * 100);
  const sorted = [...baseline.comparisons].sort(
    (a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict),
  );
  const header = [
    'scenario',
    'metric',
    'stat',
    'baseline (median)',
    'candidate (median)',
    'ratio',
    'best runs',
    `${pct}% CI (family-wise)`,
    'trials (cand. / base)',
    'verdict',
  ];
  const parts = [
    `### Baseline comparison${result.baselineDir ? ` (${code(result.baselineDir)})` : ''}`,
    `${c.regression} regression, ${c.improvement} improvement, ${c['no change']} no change, ${c.inconclusive} inconclusive; ` +
      `allowed regression ${baseline.options.maxRegressionPct}%. Ratio = candidate / baseline of the per-trial medians; best runs = the lowest run median of each side, candidate / baseline; ` +
      `a regression fails the gate only when ${regressionRuleText(baseline.options.rule, baseline.options.maxRegressionPct)}.`,
    `Method: ${cell(baseline.method)}, ${baseline.options.resamples} resamples, seed ${baseline.options.seed}.`,
    sorted.length === 0 ? '_nothing to compare_' : table(header, sorted.map(comparisonRow)),
  ];
  if (baseline.notes.length > 0) parts.push(baseline.notes.map((n) => `- ${cell(n)}`).join('\n'));
  return parts.join('\n\n');
}

/** The gate's Markdown summary; fits a GitHub job summary ($GITHUB_STEP_SUMMARY). */
export function formatGateMarkdown(result: GateResult): string {
  const headline = gatePassed(result) ? '✅ passed' : `❌ ${gateHeadline(result)}`;
  const parts = [`## rpb gate: ${headline}`, `Run ${code(result.runDir)}.`];
  if (result.notes.length > 0) parts.push(result.notes.map((n) => `- ${cell(n)}`).join('\n'));
  if (result.budgetFile !== null || result.budgets.length > 0) parts.push(budgetSection(result));
  const baseline = baselineSection(result);
  if (baseline !== '') parts.push(baseline);
  return `${parts.join('\n\n')}\n`;
}
