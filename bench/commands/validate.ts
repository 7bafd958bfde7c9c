import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { loadRunSummary } from '../gate/run-summary-loader.ts';
import { formatAgreement, verdictAgreement } from '../report/verdict-agreement.ts';
import type { RawRunOptions } from '../run/run-params.ts';
import { DEFAULT_BUDGET_MS, DEFAULT_MAX_BLOCKS, parseBudget } from '../run/trial-budget.ts';
import type { TrialBudget } from '../run/trial-budget.ts';
import { runScenariosCommand } from './run.ts';
import type { ProgressObservers, RunCommandResult } from './run.ts';
import type { RunSummary } from '../core/run-summary.ts';

export interface RawValidateOptions extends RawRunOptions {
  budget?: string;
  repeat?: string;
}

/** `--budget` (default 10 min, 2 with --quick; `none`: one run per scenario). */
export function validateBudget(options: RawValidateOptions): TrialBudget | null {
  const totalMs =
    options.budget === undefined
      ? options.quick === true
        ? DEFAULT_BUDGET_MS.quick
        : DEFAULT_BUDGET_MS.full
      : parseBudget(options.budget);
  return totalMs === null ? null : { totalMs, maxBlocks: DEFAULT_MAX_BLOCKS };
}

export function parseRepeat(text: string | undefined): number {
  if (text === undefined) return 1;
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 20) return Number(text);
  throw new ConfigError(`--repeat ${JSON.stringify(text)}: expected a whole number of runs from 1 to 20`, {
    hint: 'e.g. --repeat 2 runs the validation twice back to back and prints how far the verdicts agree',
  });
}

function timestampFolder(now: Date): string {
  return `reports/${now
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z')}`;
}

/** Writes agreement.md and agreement.json beside the runs; returns the table for the terminal. */
async function writeAgreement(
  outDir: string,
  summaries: readonly RunSummary[],
  labels: readonly string[],
): Promise<string> {
  const agreement = verdictAgreement(summaries);
  const table = formatAgreement(agreement, labels);
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'agreement.md'), `# Verdicts across ${labels.length} runs\n\n${table}\n`);
  await writeFile(
    path.join(outDir, 'agreement.json'),
    `${JSON.stringify(
      {
        runs: labels,
        same: agreement.same,
        flips: agreement.flips,
        changes: agreement.changes,
        claims: agreement.rows.map((r) => ({
          claimId: r.claimId,
          kind: r.kind,
          outcomes: r.verdicts.map((v) =>
            v === null ? null : { outcome: v.outcome, direction: v.direction, measured: v.measured, trials: v.trials },
          ),
        })),
      },
      null,
      2,
    )}\n`,
  );
  return table;
}

/**
 * `rpb validate`: every claim's scenario within the time budget (sequential trials); with `--repeat N`
 * the whole validation N times back to back into <out>/run-1 .. run-N, then each claim's verdict per run
 * and how far they agree (agreement.md, agreement.json).
 */
export async function runValidateCommand(
  ids: readonly string[],
  options: RawValidateOptions,
  command: string,
  observers: ProgressObservers,
): Promise<RunCommandResult> {
  const budget = validateBudget(options);
  const repeat = parseRepeat(options.repeat);
  if (repeat === 1) return runScenariosCommand(ids, options, command, observers, 'registry', budget);
  const outDir = options.out ?? timestampFolder(new Date());
  const results: RunCommandResult[] = [];
  for (let k = 1; k <= repeat; k += 1) {
    observers.message(`validate --repeat ${repeat}: run ${k} of ${repeat} into ${outDir}/run-${k}`);
    const result = await runScenariosCommand(
      ids,
      { ...options, out: path.join(outDir, `run-${k}`) },
      command,
      observers,
      'registry',
      budget,
    );
    results.push(result);
    if (result.summary.status === 'interrupted' || result.summary.status === 'failed') break;
  }
  const labels = results.map((_, i) => `run ${i + 1}`);
  const table = await writeAgreement(
    outDir,
    results.map((r) => r.summary),
    labels,
  );
  const last = results[results.length - 1]!;
  return {
    summary: last.summary,
    output: [last.output, '', `verdicts of the ${results.length} runs (${outDir}/agreement.md):`, table].join('\n'),
    error: results.find((r) => r.error !== null)?.error ?? null,
  };
}

/** `rpb agreement RUN_DIR...`: the verdicts of runs made apart (e.g. --quick against the default), side by side. */
export async function runAgreementCommand(dirs: readonly string[], out: string | undefined): Promise<string> {
  if (dirs.length < 2)
    throw new ConfigError(`rpb agreement needs at least two run folders, got ${dirs.length}`, {
      hint: 'e.g. rpb agreement reports/quick-run reports/full-run',
    });
  const summaries = await Promise.all(dirs.map((dir, i) => loadRunSummary(dir, `run folder ${i + 1}`)));
  const labels = dirs.map((dir) => path.basename(path.resolve(dir)));
  if (out !== undefined) return writeAgreement(out, summaries, labels);
  const agreement = verdictAgreement(summaries);
  return `${formatAgreement(agreement, labels)}`;
}
