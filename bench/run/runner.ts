import { coverClaims } from '../analysis/claim-coverage.ts';
import type { RegisteredClaim } from '../core/claim.ts';
import { SUMMARY_SCHEMA } from '../core/run-summary.ts';
import type { RunEnvironment, RunSummary, ScenarioReport } from '../core/run-summary.ts';
import { InfraError, InterruptedError } from '../errors.ts';
import { captureEnvironment } from '../measure/environment.ts';
import type { IntervalSummary } from '../report/arrow-tables.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import { writeRunFiles } from '../report/run-files.ts';
import { REPO_ROOT } from './market-dataset.ts';
import type { Scenario } from './scenario.ts';
import { runOneScenario } from './scenario-run.ts';
import type { ScenarioRunInput } from './scenario-run.ts';
import { TOOL_NAME, TOOL_VERSION } from './tool-version.ts';

export interface RunRequest extends ScenarioRunInput {
  readonly scenarios: readonly Scenario[];
  readonly command: string;
  /** Every claim of the document, in its order (scenarios/claims.ts): the summary lists each, measured or not. */
  readonly claims: readonly RegisteredClaim[];
  /** Ids of every scenario that exists, to tell "not run" from "no scenario yet" in the claims list. */
  readonly knownScenarioIds: readonly string[];
}

/** The run as far as it got: the summary is rewritten from it after every scenario. */
interface RunState {
  readonly environment: RunEnvironment;
  readonly startedAt: string;
  readonly reports: ScenarioReport[];
  readonly intervals: Map<string, IntervalSummary[]>;
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
    },
    environment: state.environment,
    claims: coverClaims(request.claims, state.reports, request.knownScenarioIds),
    scenarios: state.reports,
  };
}

async function writeSummary(request: RunRequest, state: RunState, summary: RunSummary): Promise<void> {
  for (const warning of await writeRunFiles(request.params.outDir, summary, state.intervals))
    request.progress(`report: ${warning}`);
}

/** Runs one scenario, records it and rewrites the summary; returns its failure (null: none or interrupted). */
async function runAndRecord(request: RunRequest, state: RunState, scenario: Scenario): Promise<unknown> {
  const { report, files, failure, intervals } = await runOneScenario(scenario, request);
  state.reports.push(report);
  for (const [key, value] of intervals) state.intervals.set(key, value);
  await writeReportFiles(request.params.outDir, files);
  await writeSummary(request, state, runSummary(request, state, request.signal.aborted ? 'interrupted' : 'running'));
  if (failure === null || request.signal.aborted) return null;
  request.progress(`${scenario.id}: failed: ${(failure as Error).message ?? String(failure)}`);
  return failure;
}

/**
 * Runs scenarios one after another, each on its own target, and rewrites summary.json after
 * every scenario: a crash or Ctrl-C loses at most the scenario in progress. A scenario that
 * throws is recorded as failed and the next one still runs; infrastructure failures stop the run.
 */
export async function runScenarios(request: RunRequest): Promise<{ summary: RunSummary; failures: unknown[] }> {
  const state: RunState = {
    environment: await captureEnvironment(REPO_ROOT),
    startedAt: new Date().toISOString(),
    reports: [],
    intervals: new Map(),
  };
  const failures: unknown[] = [];
  await writeSummary(request, state, runSummary(request, state, 'running'));
  for (const scenario of request.scenarios) {
    if (request.signal.aborted) break;
    const failure = await runAndRecord(request, state, scenario);
    if (failure === null) continue;
    failures.push(failure);
    // The same broken environment would fail every later scenario too.
    if (failure instanceof InfraError) break;
  }
  const finalStatus: RunSummary['status'] = request.signal.aborted
    ? 'interrupted'
    : failures.length > 0
      ? 'failed'
      : 'complete';
  const summary = runSummary(request, state, finalStatus);
  await writeSummary(request, state, summary);
  if (request.signal.aborted)
    failures.push(new InterruptedError((request.signal.reason as NodeJS.Signals | undefined) ?? 'SIGINT'));
  return { summary, failures };
}
