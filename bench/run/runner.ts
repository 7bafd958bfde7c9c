import { Redis } from 'ioredis';
import { parseRedisInfo } from '../../src/monitoring/redis-info.ts';
import type { RedisInfo } from '../../src/monitoring/redis-info.ts';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import { InfraError, InterruptedError, RpbError } from '../errors.ts';
import { captureEnvironment } from '../measure/environment.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import type { ReportFile } from '../report/file-sink.ts';
import { formatHgrm } from '../report/hgrm-writer.ts';
import { formatHlog } from '../report/hlog-writer.ts';
import { formatRunMarkdown } from '../report/run-markdown.ts';
import { toSafeJson } from '../report/json-safe.ts';
import { openTarget } from '../targets/redis-target.ts';
import type { RedisTarget } from '../targets/redis-target.ts';
import { REPO_ROOT } from './market-dataset.ts';
import type { RunParams } from './run-params.ts';
import { SUMMARY_SCHEMA } from './run-summary.ts';
import type { MetricReport, RunSummary, ScenarioReport, TargetReport } from './run-summary.ts';
import type { Scenario, ScenarioOutcome } from './scenario.ts';
import { TOOL_NAME, TOOL_VERSION } from './tool-version.ts';

export interface RunRequest {
  readonly scenarios: readonly Scenario[];
  readonly params: RunParams;
  readonly command: string;
  /** Aborted on Ctrl-C: the running scenario stops and the run writes what it has. */
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
}

const ADMIN_TIMEOUT_MS = 5_000;

function metricFileBase(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '_');
}

/** Histogram files of one scenario: `<scenario>/<metric>.hgrm` and `.hlog`. */
function metricFiles(scenarioId: string, recorders: RecorderSet): { files: ReportFile[]; metrics: Record<string, MetricReport> } {
  const files: ReportFile[] = [];
  const metrics: Record<string, MetricReport> = {};
  recorders.cutAll();
  for (const name of recorders.names()) {
    const recorder = recorders.metric(name);
    const total = recorder.total();
    const base = `${scenarioId}/${metricFileBase(name)}`;
    files.push({ relativePath: `${base}.hgrm`, content: formatHgrm(total, { unit: 'ms' }) });
    files.push({
      relativePath: `${base}.hlog`,
      content: formatHlog({ startTimeMs: recorders.startTimeMs, intervals: recorder.intervals(), tag: metricFileBase(name), comment: `${scenarioId} ${name}, values in ns` }),
    });
    metrics[name] = { unit: 'ns', summary: summarizeHistogram(total), trials: recorder.trialHistograms().map(summarizeHistogram), clamped: recorder.clamped, invalid: recorder.invalid, files: { hgrm: `${base}.hgrm`, hlog: `${base}.hlog` } };
  }
  return { files, metrics };
}

async function readInfo(admin: Redis): Promise<RedisInfo | null> {
  try {
    return parseRedisInfo(await admin.info('everything'));
  } catch {
    // The scenario may have killed Redis on purpose; INFO is then simply unavailable.
    return null;
  }
}

function errorReport(error: unknown): ScenarioReport['error'] {
  if (error instanceof RpbError) return { name: error.name, message: error.message, hint: error.hint ?? null };
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, hint: null };
}

