import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, ExitCode } from '../errors.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import type { ReportFile } from '../report/file-sink.ts';
import type { RunSummary } from '../core/run-summary.ts';
import { compareRuns } from './baseline-compare.ts';
import type { Budget } from './budget-ast.ts';
import { BUDGET_GRAMMAR_HINT } from './budget-parse-error.ts';
import { parseBudgets } from './budget-parser.ts';
import { evaluateBudgets } from './evaluate-budgets.ts';
import { formatGateMarkdown } from './gate-markdown.ts';
import { gatePassed } from './gate-result.ts';
import type { GateResult } from './gate-result.ts';
import { formatGateText } from './gate-text.ts';
import { formatGateJUnit } from './junit-writer.ts';
import { loadRunSummary } from './run-summary-loader.ts';
import { COMPARE_DEFAULTS, resolveCompareOptions } from './trial-comparison.ts';
import type { CompareOptions } from './trial-comparison.ts';

export interface GateOptions {
  /** Budget file; optional when a baseline is given. */
  readonly budgetFile?: string;
  /** Run folder (or its summary.json) to compare against. */
  readonly baselineDir?: string;
  /** Run folder (or its summary.json) under test. */
  readonly runDir: string;
  /**
   * More runs of each side, interleaved with the first in one job in pairs (base PR, PR base,
   * ...): the comparison then resamples whole runs (docs/ci-gates.md, 6 per side; as pairs, the
   * i-th of each side together, with `paired`). Budgets are checked on the first run under test.
   */
  readonly moreRunDirs?: readonly string[];
  readonly moreBaselineDirs?: readonly string[];
  /** Allowed regression in percent (10 = a ratio up to 1.10). */
  readonly maxRegressionPct: number;
  readonly junitPath?: string;
  readonly markdownPath?: string;
  /** Bootstrap settings (resamples, confidence, seed, minTrials); defaults in COMPARE_DEFAULTS. */
  readonly compare?: Partial<Omit<CompareOptions, 'maxRegressionPct'>>;
}

export const GATE_DEFAULTS = { maxRegressionPct: COMPARE_DEFAULTS.maxRegressionPct } as const;

export interface GateCommandResult {
  /** What the CLI prints on stdout. */
  readonly output: string;
  readonly exitCode: typeof ExitCode.ok | typeof ExitCode.gateFailed;
  readonly result: GateResult;
  /** Paths of the JUnit and Markdown files written. */
  readonly written: readonly string[];
}

/** `--max-regression` as typed: `10`, `10%` or `2.5%`. */
export function parseMaxRegression(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value >= 0 && value < 100)) {
    throw new ConfigError(`invalid --max-regression '${text}'`, {
      hint: 'give a percentage in [0, 100), e.g. --max-regression 10%',
    });
  }
  return value;
}

async function loadBudgets(file: string): Promise<Budget[]> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `budget file ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`}`,
      {
        hint: `pass --budget with a text file; ${BUDGET_GRAMMAR_HINT}`,
        cause: error,
      },
    );
  }
  const budgets = parseBudgets(content, file);
  if (budgets.length === 0)
    throw new ConfigError(`budget file ${file} holds no budgets (only blank or comment lines)`, {
      hint: BUDGET_GRAMMAR_HINT,
    });
  return budgets;
}

function runNotes(run: RunSummary, label: string): string[] {
  return run.status === 'complete'
    ? []
    : [`the ${label} run is ${run.status}, not complete: its figures may be partial`];
}

async function writeOutputs(
  result: GateResult,
  junitPath: string | undefined,
  markdownPath: string | undefined,
): Promise<string[]> {
  const targets: { file: string; content: string }[] = [];
  if (junitPath !== undefined) targets.push({ file: junitPath, content: formatGateJUnit(result) });
  if (markdownPath !== undefined) targets.push({ file: markdownPath, content: formatGateMarkdown(result) });
  const written: string[] = [];
  for (const target of targets) {
    const files: ReportFile[] = [{ relativePath: path.basename(target.file), content: target.content }];
    written.push(...(await writeReportFiles(path.dirname(path.resolve(target.file)), files)));
  }
  return written;
}

/**
 * `rpb gate`: checks a run against budgets and, with a baseline, for regressions. Returns the text
 * to print and the exit code (99 on a failed or missing budget or a regression; inconclusive
 * comparisons pass). Throws ConfigError (exit 2) on unreadable inputs or budgets that do not fit.
 */
export async function runGate(options: GateOptions): Promise<GateCommandResult> {
  const compare = resolveCompareOptions({ ...options.compare, maxRegressionPct: options.maxRegressionPct });
  if (options.budgetFile === undefined && options.baselineDir === undefined) {
    throw new ConfigError('nothing to gate on: give a budget file, a baseline, or both', {
      hint: 'rpb gate --budget FILE [--baseline DIR] DIR',
    });
  }
  const budgets = options.budgetFile === undefined ? [] : await loadBudgets(options.budgetFile);
  const run = await loadRunSummary(options.runDir, 'the run folder (DIR)');
  const moreRuns: RunSummary[] = [];
  for (const dir of options.moreRunDirs ?? []) moreRuns.push(await loadRunSummary(dir, 'a run folder (DIR)'));
  const baselineRun =
    options.baselineDir === undefined ? null : await loadRunSummary(options.baselineDir, '--baseline');
  const moreBaselines: RunSummary[] = [];
  for (const dir of options.moreBaselineDirs ?? []) moreBaselines.push(await loadRunSummary(dir, '--baseline'));
  const evaluation = evaluateBudgets(run, budgets);
  if (evaluation.problems.length > 0) {
    throw new ConfigError(
      `${evaluation.problems.length} budget(s) in ${options.budgetFile} do not fit what they measure`,
      {
        problems: evaluation.problems,
        hint: 'give latencies in ns, us, ms or s; sizes in bytes, KB or MB; ratios in x; percentages in %; counts as bare numbers',
      },
    );
  }
  const result: GateResult = {
    runDir: options.runDir,
    budgetFile: options.budgetFile ?? null,
    baselineDir: options.baselineDir ?? null,
    budgets: evaluation.results,
    baseline: baselineRun === null ? null : compareRuns([run, ...moreRuns], [baselineRun, ...moreBaselines], compare),
    notes: [
      ...[run, ...moreRuns].flatMap((r) => runNotes(r, 'candidate')),
      ...(baselineRun === null ? [] : [baselineRun, ...moreBaselines].flatMap((r) => runNotes(r, 'baseline'))),
    ],
  };
  const written = await writeOutputs(result, options.junitPath, options.markdownPath);
  const output = [formatGateText(result), ...written.map((file) => `wrote ${file}`)].join('\n');
  return { output, exitCode: gatePassed(result) ? ExitCode.ok : ExitCode.gateFailed, result, written };
}
