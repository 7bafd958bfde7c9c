import { poolBlockVerdicts, undecidedClaims } from '../analysis/block-verdicts.ts';
import { coverClaims } from '../analysis/claim-coverage.ts';
import type { ClaimDefinition, ClaimVerdict, RegisteredClaim } from '../core/claim.ts';
import { SUMMARY_SCHEMA } from '../core/run-summary.ts';
import type { RunEnvironment, RunSummary, ScenarioBlock, ScenarioReport } from '../core/run-summary.ts';
import { InfraError, InterruptedError } from '../errors.ts';
import { addAudits, auditTotals } from './keyspace-audit.ts';
import { captureEnvironment } from '../measure/environment.ts';
import type { IntervalSummary } from '../report/arrow-tables.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import { toSafeJson } from '../report/json-safe.ts';
import { writeRunFiles } from '../report/run-files.ts';
import { REPO_ROOT } from './market-dataset.ts';
import type { Scenario, TrialPart } from './scenario.ts';
import { runOneScenario } from './scenario-run.ts';
import type { ScenarioRunInput } from './scenario-run.ts';
import { TOOL_NAME, TOOL_VERSION } from './tool-version.ts';
import { firstPassSchedule, formatDuration, nextBlock } from './trial-budget.ts';
import type { ScenarioStanding, TrialBudget } from './trial-budget.ts';

export interface RunRequest extends ScenarioRunInput {
  readonly scenarios: readonly Scenario[];
  readonly command: string;
  /** Every claim of the document, in its order (scenarios/claims.ts): the summary lists each, measured or not. */
  readonly claims: readonly RegisteredClaim[];
  /** Ids of every scenario that exists, to tell "not run" from "no scenario yet" in the claims list. */
  readonly knownScenarioIds: readonly string[];
  /** `rpb validate --budget`: sequential blocks within a time budget; absent or null: one run per scenario. */
  readonly budget?: TrialBudget | null;
}

/** The run as far as it got: the summary is rewritten from it after every scenario. */
interface RunState {
  readonly environment: RunEnvironment;
  readonly startedAt: string;
  readonly startedMs: number;
  readonly reports: ScenarioReport[];
  readonly intervals: Map<string, IntervalSummary[]>;
  /** Each scenario's verdicts per block, in block order: pooled into its report's verdicts. */
  readonly blockVerdicts: Map<string, ClaimVerdict[][]>;
  /** Scenarios left out, with why (the budget would run out before them). */
  readonly notRun: Map<string, string>;
}

function redisDescription(params: RunRequest['params']): string {
  if (params.target === 'container') return 'redis:7.0 container per scenario (--target container)';
  return params.redisUrl === null ? 'managed redis-server per scenario' : 'given by --redis-url / REDIS_URL';
}

function runSummary(request: RunRequest, state: RunState, status: RunSummary['status']): RunSummary {
  const { params } = request;
  return {
    schema: SUMMARY_SCHEMA,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    status,
    startedAt: state.startedAt,
    finishedAt: status === 'running' ? null : new Date().toISOString(),
    command: request.command,
    params: {
      quick: params.quick,
      seed: params.seed,
      missExtraMs: params.missExtraMs,
      addedLatencyMs: params.addedLatencyMs,
      overrides: params.overrides,
      redis: redisDescription(params),
      scenarios: request.scenarios.map((s) => s.id),
      shard: params.shard ?? null,
      workers: params.workers ?? 1,
      confidence: params.confidence,
      thorough: params.thorough,
      ...(request.budget !== undefined ? { budgetMs: request.budget?.totalMs ?? null } : {}),
    },
    environment: state.environment,
    claims: coverClaims(request.claims, state.reports, request.knownScenarioIds, state.notRun),
    scenarios: state.reports,
    keyspaceAudit: auditTotals(state.reports),
  };
}

/**
 * Between scenarios only summary.json (the raw data: a crash or Ctrl-C still leaves every finished
 * scenario, and `rpb report` renders it); the report (report.md, index.html, Arrow tables) once the
 * run ends. Rendering it after every scenario re-read every .hlog so far each time: about 8 s of a
 * 2-minute --quick validation spent on pages nobody reads mid-run.
 */