async function runOneScenario(scenario: Scenario, request: RunRequest): Promise<{ report: ScenarioReport; files: ReportFile[]; failure: unknown }> {
  const startedAt = new Date();
  const recorders = new RecorderSet();
  let target: RedisTarget | null = null;
  let admin: Redis | null = null;
  let outcome: ScenarioOutcome | null = null;
  let failure: unknown = null;
  let infoBefore: RedisInfo | null = null;
  let infoAfter: RedisInfo | null = null;
  let targetReport: TargetReport | null = null;
  try {
    request.progress(`${scenario.id}: starting Redis`);
    target = await openTarget({ redisUrl: request.params.redisUrl ?? undefined, configOverrides: scenario.redisConfig });
    admin = new Redis(target.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: ADMIN_TIMEOUT_MS, commandTimeout: ADMIN_TIMEOUT_MS, connectionName: 'rpb-admin' });
    await admin.connect();
    infoBefore = await readInfo(admin);
    targetReport = {
      kind: target.kind,
      redactedUrl: target.redactedUrl,
      redisVersion: String(infoBefore?.server?.redis_version ?? 'unknown'),
      config: target.kind === 'managed' ? target.managed.config : null,
    };
    outcome = await scenario.run({
      params: request.params,
      redisUrl: target.url,
      redactedUrl: target.redactedUrl,
      targetKind: target.kind,
      redisVersion: targetReport.redisVersion,
      admin,
      recorders,
      signal: request.signal,
      progress: (message) => request.progress(`${scenario.id}: ${message}`),
    });
    infoAfter = await readInfo(admin);
  } catch (error) {
    failure = error;
  } finally {
    recorders.stopTicking();
    admin?.disconnect();
    if (target !== null) await target.close();
  }
  const interrupted = request.signal.aborted;
  const { files, metrics } = metricFiles(scenario.id, recorders);
  const finishedAt = new Date();
  const report: ScenarioReport = {
    id: scenario.id,
    description: scenario.description,
    status: interrupted ? 'interrupted' : failure === null ? 'ok' : 'failed',
    error: failure === null ? null : errorReport(failure),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    target: targetReport,
    parameters: outcome?.parameters ?? {},
    metrics,
    values: outcome?.values ?? {},
    trials: outcome?.trials ?? {},
    verdicts: outcome?.verdicts ?? [],
    notes: outcome?.notes ?? [],
    redisInfoBefore: infoBefore,
    redisInfoAfter: infoAfter,
  };
  return { report, files, failure };
}

function summaryFiles(summary: RunSummary): ReportFile[] {
  return [
    { relativePath: 'summary.json', content: `${toSafeJson(summary)}\n` },
    { relativePath: 'report.md', content: formatRunMarkdown(summary) },
  ];
}

/**
 * Runs scenarios one after another, each on its own target, and rewrites summary.json after
 * every scenario: a crash or Ctrl-C loses at most the scenario in progress. A scenario that
 * throws is recorded as failed and the next one still runs; infrastructure failures stop the run.
 */
export async function runScenarios(request: RunRequest): Promise<{ summary: RunSummary; failures: unknown[] }> {
  const environment = await captureEnvironment(REPO_ROOT);
  const startedAt = new Date().toISOString();
  const reports: ScenarioReport[] = [];
  const failures: unknown[] = [];
  const makeSummary = (status: RunSummary['status']): RunSummary => ({
    schema: SUMMARY_SCHEMA,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    status,
    startedAt,
    finishedAt: status === 'running' ? null : new Date().toISOString(),
    command: request.command,
    params: {
      quick: request.params.quick,
      seed: request.params.seed,
      missExtraMs: request.params.missExtraMs,
      redis: request.params.redisUrl === null ? 'managed redis-server per scenario' : 'given by --redis-url / REDIS_URL',
      scenarios: request.scenarios.map((s) => s.id),
    },
    environment,
    scenarios: reports,
  });
  await writeReportFiles(request.params.outDir, summaryFiles(makeSummary('running')));
  for (const scenario of request.scenarios) {
    if (request.signal.aborted) break;
    const { report, files, failure } = await runOneScenario(scenario, request);
    reports.push(report);
    await writeReportFiles(request.params.outDir, files);
    const status = request.signal.aborted ? 'interrupted' : 'running';
    await writeReportFiles(request.params.outDir, summaryFiles(makeSummary(status)));
    if (failure !== null && !request.signal.aborted) {
      failures.push(failure);
      request.progress(`${scenario.id}: failed: ${(failure as Error).message ?? String(failure)}`);
      // The same broken environment would fail every later scenario too.
      if (failure instanceof InfraError) break;
    }
  }
  const finalStatus: RunSummary['status'] = request.signal.aborted ? 'interrupted' : failures.length > 0 ? 'failed' : 'complete';
  const summary = makeSummary(finalStatus);
  await writeReportFiles(request.params.outDir, summaryFiles(summary));
  if (request.signal.aborted) failures.push(new InterruptedError((request.signal.reason as NodeJS.Signals | undefined) ?? 'SIGINT'));
  return { summary, failures };
}
