import { Redis } from 'ioredis';
import { parseRedisInfo } from '../../src/monitoring/redis-info.ts';
import type { RedisInfo } from '../../src/monitoring/redis-info.ts';
import { coverClaims } from '../analysis/claim-coverage.ts';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import { DataFileError, SignalInputError } from '../../src/errors.ts';
import { ConfigError, InfraError, InterruptedError, RpbError } from '../errors.ts';
import { captureEnvironment } from '../measure/environment.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import type { ReportFile } from '../report/file-sink.ts';
import { formatHgrm } from '../report/hgrm-writer.ts';
import { formatHlog } from '../report/hlog-writer.ts';
import { recorderIntervals } from '../report/arrow-input.ts';
import type { IntervalSummary } from '../report/arrow-tables.ts';
import { writeRunFiles } from '../report/run-files.ts';
import { openTarget } from '../targets/redis-target.ts';
import type { RedisTarget } from '../targets/redis-target.ts';
import { REPO_ROOT } from './market-dataset.ts';
import { networkLabel } from './network-label.ts';
import { guardUrlTarget } from './target-guard.ts';
import { guardClusterUrlTarget, standaloneTopology } from '../targets/topology-target.ts';
import { resolveTunables } from '../core/tunables.ts';
import type { ProgressEvent } from './progress-reporter.ts';
import { FaultProxy } from '../faults/fault-proxy.ts';
import type { RunParams } from './run-params.ts';
import { SUMMARY_SCHEMA } from '../core/run-summary.ts';
import type { MetricReport, RunSummary, ScenarioReport, TargetReport } from '../core/run-summary.ts';
import type { Scenario, ScenarioOutcome } from '../core/scenario.ts';
import { TOOL_NAME, TOOL_VERSION } from './tool-version.ts';

export interface RunRequest {
  readonly scenarios: readonly Scenario[];
  readonly params: RunParams;
  readonly command: string;
  /** Aborted on Ctrl-C: the running scenario stops and the run writes what it has. */
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
  /** Structured progress (phase, round, rate, running p99) for the status line; optional. */
  readonly progressEvent?: (event: ProgressEvent) => void;
  /** Ids of every scenario that exists, to tell "not run" from "no scenario yet" in the claims list. */
  readonly knownScenarioIds: readonly string[];
}

const ADMIN_TIMEOUT_MS = 5_000;

function metricFileBase(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '_');
}

/** Histogram files of one scenario: `<scenario>/<metric>.hgrm` and `.hlog`. */
function metricFiles(
  scenarioId: string,
  recorders: RecorderSet,
): { files: ReportFile[]; metrics: Record<string, MetricReport> } {
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
      content: formatHlog({
        startTimeMs: recorders.startTimeMs,
        intervals: recorder.intervals(),
        tag: metricFileBase(name),
        comment: `${scenarioId} ${name}, values in ns`,
      }),
    });
    metrics[name] = {
      unit: 'ns',
      summary: summarizeHistogram(total),
      trials: recorder.trialHistograms().map(summarizeHistogram),
      clamped: recorder.clamped,
      invalid: recorder.invalid,
      files: { hgrm: `${base}.hgrm`, hlog: `${base}.hlog` },
    };
  }
  return { files, metrics };
}

