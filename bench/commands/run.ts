import { ConfigError, ExitCode, RpbError } from '../errors.ts';
import type { ExitCodeValue } from '../errors.ts';
import { installSignalHandlers, uninstallSignalHandlers } from '../run/cleanup-registry.ts';
import { resolveRunParams } from '../run/run-params.ts';
import type { RawRunOptions } from '../run/run-params.ts';
import { runScenarios } from '../run/runner.ts';
import type { RunSummary } from '../run/run-summary.ts';
import type { Scenario } from '../run/scenario.ts';
import { formatClaimsText } from '../report/claims-table.ts';
import { coverClaims } from '../analysis/claim-coverage.ts';
import { SCENARIOS, findScenario } from '../../scenarios/registry.ts';

export function selectScenarios(ids: readonly string[]): Scenario[] {
  if (ids.includes('all')) return [...SCENARIOS];
  const unknown = ids.filter((id) => findScenario(id) === undefined);
  if (unknown.length > 0) {
    throw new ConfigError(`unknown scenario${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      hint: `known scenarios: ${SCENARIOS.map((s) => s.id).join(', ')} (or \`all\`); see \`rpb list\``,
    });
  }
  return [...new Set(ids)].map((id) => findScenario(id) as Scenario);
}

/** The scenarios that give a verdict for at least one claim: what `rpb validate` runs. */
export function claimScenarioIds(): string[] {
  return SCENARIOS.filter((s) => s.claims.length > 0).map((s) => s.id);
}

export interface RunCommandResult {
  readonly summary: RunSummary;
  readonly exitCode: ExitCodeValue;
  readonly output: string;
  /** The first failure, for the CLI to print with its hint. */
  readonly error: RpbError | Error | null;
}

/** run: the verdicts of the scenarios run; validate: every claim of the registry, measured or not. */
export type ClaimTableScope = 'run' | 'registry';

function formatRunOutput(summary: RunSummary, outDir: string, scope: ClaimTableScope): string {
  const rows =
    scope === 'registry'
      ? coverClaims(summary.scenarios, SCENARIOS.map((s) => s.id)).map((c) => ({ scenario: c.scenario ?? '—', verdict: c.verdict }))
      : summary.scenarios.flatMap((s) => s.verdicts.map((verdict) => ({ scenario: s.id, verdict })));
  const counts = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.verdict.outcome]: (acc[r.verdict.outcome] ?? 0) + 1 }), {});
  const tally = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
  const statusLines = summary.scenarios.map((s) => `  ${s.id}: ${s.status}${s.error ? ` (${s.error.message})` : ''}`);
  return [
    rows.length > 0 ? formatClaimsText(rows) : '(no claim verdicts)',
    '',
    `claims: ${tally || 'none'}; loopback, ${summary.environment.cpuCount} CPUs, Node ${summary.environment.node}${summary.params.quick ? ', --quick' : ''}${summary.params.missExtraMs > 0 ? `, --miss-extra-ms ${summary.params.missExtraMs} (simulated)` : ''}`,
    'scenarios:',
    ...statusLines,
    `report: ${outDir}/report.md, summary.json, <scenario>/<metric>.hgrm and .hlog`,
  ].join('\n');
}

/** `rpb run`: validates everything up front, runs, and returns what the CLI prints and its exit code. */
export async function runScenariosCommand(ids: readonly string[], raw: RawRunOptions, command: string, progress: (message: string) => void, scope: ClaimTableScope = 'run'): Promise<RunCommandResult> {
  const scenarios = selectScenarios(ids);
  const params = resolveRunParams(raw, process.env);
  const controller = new AbortController();
  let pending: Promise<unknown> | null = null;
  installSignalHandlers({
    onSignal: async (signal) => {
      progress(`received ${signal}: stopping the current scenario and writing partial results (press Ctrl-C again to force)`);
      controller.abort(signal);
      await pending;
    },
  });
  try {
    const running = runScenarios({ scenarios, params, command: `rpb ${command}`, signal: controller.signal, progress });
    pending = running.catch(() => {});
    const { summary, failures } = await running;
    const first = failures[0];
    const exitCode: ExitCodeValue = first === undefined ? ExitCode.ok : first instanceof RpbError ? first.exitCode : ExitCode.internal;
    return { summary, exitCode, output: formatRunOutput(summary, params.outDir, scope), error: first === undefined ? null : (first as Error) };
  } finally {
    uninstallSignalHandlers();
  }
}
