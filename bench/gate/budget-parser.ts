import { COMPARATORS } from './budget-ast.ts';
import type { Budget, BudgetTarget, BudgetThreshold, Comparator, Selector } from './budget-ast.ts';
import { LineScanner, BudgetSyntaxError } from './budget-line-scanner.ts';
import { BudgetParseError } from './budget-parse-error.ts';
import type { BudgetDiagnostic } from './budget-parse-error.ts';
import { classifyPath } from './budget-target.ts';
import type { PlacedSegment } from './budget-target.ts';
import { UNIT_SPELLINGS_TEXT, parseUnit, unitInfo } from './budget-units.ts';

/*
 * Grammar (one budget per line; `#` starts a comment; blank lines are ignored), after k6 thresholds:
 *   budget     = path comparator threshold
 *   path       = segment { "." segment }          first segment: scenario id
 *   segment    = name [ "[" key "=" value { "," key "=" value } "]" ]
 *   comparator = "<" | "<=" | ">" | ">=" | "==" | "!="
 *   threshold  = number [ unit ] | word { " " word } | quoted string
 */

const OPERATORS_TEXT = '<, <=, >, >=, ==, !=';
export const VERDICT_WORDS = ['holds', 'does not hold', 'inconclusive', 'not measured'] as const;
export const STATUS_WORDS = ['ok', 'failed', 'interrupted'] as const;

function parseSelectors(scanner: LineScanner): Selector[] {
  const selectors: Selector[] = [];
  while (scanner.peek() === '[') {
    scanner.position += 1;
    for (;;) {
      scanner.skipSpaces();
      const key = scanner.name() ?? scanner.fail(`expected a selector key, as in [batch=5]`);
      scanner.skipSpaces();
      if (scanner.peek() !== '=') scanner.fail(`expected '=' after the selector key '${key}'`);
      scanner.position += 1;
      scanner.skipSpaces();
      const value = scanner.selectorValue() ?? scanner.fail(`expected a value for the selector key '${key}'`);
      selectors.push({ key, value });
      scanner.skipSpaces();
      if (scanner.peek() === ',') {
        scanner.position += 1;
        continue;
      }
      if (scanner.peek() !== ']') scanner.fail(`expected ',' or ']' to close the selector`);
      scanner.position += 1;
      break;
    }
  }
  return selectors;
}

function parsePath(scanner: LineScanner): PlacedSegment[] {
  const segments: PlacedSegment[] = [];
  for (;;) {
    const position = scanner.position;
    const name = scanner.name();
    if (name === undefined) {
      if (segments.length === 0) scanner.fail(`expected a scenario id at the start of the budget`);
      scanner.fail(scanner.peek() === '.' ? `empty path segment: two dots in a row` : `expected a name after '.'`);
    }
    const selectorPosition = scanner.peek() === '[' ? scanner.position : -1;
    segments.push({ name, selectors: parseSelectors(scanner), position, selectorPosition });
    if (scanner.peek() !== '.') return segments;
    scanner.position += 1;
  }
}

function parseComparator(scanner: LineScanner): Comparator {
  const found = COMPARATORS.find((op) => scanner.text.startsWith(op, scanner.position));
  if (found !== undefined) {
    scanner.position += found.length;
    return found;
  }
  const single = scanner.peek() === '=' ? `; '=' alone is not one, write '=='` : '';
  return scanner.fail(`expected a comparison operator (${OPERATORS_TEXT})${single}`);
}

function parseThreshold(scanner: LineScanner): BudgetThreshold {
  const start = scanner.position;
  const number = scanner.number();
  if (number !== undefined) {
    const afterNumber = scanner.position;
    scanner.skipSpaces();
    const unitPosition = scanner.position;
    const unitText = scanner.atEnd() ? undefined : scanner.unit();
    if (unitText === undefined) {
      scanner.position = afterNumber;
      return { kind: 'number', value: Number(number), unit: null };
    }
    const unit =
      parseUnit(unitText) ?? scanner.fail(`unknown unit '${unitText}'; units: ${UNIT_SPELLINGS_TEXT}`, unitPosition);
    return { kind: 'number', value: Number(number), unit };
  }
  const text = scanner.quoted() ?? scanner.words();
  if (text !== undefined) return { kind: 'text', value: text };
  return scanner.fail(
    `expected a threshold after the operator: a number with an optional unit (5ms, 3x, 10%, 5KB), or a verdict or status word`,
    start,
  );
}

