import { describe, expect, it } from 'vitest';
import { compareRuns } from './baseline-compare.ts';
import { parseBudgets } from './budget-parser.ts';
import { evaluateBudgets } from './evaluate-budgets.ts';
import { formatGateMarkdown } from './gate-markdown.ts';
import type { GateResult } from './gate-result.ts';
import { formatGateText } from './gate-text.ts';
import { metricFromTrials, runOf, scenario } from './synthetic-run.fixture.ts';

const BASE = [1e6, 1.01e6, 0.99e6, 1.02e6, 0.98e6];

function result(candidateP50s: readonly number[], budgetLines: readonly string[]): GateResult {
  const run = runOf([
    scenario('s', {
      metrics: { 'a.b': metricFromTrials(candidateP50s), short: metricFromTrials([1e6, 1e6]) },
      values: { 'x|y': { value: 3, unit: 'x' } },
    }),
  ]);
  const baseline = runOf([
    scenario('s', { metrics: { 'a.b': metricFromTrials(BASE), short: metricFromTrials([1e6, 1e6]) } }),
  ]);
  const budgets = evaluateBudgets(run, parseBudgets(budgetLines.join('\n'), 'budget.txt')).results;
  return {
    runDir: 'reports/r1',
    budgetFile: 'budget.txt',
    baselineDir: 'reports/base',
    budgets,
    baseline: compareRuns(run, baseline),
    notes: ['the candidate run is interrupted'],
  };
}

/** Rows of the Markdown table that follows `heading`, split into cells (escaped pipes kept inside cells). */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.slice(markdown.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(2, -2)
        .split(/(?<!\\)\| /)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe('formatGateMarkdown', () => {
  it('has a failing headline, a budget table and a comparison table with ratio, interval and verdict', () => {
    const md = formatGateMarkdown(
      result(
        BASE.map((x) => x * 1.3),
        ['s.a.b.p99 < 1ms', 's.a.b.p50 < 1s', 's.value.x > 1'],
      ),
    );
    expect(md.split('\n')[0]).toBe('## rpb gate: ❌ FAILED (1 budget failed, 1 budget missing, 4 regressions)');
    expect(md).toContain('- the candidate run is interrupted');
    const budgets = tableAfter(md, '### Budgets');
    expect(budgets[0]).toEqual(['budget', 'actual', 'result', 'detail']);
    expect(md).toContain('| budget | actual | result | detail |\n|---|---|---|---|\n');
    expect(budgets.slice(2).map((r) => r[2])).toEqual(['❌ **fail**', '✅ pass', '❌ **missing**']);
    expect(budgets[2][3]).toBe('3.9 ms is not &lt; 1ms');
    const comparisons = tableAfter(md, '### Baseline comparison');
    expect(comparisons[0]).toEqual([
      'scenario',
      'metric',
      'stat',
      'baseline (median)',
      'candidate (median)',
      'ratio',
      'best runs',
      '95% CI (family-wise)',
      'trials (cand. / base)',
      'verdict',
    ]);
    // Regressions first, then the inconclusive ones (only 2 trials), with their reason.
    const body = comparisons.slice(2);
    expect(body.map((r) => `${r[1]} ${r[2]} ${r[9].split(':')[0]}`)).toEqual([
      '`a.b` p50 ❌ **regression**',
      '`a.b` p90 ❌ **regression**',
      '`a.b` p99 ❌ **regression**',
      '`a.b` p999 ❌ **regression**',
      '`short` p50 ❔ inconclusive',
      '`short` p90 ❔ inconclusive',
      '`short` p99 ❔ inconclusive',
      '`short` p999 ❔ inconclusive',
    ]);
    expect(body[0][3]).toBe('1 ms');
    expect(body[0][5]).toMatch(/^1\.3\d\d$/);
    // One run a side: no best runs to weigh.
    expect(body[0][6]).toBe('—');
    expect(body[0][7]).toMatch(/^\[1\.\d{3}, 1\.\d{3}\]$/);
    expect(body[0][8]).toBe('5 / 5');
    expect(body[4][9]).toContain('at least 3 per side');
    expect(md).toContain('Efron & Tibshirani 1993');
  });

  it("shows the best runs' ratio when several runs per side were compared", () => {
    // Three runs a side; the candidate's runs are 1.2x, 1.3x and 1.5x the baseline's first run.
    const runs = (factors: readonly number[]) =>
      factors.map((f) => runOf([scenario('s', { metrics: { 'a.b': metricFromTrials(BASE.map((x) => x * f)) } })]));
    const r: GateResult = {
      runDir: 'reports/r1',
      budgetFile: null,
      baselineDir: 'reports/base',
      budgets: [],
      baseline: compareRuns(runs([1.3, 1.2, 1.5]), runs([1, 1.1, 1.05])),
      notes: [],
    };
    const body = tableAfter(formatGateMarkdown(r), '### Baseline comparison').slice(2);
    const p50 = body.find((row) => row[2] === 'p50');
    // The lowest run medians: 1.2 over 1.0.
    expect(p50?.[6]).toBe('1.200');
    expect(formatGateText(r)).toMatch(/s +a\.b +p50 +\S+ ms +\S+ ms +\d\.\d{3} +1\.200 +\[/);
  });

  it('escapes pipes in cells so every row has as many cells as the header', () => {
    // A value whose name holds a pipe, listed in the message of a missing budget.
    const md = formatGateMarkdown(result(BASE, ['s.value.nope > 1']));
    expect(md).toContain('values: x\\|y');
    for (const heading of ['### Budgets', '### Baseline comparison']) {
      const rows = tableAfter(md, heading);
      for (const row of rows.slice(2)) expect(row).toHaveLength(rows[0].length);
    }
  });

  it('passes when nothing failed or regressed, inconclusive included', () => {
    const r = result(BASE, ['s.a.b.p50 < 1s']);
    expect(formatGateMarkdown(r).split('\n')[0]).toBe('## rpb gate: ✅ passed');
    expect(formatGateText(r).split('\n').at(-1)).toBe('gate: passed');
  });
});

describe('formatGateText', () => {
  it('lists each budget and comparison and ends with the verdict', () => {
    const text = formatGateText(
      result(
        BASE.map((x) => x * 1.3),
        ['s.a.b.p99 < 1ms'],
      ),
    );
    expect(text).toContain('budgets (budget.txt): 0 pass, 1 fail, 0 missing');
    expect(text).toMatch(/ {2}FAIL {2}s\.a\.b\.p99 < 1ms {2}3\.9 ms is not < 1ms/);
    expect(text).toMatch(/s +a\.b +p99 +3\.000 ms +3\.900 ms +1\.300 +- +\[1\.\d{3}, 1\.\d{3}\] +REGRESSION/);
    expect(text.split('\n').at(-1)).toBe('gate: FAILED (1 budget failed, 4 regressions)');
  });
});