/** The harness's own connection for INFO and set-up; failures become InfraError (exit 3). */
async function connectAdmin(url: string, redactedUrl: string): Promise<Redis> {
  const admin = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: ADMIN_TIMEOUT_MS,
    commandTimeout: ADMIN_TIMEOUT_MS,
    connectionName: 'rpb-admin',
    disableClientInfo: true,
  });
  // A scenario may kill Redis on purpose; reconnection errors are expected, not worth a stack trace.
  admin.on('error', () => {});
  try {
    await admin.connect();
    return admin;
  } catch (error) {
    admin.disconnect();
    throw new InfraError(
      `could not open the harness's connection to ${redactedUrl}: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'check that Redis is still running and reachable',
      },
    );
  }
}

/**
 * Errors of the system under test reaching the runner mean its environment is broken (a data
 * file unreadable, a model file invalid): an infrastructure problem with the path, not a bug.
 */
function harnessError(error: unknown): unknown {
  // A cluster node answers MOVED to a client that is not cluster-aware: the user pointed a standalone run at a cluster.
  if (error instanceof Error && !(error instanceof RpbError) && /^(MOVED|ASK) \d+ /.test(error.message)) {
    return new ConfigError(`the Redis given is a Redis Cluster node (it answered "${error.message}")`, {
      hint: 'add --topology cluster (the URL is then the seed), or point --redis-url at a standalone Redis',
      cause: error,
    });
  }
  if (error instanceof DataFileError)
    return new InfraError(error.message, {
      hint: `check or delete ${error.path}; a missing market data set is regenerated on the next run`,
      cause: error,
    });
  // ioredis gives plain Errors: a Redis that does not answer in time is the environment, not a bug.
  if (
    error instanceof Error &&
    !(error instanceof RpbError) &&
    /Command timed out|Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE/.test(error.message)
  ) {
    return new InfraError(`Redis did not answer: ${error.message}`, {
      hint: 'the machine may be overloaded or Redis went away; run again on a quieter machine',
      cause: error,
    });
  }
  if (error instanceof SignalInputError)
    return new InfraError(`the scenario asked the system under test for something it cannot answer: ${error.message}`, {
      hint: 'the market data set may not match the scenario; delete it to regenerate',
      cause: error,
    });
  return error;
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

async function runOneScenario(
  scenario: Scenario,
  request: RunRequest,
): Promise<{
  report: ScenarioReport;
  files: ReportFile[];
  failure: unknown;
  intervals: Map<string, IntervalSummary[]>;
}> {
  const startedAt = new Date();
  const recorders = new RecorderSet();
  let target: RedisTarget | null = null;
  let admin: Redis | null = null;
  let proxy: FaultProxy | null = null;
  let outcome: ScenarioOutcome | null = null;
  let failure: unknown = null;
  let infoBefore: RedisInfo | null = null;
  let infoAfter: RedisInfo | null = null;
  let targetReport: TargetReport | null = null;
  const targetNotes: string[] = [];
  try {
    const topologyKind = request.params.topology ?? scenario.topologies?.[0] ?? 'standalone';
    const managedWhat =
      topologyKind === 'cluster'
        ? 'a managed Redis Cluster (3 masters + 3 replicas)'
        : topologyKind === 'sentinel'
          ? 'a managed Sentinel deployment (1 master, 2 replicas, 3 sentinels)'
          : 'a managed redis-server';
    const inContainer = request.params.target === 'container';
    request.progress(
      `${scenario.id}: ${inContainer ? 'starting a redis:7.0 container (--target container)' : request.params.redisUrl === null ? `starting ${managedWhat}` : 'connecting to the given Redis'}`,
    );
    target = await openTarget({
      redisUrl: request.params.redisUrl ?? undefined,
      configOverrides: scenario.redisConfig,
      topology: inContainer ? 'standalone' : topologyKind,
      container: inContainer,
    });
    admin = await connectAdmin(target.url, target.redactedUrl);
    if (target.kind === 'url') {
      await (target.topology?.kind === 'cluster'
        ? guardClusterUrlTarget(target.topology, target.redactedUrl)
        : guardUrlTarget(admin, target.redactedUrl));
      if (target.ignoredConfigOverrides.length > 0) {
        targetNotes.push(
          `redis.conf overrides not applied (a Redis the harness did not start is never reconfigured): ${target.ignoredConfigOverrides.join(', ')}`,
        );
      }
    }
    infoBefore = await readInfo(admin);
    // The system under test talks to Redis through the fault proxy when latency is added (the
    // gate's canary); the harness's own admin connection stays direct.
    let sutUrl = target.url;
    if (request.params.addedLatencyMs > 0) {
      const direct = new URL(target.url);
      proxy = await FaultProxy.start({
        upstreamHost: direct.hostname.replace(/^\[(.*)\]$/, '$1'),
        upstreamPort: Number(direct.port || 6379),
        toxics: [{ kind: 'latency', latencyMs: request.params.addedLatencyMs, direction: 'downstream' }],
      });
      const viaProxy = new URL(target.url);
      viaProxy.hostname = proxy.host;
      viaProxy.port = String(proxy.port);
      sutUrl = viaProxy.toString();
      targetNotes.push(
        `every Redis reply to the system under test was delayed ${request.params.addedLatencyMs} ms by the fault proxy (--added-latency-ms)`,
      );
    }
    targetReport = {
      kind: target.kind === 'url' ? 'url' : 'managed',
      redactedUrl: target.redactedUrl,
      redisVersion: String(infoBefore?.server?.redis_version ?? 'unknown'),
      // Verdict conditions must say when every reply was delayed on purpose.
      network:
        proxy === null
          ? networkLabel(target.url)
          : `${networkLabel(target.url)} + ${request.params.addedLatencyMs} ms added per reply (fault proxy)`,
      config: target.kind === 'managed' ? target.managed.config : null,
    };
    outcome = await scenario.run({
      params: request.params,
      redisUrl: sutUrl,
      redactedUrl: target.redactedUrl,
      overrides: resolveTunables(scenario.tunables ?? {}, request.params.overrides),
      targetKind: target.kind === 'url' ? 'url' : 'managed',
      managed: target.kind === 'managed' ? target.managed : null,
      topology: target.topology ?? standaloneTopology(sutUrl),
      redisVersion: targetReport.redisVersion,
      network: targetReport.network,
      admin,
      recorders,
      signal: request.signal,
      progress: (message) => request.progress(`${scenario.id}: ${message}`),
      progressEvent: request.progressEvent ?? (() => {}),
    });
    infoAfter = await readInfo(admin);
  } catch (error) {
    failure = harnessError(error);
  } finally {
    recorders.stopTicking();
    // After the run: a scenario may have changed the deployment's timings (failover scenarios).
    if (target?.topology !== undefined)
      targetNotes.push(
        `topology: ${target.topology.description}; the Redis INFO of this report is the seed node's (${target.redactedUrl})`,
      );
    admin?.disconnect();
    await proxy?.close();
    if (target !== null) {
      try {
        await target.close();
      } catch (error) {
        // Keep the scenario's own failure if it has one; the report is still written.
        failure ??= error;
        targetNotes.push(`closing the target failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
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
    notes: [...(outcome?.notes ?? []), ...targetNotes],
    redisInfoBefore: infoBefore,
    redisInfoAfter: infoAfter,
    ...(outcome?.series !== undefined ? { series: outcome.series } : {}),
    ...(outcome?.events !== undefined ? { events: outcome.events } : {}),
  };
  return { report, files, failure, intervals: recorderIntervals(scenario.id, recorders) };
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
      addedLatencyMs: request.params.addedLatencyMs,
      overrides: request.params.overrides,
      redis:
        request.params.target === 'container'
          ? 'redis:7.0 container per scenario (--target container)'
          : request.params.redisUrl === null
            ? 'managed redis-server per scenario'
            : 'given by --redis-url / REDIS_URL',
      scenarios: request.scenarios.map((s) => s.id),
      shard: request.params.shard ?? null,
      workers: request.params.workers ?? 1,
    },
    environment,
    claims: coverClaims(reports, request.knownScenarioIds),
    scenarios: reports,
  });
  const intervals = new Map<string, IntervalSummary[]>();
  const writeAll = async (summary: RunSummary): Promise<void> => {
    for (const warning of await writeRunFiles(request.params.outDir, summary, intervals))
      request.progress(`report: ${warning}`);
  };
  await writeAll(makeSummary('running'));
  for (const scenario of request.scenarios) {
    if (request.signal.aborted) break;
    const { report, files, failure, intervals: scenarioIntervals } = await runOneScenario(scenario, request);
    reports.push(report);
    for (const [key, value] of scenarioIntervals) intervals.set(key, value);
    await writeReportFiles(request.params.outDir, files);
    await writeAll(makeSummary(request.signal.aborted ? 'interrupted' : 'running'));
    if (failure !== null && !request.signal.aborted) {
      failures.push(failure);
      request.progress(`${scenario.id}: failed: ${(failure as Error).message ?? String(failure)}`);
      // The same broken environment would fail every later scenario too.
      if (failure instanceof InfraError) break;
    }
  }
  const finalStatus: RunSummary['status'] = request.signal.aborted
    ? 'interrupted'
    : failures.length > 0
      ? 'failed'
      : 'complete';
  const summary = makeSummary(finalStatus);
  await writeAll(summary);
  if (request.signal.aborted)
    failures.push(new InterruptedError((request.signal.reason as NodeJS.Signals | undefined) ?? 'SIGINT'));
  return { summary, failures };
}
