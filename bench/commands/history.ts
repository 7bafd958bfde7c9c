import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLAIMS } from '../../scenarios/claims.ts';
import { ConfigError, ExitCode } from '../errors.ts';
import type { ExitCodeValue } from '../errors.ts';
import { loadRunSummary } from '../gate/run-summary-loader.ts';
import {
  checkHistory,
  DEFAULT_HISTORY_CHECK_OPTIONS,
  formatHistoryCheck,
  historyCheckMarkdown,
} from '../history/history-check.ts';
import type { HistoryCheckOptions } from '../history/history-check.ts';
import { renderHistoryReport } from '../history/history-report.ts';
import { addEntry, checkCommit, checkTime, HISTORY_SCHEMA, loadEntries, runMetrics } from '../history/history-store.ts';
import type { Better } from '../history/history-store.ts';

type Options = Record<string, string | boolean | undefined>;

function requireStore(options: Options): string {
  const store = options.store;
  if (typeof store !== 'string' || store === '')
    throw new ConfigError('--store is missing', {
      hint: 'give the history folder: `--store DIR` (created by `rpb history add`)',
    });
  return store;
}

/** --commit, else $GITHUB_SHA, else the commit checked out here. */
function commitOf(options: Options): string {
  if (typeof options.commit === 'string') return checkCommit(options.commit);
  const fromCi = process.env.GITHUB_SHA;
  if (fromCi !== undefined && fromCi !== '') return checkCommit(fromCi);
  try {
    return checkCommit(
      execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
  } catch (error) {
    throw new ConfigError('no --commit given, no $GITHUB_SHA, and this folder is not a git checkout', {
      hint: 'give the commit the run measured: `--commit <hash>`',
      cause: error,
    });
  }
}

function claimBetter(claimId: string): Better {
  return CLAIMS.find((c) => c.id === claimId)?.better ?? 'unknown';
}

/** `rpb history add RUN_DIR --store DIR`: files the run's figures under its commit. */
export async function runHistoryAdd(runDir: string, options: Options): Promise<string> {
  const store = requireStore(options);
  const summary = await loadRunSummary(runDir, 'RUN_DIR');
  const commit = commitOf(options);
  const time = checkTime(typeof options.time === 'string' ? options.time : summary.startedAt, '--time');
  const metrics = runMetrics(summary, claimBetter);
  if (Object.keys(metrics).length === 0)
    throw new ConfigError(`${runDir} has no figure to file: no scenario finished with a measurement`, {
      hint: 'file a run in which at least one scenario finished (status ok)',
    });
  const file = await addEntry(store, {
    schema: HISTORY_SCHEMA,
    commit,
    time,
    addedAt: new Date().toISOString(),
    quick: summary.params.quick,
    metrics,
  });
  return `filed ${Object.keys(metrics).length} metrics of ${runDir} under ${commit.slice(0, 12)} (${time}): ${file}`;
}

function numberOption(options: Options, name: string, fallback: number, min: number, max: number): number {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value) || value < min || value > max)
    throw new ConfigError(
      `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} "${String(raw)}" is not a number from ${min} to ${max}`,
      {
        hint: `leave it out for the default (${fallback})`,
      },
    );
  return value;
}

export function historyCheckOptions(options: Options): HistoryCheckOptions {
  const d = DEFAULT_HISTORY_CHECK_OPTIONS;
  return {
    maxPValue: numberOption(options, 'maxP', d.maxPValue, 1e-12, 0.5),
    minSegment: Math.round(numberOption(options, 'minSegment', d.minSegment, 1, 50)),
    noiseLimit: numberOption(options, 'noiseLimit', d.noiseLimit, 0, 10),
    minMagnitude: numberOption(options, 'minMagnitude', d.minMagnitude, 0, 10),
    acceptThrough: typeof options.acceptThrough === 'string' ? checkCommit(options.acceptThrough) : null,
  };
}

async function loadStore(store: string): Promise<Awaited<ReturnType<typeof loadEntries>>> {
  const loaded = await loadEntries(store);
  if (loaded.entries.length === 0)
    throw new ConfigError(`the history store ${store} holds no run`, {
      hint: 'file runs first: `rpb history add RUN_DIR --store DIR --commit <hash>`',
      problems: loaded.skipped,
    });
  return loaded;
}

/** `rpb history report --store DIR --out DIR`: the trend page (index.html); the gate's decision is on it. */
export async function runHistoryReport(options: Options): Promise<string> {
  const store = requireStore(options);
  const out = options.out;
  if (typeof out !== 'string' || out === '')
    throw new ConfigError('--out is missing', { hint: 'give the folder for the trend page: `--out DIR`' });
  const checkOptions = historyCheckOptions(options);
  const { entries, skipped } = await loadStore(store);
  const check = checkHistory(entries, checkOptions);
  const file = path.join(out, 'index.html');
  try {
    await mkdir(out, { recursive: true });
    await writeFile(file, renderHistoryReport(check, entries, checkOptions));
  } catch (error) {
    throw new ConfigError(`cannot write ${file}: ${(error as Error).message}`, {
      hint: '--out must be a folder you can write (it is created when missing)',
      cause: error,
    });
  }
  return [
    `trend report: ${file} (${check.metrics.length} metrics, ${check.runs} runs; gate ${check.regressions.length === 0 ? 'pass' : `FAIL: ${check.regressions.length} regressed at the head`})`,
    ...skipped.map((s) => `skipped ${s}`),
  ].join('\n');
}

/** `rpb history check --store DIR`: change points of every metric; exit 99 on a regression at the head. */
export async function runHistoryCheck(options: Options): Promise<{ output: string; exitCode: ExitCodeValue }> {
  const store = requireStore(options);
  const checkOptions = historyCheckOptions(options);
  const { entries, skipped } = await loadStore(store);
  if (checkOptions.acceptThrough !== null && !entries.some((e) => e.commit === checkOptions.acceptThrough))
    throw new ConfigError(`--accept-through ${checkOptions.acceptThrough} is not a commit of the store`, {
      hint: 'give a commit that `rpb history add` filed (the check lists them)',
    });
  const check = checkHistory(entries, checkOptions);
  if (typeof options.markdown === 'string')
    await writeFile(options.markdown, historyCheckMarkdown(check), { flag: 'a' });
  const text =
    options.json === true
      ? `${JSON.stringify({ schema: 'rpb.history-check/v1', options: checkOptions, skipped, ...check }, null, 2)}\n`
      : [formatHistoryCheck(check, checkOptions), ...skipped.map((s) => `skipped ${s}`)].join('\n');
  return { output: text, exitCode: check.regressions.length > 0 ? ExitCode.gateFailed : ExitCode.ok };
}
