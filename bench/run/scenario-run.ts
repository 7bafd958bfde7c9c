import type { Redis } from 'ioredis';
import type { RedisInfo } from '../../src/monitoring/redis-info.ts';
import type { KeyspaceAudit, ScenarioReport, TargetReport } from '../core/run-summary.ts';
import { resolveTunables } from '../core/tunables.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import { recorderIntervals } from '../report/arrow-input.ts';
import type { IntervalSummary } from '../report/arrow-tables.ts';
import type { ReportFile } from '../report/file-sink.ts';
import type { RedisTarget } from '../targets/redis-target.ts';
import { standaloneTopology } from '../targets/topology-target.ts';
import { errorReport, harnessError } from './harness-error.ts';
import { auditSessionKeyspace } from './keyspace-audit.ts';
import { metricFiles } from './metric-files.ts';
import type { ProgressEvent } from './progress-reporter.ts';
import type { RunParams } from './run-params.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome, TrialPart } from './scenario.ts';
import {
  openSession,
  readInfo,
  releaseSession,
  scenarioTarget,
  systemUnderTestUrl,
  targetReport,
} from './target-session.ts';
import type { TargetSession } from './target-session.ts';

/** What running one scenario needs from the run: its parameters, the abort signal and the observers. */
export interface ScenarioRunInput {
  readonly params: RunParams;
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
  readonly progressEvent?: (event: ProgressEvent) => void;
  /** Which run of the scenario this is under a validate budget (1: the first); later ones go to `<id>/block-<k>/`. */
  readonly blockIndex?: number;
  /** The share of its planned trials this block runs (Scenario.spreadParts); absent: all. */
  readonly part?: TrialPart;
}

export interface ScenarioRunResult {
  readonly report: ScenarioReport;
  readonly files: ReportFile[];
  /** The scenario's failure (null: none); the run decides whether to go on. */
  readonly failure: unknown;
  readonly intervals: Map<string, IntervalSummary[]>;
}

/** What the measured phase produced; every field stays null when a step before it failed. */
interface Measured {
  outcome: ScenarioOutcome | null;
  target: TargetReport | null;
  infoBefore: RedisInfo | null;
  infoAfter: RedisInfo | null;
  /** The TTL audit of the keyspace, taken before the target is released (undefined: no target opened). */
  audit: KeyspaceAudit | undefined;
}

function scenarioContext(
  scenario: Scenario,
  input: ScenarioRunInput,
  opened: { target: RedisTarget; admin: Redis; sutUrl: string; report: TargetReport; recorders: RecorderSet },
): ScenarioContext {
  return {
    params: input.params,
    target: scenarioTarget(opened.target, opened.sutUrl),
    overrides: resolveTunables(scenario.tunables ?? {}, input.params.overrides),
    topology: opened.target.topology ?? standaloneTopology(opened.sutUrl),
    redisVersion: opened.report.redisVersion,
    network: opened.report.network,
    admin: opened.admin,
    recorders: opened.recorders,
    signal: input.signal,
    progress: (message) =>
      input.progress(`${scenario.id}${(input.blockIndex ?? 1) > 1 ? ` (run ${input.blockIndex})` : ''}: ${message}`),
    progressEvent: input.progressEvent ?? (() => {}),
    ...(input.part !== undefined ? { part: input.part } : {}),
  };
}

/** Opens the target, runs the scenario on it and reads INFO before and after, filling `measured` as it goes. */
async function measure(
  scenario: Scenario,
  input: ScenarioRunInput,
  session: TargetSession,
  recorders: RecorderSet,
  measured: Measured,
): Promise<void> {
  const { target, admin } = await openSession(scenario, input.params, input.progress, session);
  measured.infoBefore = await readInfo(admin);
  const sutUrl = await systemUnderTestUrl(target, input.params.addedLatencyMs, session);
  const report = targetReport(target, measured.infoBefore, session.proxy !== null, input.params.addedLatencyMs);
  measured.target = report;
  measured.outcome = await scenario.run(scenarioContext(scenario, input, { target, admin, sutUrl, report, recorders }));
  measured.infoAfter = await readInfo(admin);
}

function scenarioReport(
  scenario: Scenario,
  measured: Measured,
  run: { startedAt: Date; failure: unknown; interrupted: boolean; metrics: ScenarioReport['metrics'] },
  targetNotes: readonly string[],
): ScenarioReport {
  const { outcome } = measured;
  const finishedAt = new Date();
  return {
    id: scenario.id,
    description: scenario.description,
    status: run.interrupted ? 'interrupted' : run.failure === null ? 'ok' : 'failed',
    error: run.failure === null ? null : errorReport(run.failure),
    startedAt: run.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - run.startedAt.getTime(),
    target: measured.target,
    parameters: outcome?.parameters ?? {},
    metrics: run.metrics,
    values: outcome?.values ?? {},
    trials: outcome?.trials ?? {},
    verdicts: outcome?.verdicts ?? [],
    notes: [...(outcome?.notes ?? []), ...targetNotes],
    redisInfoBefore: measured.infoBefore,
    redisInfoAfter: measured.infoAfter,
    ...(outcome?.series !== undefined ? { series: outcome.series } : {}),
    ...(outcome?.events !== undefined ? { events: outcome.events } : {}),
    ...(measured.audit !== undefined ? { keyspaceAudit: measured.audit } : {}),
  };
}

/**
 * Runs one scenario on its own target and always releases the target: a scenario that throws is
 * reported as failed with whatever it recorded, and its histogram files are still written.
 */
export async function runOneScenario(scenario: Scenario, input: ScenarioRunInput): Promise<ScenarioRunResult> {
  const startedAt = new Date();
  const recorders = new RecorderSet();
  const session: TargetSession = { target: null, admin: null, proxy: null, notes: [] };
  const measured: Measured = { outcome: null, target: null, infoBefore: null, infoAfter: null, audit: undefined };
  let failure: unknown = null;
  try {
    await measure(scenario, input, session, recorders, measured);
  } catch (error) {
    failure = harnessError(error);
  } finally {
    recorders.stopTicking();
    measured.audit = await auditSessionKeyspace(session.target, session.admin);
    failure = await releaseSession(session, failure);
  }
  const interrupted = input.signal.aborted;
  const block = input.blockIndex ?? 1;
  const { files, metrics } = metricFiles(block > 1 ? `${scenario.id}/block-${block}` : scenario.id, recorders);
  const report = scenarioReport(scenario, measured, { startedAt, failure, interrupted, metrics }, session.notes);
  return { report, files, failure, intervals: recorderIntervals(scenario.id, recorders) };
}
