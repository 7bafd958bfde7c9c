import type { BaselineComparison } from './baseline-compare.ts';
import type { BudgetResult } from './evaluate-budgets.ts';
import type { ComparisonVerdict } from './trial-comparison.ts';

/** Everything a gate decided, as plain data for the writers (text, Markdown, JUnit). */
export interface GateResult {
  readonly runDir: string;
  readonly budgetFile: string | null;
  readonly baselineDir: string | null;
  readonly budgets: readonly BudgetResult[];
  readonly baseline: BaselineComparison | null;
  /** Things the reader should know that are not failures (e.g. the run did not complete). */
  readonly notes: readonly string[];
}

export interface GateCounts {
  readonly pass: number;
  readonly fail: number;
  readonly missing: number;
  readonly verdicts: Readonly<Record<ComparisonVerdict, number>>;
}

export function gateCounts(result: GateResult): GateCounts {
  const count = (outcome: BudgetResult['outcome']): number =>
    result.budgets.filter((b) => b.outcome === outcome).length;
  const verdicts: Record<ComparisonVerdict, number> = {
    regression: 0,
    improvement: 0,
    'no change': 0,
    inconclusive: 0,
  };
  for (const c of result.baseline?.comparisons ?? []) verdicts[c.verdict] += 1;
  return { pass: count('pass'), fail: count('fail'), missing: count('missing'), verdicts };
}

/** A gate fails on a failed or missing budget and on a regression; inconclusive never fails it. */
export function gatePassed(result: GateResult): boolean {
  const counts = gateCounts(result);
  return counts.fail === 0 && counts.missing === 0 && counts.verdicts.regression === 0;
}

/** One line: `passed` or `FAILED (…)`, for the terminal and the Markdown heading. */
export function gateHeadline(result: GateResult): string {
  const c = gateCounts(result);
  if (gatePassed(result)) return 'passed';
  const parts = [
    c.fail > 0 ? `${c.fail} budget${c.fail === 1 ? '' : 's'} failed` : '',
    c.missing > 0 ? `${c.missing} budget${c.missing === 1 ? '' : 's'} missing` : '',
    c.verdicts.regression > 0 ? `${c.verdicts.regression} regression${c.verdicts.regression === 1 ? '' : 's'}` : '',
  ].filter((p) => p !== '');
  return `FAILED (${parts.join(', ')})`;
}

/** Verdicts in the order a reader wants them: what failed first. */
export const VERDICT_ORDER: readonly ComparisonVerdict[] = ['regression', 'inconclusive', 'improvement', 'no change'];