async function writeSummary(
  request: RunRequest,
  state: RunState,
  summary: RunSummary,
  stage: 'progress' | 'final' = 'progress',
): Promise<void> {
  if (stage === 'progress') {
    await writeReportFiles(request.params.outDir, [
      { relativePath: 'summary.json', content: `${toSafeJson(summary)}\n` },
    ]);
    return;
  }
  for (const warning of await writeRunFiles(request.params.outDir, summary, state.intervals))
    request.progress(`report: ${warning}`);
}

function claimDefinitions(claims: readonly RegisteredClaim[]): Map<string, ClaimDefinition> {
  return new Map(claims.map((c) => [c.id, c]));
}

function blockEntry(report: ScenarioReport, index: number, part?: TrialPart): ScenarioBlock {
  return {
    index,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    status: report.status,
    ...(part !== undefined ? { part } : {}),
  };
}

/** A later block of a scenario folded into its report: durations added, verdicts judged on all blocks' trials. */
function withBlock(
  first: ScenarioReport,
  block: ScenarioReport,
  index: number,
  verdicts: ClaimVerdict[],
  part?: TrialPart,
): ScenarioReport {
  const blocks = first.blocks ?? [blockEntry(first, 1)];
  const trials: Record<string, number[]> = Object.fromEntries(
    Object.entries(first.trials).map(([k, v]) => [k, [...v]]),
  );
  for (const [k, v] of Object.entries(block.trials)) trials[k] = [...(trials[k] ?? []), ...v];
  return {
    ...first,
    status: first.status === 'ok' ? block.status : first.status,
    error: first.error ?? block.error,
    finishedAt: block.finishedAt,
    durationMs: first.durationMs + block.durationMs,
    trials,
    verdicts,
    notes: [...first.notes, ...block.notes.map((n) => `run ${index}: ${n}`)],
    blocks: [...blocks, blockEntry(block, index, part)],
    ...(first.keyspaceAudit !== undefined || block.keyspaceAudit !== undefined
      ? { keyspaceAudit: addAudits(first.keyspaceAudit, block.keyspaceAudit) }
      : {}),
  };
}

/**
 * Runs one block of a scenario, records it (block 1: a new report; later blocks: folded into it) and
 * rewrites the summary; returns its failure (null: none or interrupted).
 */
async function runAndRecord(
  request: RunRequest,
  state: RunState,
  scenario: Scenario,
  blockIndex = 1,
  part?: TrialPart,
): Promise<unknown> {
  const { report, files, failure, intervals } = await runOneScenario(scenario, {
    ...request,
    blockIndex,
    ...(part !== undefined ? { part } : {}),
  });
  const blocks = [...(state.blockVerdicts.get(scenario.id) ?? []), [...report.verdicts]];
  state.blockVerdicts.set(scenario.id, blocks);
  const verdicts = poolBlockVerdicts(claimDefinitions(request.claims), blocks, request.params.confidence);
  const at = state.reports.findIndex((r) => r.id === scenario.id);
  if (at < 0) {
    // a spread scenario's first part says so from the start (its later parts are folded in below)
    state.reports.push({
      ...report,
      verdicts,
      ...(part !== undefined ? { blocks: [blockEntry(report, 1, part)] } : {}),
    });
    for (const [key, value] of intervals) state.intervals.set(key, value);
  } else state.reports[at] = withBlock(state.reports[at]!, report, blockIndex, verdicts, part);
  await writeReportFiles(request.params.outDir, files);
  await writeSummary(request, state, runSummary(request, state, request.signal.aborted ? 'interrupted' : 'running'));
  if (failure === null || request.signal.aborted) return null;
  request.progress(`${scenario.id}: failed: ${(failure as Error).message ?? String(failure)}`);
  return failure;
}

function elapsedMs(state: RunState): number {
  return performance.now() - state.startedMs;
}

