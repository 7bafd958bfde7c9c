import { auditTotalsLine } from '../run/keyspace-audit.ts';
import { ConfigError } from '../errors.ts';
import type { RpbError } from '../errors.ts';
import { onInterrupt } from '../core/cleanup-registry.ts';
import { resolveRunParams } from '../run/run-params.ts';
import type { RawRunOptions, RunParams } from '../run/run-params.ts';
import { runScenarios } from '../run/runner.ts';
import { tunableProblems } from '../core/tunables.ts';
import type { ProgressEvent } from '../run/progress-reporter.ts';
import type { RunSummary } from '../core/run-summary.ts';
import type { Scenario } from '../run/scenario.ts';
import { formatDuration } from '../run/trial-budget.ts';
import type { TrialBudget } from '../run/trial-budget.ts';
import { formatClaimsText } from '../report/claims-table.ts';
import { networksOf } from '../report/run-markdown.ts';
import { formatScenarioTimes } from '../report/scenario-times.ts';
import { CLAIMS } from '../../scenarios/claims.ts';
import { SCENARIOS, findScenario } from '../../scenarios/registry.ts';

export function selectScenarios(ids: readonly string[]): Scenario[] {
  const unknown = ids.filter((id) => id !== 'all' && findScenario(id) === undefined);
  if (unknown.length > 0) {
    throw new ConfigError(`unknown scenario${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      hint: `known scenarios: ${SCENARIOS.map((s) => s.id).join(', ')} (or \`all\`); see \`rpb list\``,
    });
  }
  if (ids.includes('all')) return [...SCENARIOS];
  return [...new Set(ids)].map((id) => findScenario(id) as Scenario);
}

/** The scenarios that give a verdict for at least one claim: what `rpb validate` runs. */
export function claimScenarioIds(): string[] {
  return SCENARIOS.filter((s) => s.claims.length > 0).map((s) => s.id);
}

export interface RunCommandResult {
  readonly summary: RunSummary;
  readonly output: string;
  /** The first failure, for the CLI to print with its hint. */
  readonly error: RpbError | Error | null;
}

/** run: the verdicts of the scenarios run; validate: every claim of the registry, measured or not. */
export type ClaimTableScope = 'run' | 'registry';

function formatRunOutput(summary: RunSummary, outDir: string, scope: ClaimTableScope): string {
  const rows =
    scope === 'registry'
      ? summary.claims.map((c) => ({ scenario: c.scenario ?? '—', verdict: c.verdict }))
      : summary.scenarios.flatMap((s) => s.verdicts.map((verdict) => ({ scenario: s.id, verdict })));
  const counts = rows.reduce<Record<string, number>>(
    (acc, r) => ({ ...acc, [r.verdict.outcome]: (acc[r.verdict.outcome] ?? 0) + 1 }),
    {},
  );
  const tally = Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return [
    rows.length > 0 ? formatClaimsText(rows) : '(no claim verdicts)',
    '',
    `claims: ${tally || 'none'}; intervals at ${Math.round((summary.params.confidence ?? 0.95) * 100)}% confidence, at least 6 trials per verdict${budgetText(summary)}; ${networksOf(summary)}, ${summary.environment.cpuCount} CPUs, Node ${summary.environment.node}${summary.params.quick ? ', --quick' : ''}${summary.params.missExtraMs > 0 ? `, --miss-extra-ms ${summary.params.missExtraMs} (simulated)` : ''}`,
    ...[auditTotalsLine(summary.keyspaceAudit)].filter((line) => line !== null),
    'scenarios (slowest first; wall time, share of the run):',
    ...formatScenarioTimes(summary.scenarios),
    `report: ${outDir}/index.html (open in a browser), report.md, summary.json, *.arrow${summary.scenarios.some((s) => Object.keys(s.metrics).length > 0) ? ', <scenario>/<metric>.hgrm and .hlog' : ''}`,
  ].join('\n');
}

export function budgetText(summary: RunSummary): string {
  const { budgetMs } = summary.params;
  if (budgetMs === undefined) return '';
  const planned = (s: RunSummary['scenarios'][number]): number => s.blocks?.[0]?.part?.of ?? 1;
  const spread = summary.scenarios.filter((s) => planned(s) > 1);
  const reruns = summary.scenarios.filter((s) => (s.blocks?.length ?? 1) > planned(s));
  const spreadText =
    spread.length === 0
      ? ''
      : `, trials spread over the run: ${spread.map((s) => `${s.id} in ${planned(s)} parts`).join(', ')}`;
  const more =
    reruns.length === 0
      ? ''
      : `, run again for undecided claims: ${reruns.map((s) => `${s.id} +${s.blocks!.length - planned(s)}`).join(', ')}`;
  return budgetMs === null
    ? ', no budget (one run per scenario)'
    : `, budget ${formatDuration(budgetMs)}${spreadText}${more}`;
}