function checkThreshold(
  target: BudgetTarget,
  comparator: Comparator,
  threshold: BudgetThreshold,
  opAt: number,
  valueAt: number,
): void {
  if (target.kind === 'claim-verdict' || target.kind === 'status') {
    const words: readonly string[] = target.kind === 'status' ? STATUS_WORDS : VERDICT_WORDS;
    const what = target.kind === 'status' ? 'a scenario status' : 'a claim verdict';
    const expected = words.map((w) => (w.includes(' ') ? `"${w}"` : w)).join(', ');
    if (comparator !== '==' && comparator !== '!=')
      throw new BudgetSyntaxError(`${what} compares with == or != only`, opAt);
    if (threshold.kind !== 'text' || !words.includes(threshold.value)) {
      const got = threshold.kind === 'text' ? `'${threshold.value}'` : 'a number';
      throw new BudgetSyntaxError(`expected ${what} (${expected}), got ${got}`, valueAt);
    }
    return;
  }
  if (threshold.kind === 'text') {
    throw new BudgetSyntaxError(
      `expected a number with an optional unit (5ms, 3x, 10%, 5KB), got '${threshold.value}'`,
      valueAt,
    );
  }
  // Metric statistics and `failed` have known dimensions, so a wrong unit is caught before any run is read.
  if (target.kind === 'failed' || (target.kind === 'metric' && target.stat === 'count')) {
    if (threshold.unit !== null)
      throw new BudgetSyntaxError(`a count takes a bare number, not ${threshold.unit}`, valueAt);
  } else if (target.kind === 'metric') {
    if (threshold.unit === null)
      throw new BudgetSyntaxError(`a latency needs a unit: ns, us, ms or s (e.g. 5ms)`, valueAt);
    if (unitInfo(threshold.unit).dimension !== 'time') {
      throw new BudgetSyntaxError(`unit ${threshold.unit} does not fit a latency; use ns, us, ms or s`, valueAt);
    }
  }
}

/** Parses one line; null for a blank or comment line. Throws BudgetSyntaxError at the first mistake. */
export function parseBudgetLine(text: string, line: number): Budget | null {
  const scanner = new LineScanner(text);
  scanner.skipSpaces();
  if (scanner.atEnd()) return null;
  const start = scanner.position;
  const segments = parsePath(scanner);
  const target = classifyPath(segments, scanner.position);
  scanner.skipSpaces();
  const opAt = scanner.position;
  const comparator = parseComparator(scanner);
  scanner.skipSpaces();
  const valueAt = scanner.position;
  const threshold = parseThreshold(scanner);
  const end = scanner.position;
  scanner.skipSpaces();
  if (!scanner.atEnd())
    scanner.fail(`unexpected text after the threshold; one budget per line, and a comment starts with #`);
  checkThreshold(target, comparator, threshold, opAt, valueAt);
  const [scenario, ...path] = segments.map(({ name, selectors }) => ({ name, selectors }));
  return { text: text.slice(start, end), line, scenario, path, target, comparator, threshold };
}

export interface ParsedBudgetFile {
  readonly budgets: readonly Budget[];
  readonly diagnostics: readonly BudgetDiagnostic[];
}

/** Parses every line and collects every line's mistake, so the user sees them all at once. */
export function parseBudgetFile(content: string, file: string): ParsedBudgetFile {
  const budgets: Budget[] = [];
  const diagnostics: BudgetDiagnostic[] = [];
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((source, index) => {
    try {
      const budget = parseBudgetLine(source, index + 1);
      if (budget !== null) budgets.push(budget);
    } catch (error) {
      if (!(error instanceof BudgetSyntaxError)) throw error;
      diagnostics.push({
        file,
        line: index + 1,
        column: error.position + 1,
        message: error.message,
        source: source.trimEnd(),
      });
    }
  });
  return { budgets, diagnostics };
}

/** The budgets of a file; throws BudgetParseError (a ConfigError) listing every mistake. */
export function parseBudgets(content: string, file = 'budget'): Budget[] {
  const parsed = parseBudgetFile(content, file);
  if (parsed.diagnostics.length > 0) throw new BudgetParseError(file, parsed.diagnostics);
  return [...parsed.budgets];
}