/** The first pass: every scenario once, unless its expected time no longer fits in the budget. */
function budgetSkip(request: RunRequest, state: RunState, scenario: Scenario, part?: TrialPart): string | null {
  const { budget } = request;
  if (part !== undefined && part.index > 1) {
    const first = state.reports.find((r) => r.id === scenario.id);
    if (first === undefined) return state.notRun.get(scenario.id) ?? 'its first part did not run';
    if (first.status !== 'ok') return `its part 1 ended ${first.status}`;
  }
  if (budget === undefined || budget === null || scenario.expectedMs === undefined) return null;
  const expected = expectedBlockMs(request, scenario, part);
  const left = budget.totalMs - elapsedMs(state);
  if (expected <= left) return null;
  return `the --budget of ${formatDuration(budget.totalMs)} had ${formatDuration(left)} left and it takes about ${formatDuration(expected)}; run it alone (\`rpb validate ${scenario.id}\`) or give a larger --budget`;
}

/** A scenario's expected time (Scenario.expectedMs), its share for one part of its trials. */
function expectedBlockMs(request: RunRequest, scenario: Scenario, part?: TrialPart): number {
  if (scenario.expectedMs === undefined) return 0;
  const whole = request.params.quick ? scenario.expectedMs.quick : scenario.expectedMs.full;
  return part === undefined ? whole : whole / part.of;
}

/** How many parts a scenario's trials are spread over in this run: only under a budget (`rpb validate`). */
function partsOf(request: RunRequest, scenario: Scenario): number {
  if (request.budget === undefined || request.budget === null || scenario.spreadParts === undefined) return 1;
  return request.params.quick ? scenario.spreadParts.quick : scenario.spreadParts.full;
}

/**
 * With a budget, the cheapest scenarios first (expected time, unknown last), so that a budget too small
 * for all of them still settles as many claims as it can; without one, the order asked for.
 */
function firstPassOrder(request: RunRequest): Scenario[] {
  if (request.budget === undefined || request.budget === null) return [...request.scenarios];
  const expected = (s: Scenario): number =>
    s.expectedMs === undefined
      ? Number.POSITIVE_INFINITY
      : request.params.quick
        ? s.expectedMs.quick
        : s.expectedMs.full;
  return [...request.scenarios].sort((a, b) => expected(a) - expected(b));
}

function standings(request: RunRequest, state: RunState): ScenarioStanding[] {
  return state.reports.map((report) => {
    const blocks = report.blocks ?? [{ durationMs: report.durationMs, status: report.status }];
    const last = blocks[blocks.length - 1]!;
    return {
      id: report.id,
      blocks: blocks.length,
      lastBlockMs: last.durationMs,
      undecided: undecidedClaims(report.verdicts, blocks.length).length,
      failed: report.status !== 'ok',
    };
  });
}

/** One progress line between blocks: claims decided so far, time used, what is left to settle. */
function budgetProgress(
  request: RunRequest,
  state: RunState,
  budget: TrialBudget,
  pending: readonly { readonly scenario: Scenario; readonly part?: TrialPart }[],
): void {
  const verdicts = state.reports.flatMap((r) => r.verdicts);
  const open = undecidedClaims(verdicts);
  const expected = pending.reduce((sum, b) => sum + expectedBlockMs(request, b.scenario, b.part), 0);
  const left = budget.totalMs - elapsedMs(state);
  const eta = Math.min(Math.max(left, 0), open.length > 0 ? left : expected);
  const openText = open
    .slice(0, 6)
    .map((v) => `${v.claimId} (${v.trials} trials)`)
    .join(', ');
  request.progress(
    `budget: ${verdicts.length - open.length} of ${verdicts.length} claims decided so far${open.length > 0 ? `; open: ${openText}${open.length > 6 ? `, +${open.length - 6} more` : ''}` : ''}; ${formatDuration(elapsedMs(state))} of ${formatDuration(budget.totalMs)} used, ETA <= ${formatDuration(eta)}`,
  );
}

/**
 * What a budgeted run still spends after its last block and before its budget's clock: the final
 * report (about 2 s for a whole --quick validation on the 2-core machine of docs/results) and the
 * command's start (about 2.5 s of Node and TypeScript loading). A later block must leave room for
 * them, so that the command itself ends within --budget (the harness's margin, rounded up).
 */