/** How the CLI observes a run: plain messages and structured progress events. */
export interface ProgressObservers {
  readonly message: (message: string) => void;
  readonly event: (event: ProgressEvent) => void;
}

/** `all` and `validate` with --topology run what can run on it; a scenario named explicitly must run on it. */
function fitTopology(
  scenarios: readonly Scenario[],
  topology: RunParams['topology'],
  skipUnfit: boolean,
  progress: (message: string) => void,
): { scenarios: Scenario[]; problems: string[] } {
  if (topology === undefined) return { scenarios: [...scenarios], problems: [] };
  const fits = (s: Scenario): boolean => (s.topologies ?? ['standalone']).includes(topology);
  let kept = [...scenarios];
  if (skipUnfit) {
    const skipped = kept.filter((s) => !fits(s));
    if (skipped.length > 0)
      progress(`--topology ${topology}: skipping ${skipped.map((s) => s.id).join(', ')} (they do not run on it)`);
    kept = kept.filter((s) => fits(s));
  }
  const problems = kept
    .filter((s) => !fits(s))
    .map(
      (s) =>
        `scenario ${s.id} does not run on --topology ${topology} (it supports: ${(s.topologies ?? ['standalone']).join(', ')}); run it without --topology ${topology}, or pick a scenario that supports it (see \`rpb list\`)`,
    );
  return { scenarios: kept, problems };
}

/** The scenarios and the run options, both checked before anything runs and their problems reported together. */
function checkRunCommand(
  ids: readonly string[],
  raw: RawRunOptions,
  scope: ClaimTableScope,
  progress: (message: string) => void,
): { scenarios: Scenario[]; params: RunParams } {
  const problems: string[] = [];
  let scenarios: Scenario[] = [];
  let params: RunParams | null = null;
  try {
    scenarios = selectScenarios(ids);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(`${error.message} (${error.hint})`);
  }
  try {
    params = resolveRunParams(raw, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (params !== null) {
    for (const scenario of scenarios)
      problems.push(...tunableProblems(scenario.id, scenario.tunables ?? {}, params.overrides));
    const fitted = fitTopology(scenarios, params.topology, ids.includes('all') || scope === 'registry', progress);
    scenarios = fitted.scenarios;
    problems.push(...fitted.problems);
  }
  if (problems.length > 0 || params === null) {
    throw new ConfigError(problems.length === 1 ? problems[0] : `${problems.length} problems with the command`, {
      problems: problems.length === 1 ? [] : problems,
      hint: 'see `rpb list` for scenarios and `rpb run --help` for the options',
    });
  }
  return { scenarios, params };
}

function warnUnsplitLoad(scenarios: readonly Scenario[], params: RunParams, progress: (message: string) => void): void {
  const unsplit = scenarios.filter((s) => s.splitsLoad !== true).map((s) => s.id);
  if ((params.shard !== null || params.workers > 1) && unsplit.length > 0) {
    progress(
      `warning: ${unsplit.join(', ')} do${unsplit.length === 1 ? 'es' : ''} not split ${unsplit.length === 1 ? 'its' : 'their'} load: --shard and --workers leave ${unsplit.length === 1 ? 'it' : 'them'} unchanged, so every shard machine runs the full load (a merge then adds N full loads)`,
    );
  }
}

/** `rpb run`: validates everything up front, runs, and returns what the CLI prints and its exit code. */
export async function runScenariosCommand(
  ids: readonly string[],
  raw: RawRunOptions,
  command: string,
  observers: ProgressObservers,
  scope: ClaimTableScope = 'run',
  budget?: TrialBudget | null,
): Promise<RunCommandResult> {
  const progress = observers.message;
  const { scenarios, params } = checkRunCommand(ids, raw, scope, progress);
  warnUnsplitLoad(scenarios, params, progress);
  const controller = new AbortController();
  let pending: Promise<unknown> | null = null;
  const stopListening = onInterrupt(async (signal) => {
    progress(
      `received ${signal}: stopping the current scenario and writing partial results (press Ctrl-C again to force)`,
    );
    controller.abort(signal);
    await pending;
  });
  try {
    const running = runScenarios({
      scenarios,
      params,
      command,
      signal: controller.signal,
      progress,
      progressEvent: observers.event,
      claims: CLAIMS,
      knownScenarioIds: SCENARIOS.map((s) => s.id),
      budget,
    });
    pending = running.catch(() => {});
    const { summary, failures } = await running;
    const first = failures[0];
    return {
      summary,
      output: formatRunOutput(summary, params.outDir, scope),
      error: first === undefined ? null : (first as Error),
    };
  } finally {
    stopListening();
  }
}
