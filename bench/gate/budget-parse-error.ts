import { ConfigError } from '../errors.ts';

/** One mistake in a budget file, located by 1-based line and column. */
export interface BudgetDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The offending line as written. */
  readonly source: string;
}

/** `file:line:column: message`, then the line and a caret under the column (tabs kept so it lines up). */
export function formatDiagnostic(d: BudgetDiagnostic): string {
  const pad = d.source
    .slice(0, d.column - 1)
    .replace(/[^\t]/g, ' ')
    .padEnd(d.column - 1);
  return `${d.file}:${d.line}:${d.column}: ${d.message}\n  ${d.source}\n  ${pad}^`;
}

export const BUDGET_GRAMMAR_HINT =
  'one budget per line: <scenario>.<path> <op> <threshold>, e.g. `miss-vs-hit.hit.signal.p99 < 5ms`, ' +
  '`miss-vs-hit.value.stored-value-bytes < 5KB`, `miss-vs-hit.claim.cache.speedup >= 3x`; see docs/ci-gates.md ("Budgets")';

/** Every mistake of a budget file at once, so the user fixes them in one pass. */
export class BudgetParseError extends ConfigError {
  readonly file: string;
  readonly diagnostics: readonly BudgetDiagnostic[];

  constructor(file: string, diagnostics: readonly BudgetDiagnostic[]) {
    const count = diagnostics.length;
    super(`${count} error${count === 1 ? '' : 's'} in budget file ${file}`, {
      hint: BUDGET_GRAMMAR_HINT,
      problems: diagnostics.map(formatDiagnostic),
    });
    this.file = file;
    this.diagnostics = diagnostics;
  }
}