export const BUDGET_FINISH_RESERVE_MS = 5_000;

/** The sequential pass: more blocks for the scenarios with undecided claims while the budget allows. */
async function runMoreBlocks(request: RunRequest, state: RunState, failures: unknown[]): Promise<void> {
  const { budget } = request;
  if (budget === undefined || budget === null) return;
  while (!request.signal.aborted) {
    budgetProgress(request, state, budget, []);
    const id = nextBlock(
      standings(request, state),
      budget.totalMs - elapsedMs(state) - BUDGET_FINISH_RESERVE_MS,
      budget.maxBlocks,
    );
    if (id === null) return;
    const scenario = request.scenarios.find((s) => s.id === id)!;
    const blockIndex = (state.reports.find((r) => r.id === id)?.blocks?.length ?? 1) + 1;
    // a spread scenario's later blocks stay one part long, so that the time its last block took holds
    const parts = partsOf(request, scenario);
    const part = parts > 1 ? { index: ((blockIndex - 1) % parts) + 1, of: parts } : undefined;
    const failure = await runAndRecord(request, state, scenario, blockIndex, part);
    if (failure === null) continue;
    failures.push(failure);
    if (failure instanceof InfraError) return;
  }
}

/**
 * Runs scenarios one after another, each on its own target, and rewrites summary.json after
 * every scenario: a crash or Ctrl-C loses at most the scenario in progress. A scenario that
 * throws is recorded as failed and the next one still runs; infrastructure failures stop the run.
 * With a budget (`rpb validate`), scenarios whose claims are still undecided then run again
 * (sequential trials) until each claim is decided or the budget is spent.
 */
export async function runScenarios(request: RunRequest): Promise<{ summary: RunSummary; failures: unknown[] }> {
  const state: RunState = {
    environment: await captureEnvironment(REPO_ROOT),
    startedAt: new Date().toISOString(),
    startedMs: performance.now(),
    reports: [],
    intervals: new Map(),
    blockVerdicts: new Map(),
    notRun: new Map(),
  };
  const failures: unknown[] = [];
  let infraFailure = false;
  await writeSummary(request, state, runSummary(request, state, 'running'));
  const order = firstPassOrder(request);
  const byId = new Map(order.map((s) => [s.id, s] as const));
  const schedule = firstPassSchedule(
    order.map((s) => s.id),
    (id) => partsOf(request, byId.get(id)!),
  ).map((b) => ({ scenario: byId.get(b.id)!, ...(b.part !== undefined ? { part: b.part } : {}) }));
  for (const [i, { scenario, part }] of schedule.entries()) {
    if (request.signal.aborted) break;
    const skip = budgetSkip(request, state, scenario, part);
    if (skip !== null) {
      if (!state.reports.some((r) => r.id === scenario.id)) state.notRun.set(scenario.id, skip);
      request.progress(
        `${scenario.id}${part !== undefined ? ` (part ${part.index} of ${part.of})` : ''}: not run: ${skip}`,
      );
      continue;
    }
    const earlier = state.reports.find((r) => r.id === scenario.id);
    const blockIndex = earlier === undefined ? 1 : (earlier.blocks?.length ?? 1) + 1;
    const failure = await runAndRecord(request, state, scenario, blockIndex, part);
    if (request.budget) budgetProgress(request, state, request.budget, schedule.slice(i + 1));
    if (failure === null) continue;
    failures.push(failure);
    // The same broken environment would fail every later scenario too.
    if (failure instanceof InfraError) {
      infraFailure = true;
      break;
    }
  }
  if (!infraFailure) await runMoreBlocks(request, state, failures);
  const finalStatus: RunSummary['status'] = request.signal.aborted
    ? 'interrupted'
    : failures.length > 0
      ? 'failed'
      : 'complete';
  const summary = runSummary(request, state, finalStatus);
  await writeSummary(request, state, summary, 'final');
  if (request.signal.aborted)
    failures.push(new InterruptedError((request.signal.reason as NodeJS.Signals | undefined) ?? 'SIGINT'));
  return { summary, failures };
}
