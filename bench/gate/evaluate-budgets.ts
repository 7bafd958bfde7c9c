import type { RunSummary } from '../core/run-summary.ts';
import { thresholdText } from './budget-ast.ts';
import type { Budget, Comparator } from './budget-ast.ts';
import { resolveBudget } from './budget-resolver.ts';
import { convertToBudgetUnit } from './budget-units.ts';

/**
 * pass / fail: the figure was found and compared. missing: the run lacks the scenario, metric,
 * value or claim (a failure: a budget that checks nothing must not pass silently).
 * invalid: the budget cannot apply to what it names (a unit of the wrong kind): a configuration error.
 */
export type BudgetOutcome = 'pass' | 'fail' | 'missing' | 'invalid';

export interface BudgetResult {
  readonly budget: Budget;
  readonly outcome: BudgetOutcome;
  /** In the budget's unit (the stored unit for a bare number); a word for verdicts and statuses. */
  readonly actual: number | string | null;
  readonly actualUnit: string | null;
  /** Why, in words: the comparison made, or what is missing and what exists instead. */
  readonly message: string;
}

export interface BudgetEvaluation {
  readonly results: readonly BudgetResult[];
  /** One line per invalid budget, naming the line and the fix (for a ConfigError). */
  readonly problems: readonly string[];
}

/** Relative tolerance for == and != after a unit conversion (0.1 ms is not exactly 100000 ns / 1e6). */
const EQUALITY_TOLERANCE = 1e-9;

function compareNumbers(actual: number, comparator: Comparator, threshold: number): boolean {
  const equal = Math.abs(actual - threshold) <= EQUALITY_TOLERANCE * Math.max(Math.abs(actual), Math.abs(threshold));
  switch (comparator) {
    case '<':
      return actual < threshold && !equal;
    case '<=':
      return actual <= threshold || equal;
    case '>':
      return actual > threshold && !equal;
    case '>=':
      return actual >= threshold || equal;
    case '==':
      return equal;
    case '!=':
      return !equal;
  }
}

/** Compact but exact enough to see why a figure near the threshold failed. */
export function formatGateNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

export function formatWithUnit(value: number, unit: string | null): string {
  if (unit === null || unit === '' || unit === 'count') return formatGateNumber(value);
  return unit === 'x' || unit === '%' ? `${formatGateNumber(value)}${unit}` : `${formatGateNumber(value)} ${unit}`;
}

export function evaluateBudget(run: RunSummary, budget: Budget): BudgetResult {
  const resolved = resolveBudget(run, budget);
  const base = { budget, actual: null, actualUnit: null };
  if (resolved.kind === 'missing') return { ...base, outcome: 'missing', message: resolved.message };
  const { threshold, comparator } = budget;
  if (resolved.kind === 'text') {
    // The parser only lets == and != with words reach here.
    if (threshold.kind !== 'text')
      return { ...base, outcome: 'invalid', message: `'${resolved.value}' is a word; compare it with a word` };
    const holds = (resolved.value === threshold.value) === (comparator === '==');
    const message = holds
      ? `${resolved.value} ${comparator} ${threshold.value}`
      : comparator === '=='
        ? `${resolved.value} (expected ${threshold.value})`
        : `${resolved.value}, which the budget excludes`;
    return { ...base, outcome: holds ? 'pass' : 'fail', actual: resolved.value, message };
  }
  if (threshold.kind !== 'number')
    return { ...base, outcome: 'invalid', message: `this budget reads a number; compare it with a number` };
  const converted = convertToBudgetUnit(resolved.quantity, threshold.unit);
  if (!converted.ok) return { ...base, outcome: 'invalid', message: converted.problem };
  const pass = compareNumbers(converted.value, comparator, threshold.value);
  const actualText = formatWithUnit(converted.value, converted.unit);
  const note = resolved.note === null ? '' : ` (${resolved.note})`;
  const message = `${actualText} ${pass ? '' : 'is not '}${comparator} ${thresholdText(threshold)}${note}`;
  return { ...base, outcome: pass ? 'pass' : 'fail', actual: converted.value, actualUnit: converted.unit, message };
}

/** Evaluates every budget against one run; invalid budgets are collected as problems, not thrown. */
export function evaluateBudgets(run: RunSummary, budgets: readonly Budget[]): BudgetEvaluation {
  const results = budgets.map((budget) => evaluateBudget(run, budget));
  const problems = results
    .filter((r) => r.outcome === 'invalid')
    .map((r) => `line ${r.budget.line}: \`${r.budget.text}\`: ${r.message}`);
  return { results, problems };
}
