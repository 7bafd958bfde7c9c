import type { Histogram } from 'hdr-histogram-js';
import { coverClaims } from '../analysis/claim-coverage.ts';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import { ConfigError } from '../errors.ts';
import { formatShard } from '../load/shard.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import type { RegisteredClaim } from '../core/claim.ts';
import type { MetricReport, RunSummary, ScenarioReport } from '../core/run-summary.ts';
import { intervalKey, summarizeIntervals } from './arrow-tables.ts';
import type { IntervalSummary } from './arrow-tables.ts';
import type { ReportFile } from './file-sink.ts';
import { formatHgrm } from './hgrm-writer.ts';
import { formatHlog } from './hlog-writer.ts';
import { mergeTimelines, readShardHlog, type ShardHlog } from './merged-timeline.ts';
import { checkShards, type ShardRun } from './shard-check.ts';

export interface MergedRun {
  readonly summary: RunSummary;
  /** Every metric's .hgrm and .hlog. */
  readonly files: readonly ReportFile[];
  readonly intervals: ReadonlyMap<string, readonly IntervalSummary[]>;
  readonly warnings: readonly string[];
}

/** What merging collects across scenarios: the files to write, the interval tables, the warnings. */
interface MergeOutput {
  readonly files: ReportFile[];
  readonly intervals: Map<string, IntervalSummary[]>;
  readonly warnings: string[];
}

/** A scenario's report in one shard run. */
interface ShardScenario {
  readonly run: ShardRun;
  readonly report: ScenarioReport;
}

function metricFileBase(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '_');
}

/** failed if any failed, else interrupted if any was, else `ok`. */
function worstStatus<Ok extends string>(statuses: readonly string[], ok: Ok): 'failed' | 'interrupted' | Ok {
  return statuses.includes('failed') ? 'failed' : statuses.includes('interrupted') ? 'interrupted' : ok;
}

function shardLabel(run: ShardRun): string {
  return `shard ${run.summary.params.shard ? formatShard(run.summary.params.shard) : '?'}`;
}

/** Adds one scenario's metrics over the shards that have them; the rest of the report is kept per shard. */
async function mergeScenario(id: string, runs: readonly ShardRun[], out: MergeOutput): Promise<ScenarioReport> {
  const present = runs
    .map((run) => ({ run, report: run.summary.scenarios.find((s) => s.id === id) }))
    .filter((p): p is ShardScenario => p.report !== undefined);
  for (const run of runs)
    if (!run.summary.scenarios.some((s) => s.id === id))
      out.warnings.push(`${run.dir}: scenario ${id} did not run there`);
  const metricNames = [...new Set(present.flatMap((p) => Object.keys(p.report.metrics)))];
  const metrics: Record<string, MetricReport> = {};
  for (const name of metricNames) metrics[name] = await mergeMetric(id, name, present, out);
  return mergedScenarioReport(id, present, metrics);
}

/** One metric: the shards' .hlog files added on one timeline, written as .hgrm and .hlog. */
async function mergeMetric(
  id: string,
  name: string,
  present: readonly ShardScenario[],
  out: MergeOutput,
): Promise<MetricReport> {
  const { logs, clamped, invalid } = await readMetricLogs(id, name, present, out.warnings);
  const originMs = Math.min(...logs.map((log) => log.startTimeMs));
  const timeline = mergeTimelines(
    originMs,
    logs.map((log) => log.intervals),
  );
  const total: Histogram = createLatencyHistogram();
  for (const log of logs) for (const interval of log.intervals) total.add(interval.histogram);
  const base = `${id}/${metricFileBase(name)}`;
  out.files.push({ relativePath: `${base}.hgrm`, content: formatHgrm(total, { unit: 'ms' }) });
  out.files.push({
    relativePath: `${base}.hlog`,
    content: formatHlog({
      startTimeMs: originMs,
      intervals: timeline,
      tag: metricFileBase(name),
      comment: `${id} ${name}, values in ns, merged from ${logs.length} shard runs`,
    }),
  });
  out.intervals.set(intervalKey(id, name), summarizeIntervals(timeline));
  // Per-trial histograms are not in the files: trials stay per shard (see each shard's summary.json).
  return {
    unit: 'ns',
    summary: summarizeHistogram(total),
    trials: [],
    clamped,
    invalid,
    files: { hgrm: `${base}.hgrm`, hlog: `${base}.hlog` },
  };
}

/** Each shard's .hlog of the metric, and the clamped and invalid counts added up. */
async function readMetricLogs(
  id: string,
  name: string,
  present: readonly ShardScenario[],
  warnings: string[],
): Promise<{ logs: ShardHlog[]; clamped: number; invalid: number }> {
  const logs: ShardHlog[] = [];
  let clamped = 0;
  let invalid = 0;
  for (const { run, report } of present) {
    const metric = report.metrics[name];
    if (metric === undefined) {
      warnings.push(`${run.dir}: ${id} has no metric ${name}; merged without it`);
      continue;
    }
    const log = await readShardHlog(run.dir, metric.files.hlog);
    if (typeof log === 'string') {
      // Exactness cannot be kept without the counts: refuse rather than merge a part silently.
      throw new ConfigError(`cannot merge ${id} ${name}: ${log}`, {
        hint: 'every shard folder must be complete (summary.json and its .hlog files), as `rpb run` wrote it',
      });
    }
    const counted = log.intervals.reduce((sum, i) => sum + i.histogram.totalCount, 0);
    if (counted !== metric.summary.count)
      warnings.push(
        `${run.dir}: ${id} ${name}: its .hlog holds ${counted} values but summary.json says ${metric.summary.count}; the .hlog counts are used`,
      );
    logs.push(log);
    clamped += metric.clamped;
    invalid += metric.invalid;
  }
  return { logs, clamped, invalid };
}

/** The merged scenario report: merged metrics; values, verdicts and trials kept per shard. */
function mergedScenarioReport(
  id: string,
  present: readonly ShardScenario[],
  metrics: Record<string, MetricReport>,
): ScenarioReport {
  const first = present[0]!.report;
  const values = Object.fromEntries(
    present.flatMap(({ run, report }) =>
      Object.entries(report.values).map(([key, value]) => [`${key} (${shardLabel(run)})`, value]),
    ),
  );
  const verdictNotes = present.flatMap(({ run, report }) =>
    report.verdicts.map(
      (v) =>
        `${shardLabel(run)}: ${v.claimId} ${v.outcome}${v.measured === null ? '' : ` (measured ${v.measured} ${v.unit})`}`,
    ),
  );
  const startedAt = present.map((p) => p.report.startedAt).sort()[0]!;
  const finishedAt = present
    .map((p) => p.report.finishedAt)
    .sort()
    .at(-1)!;
  return {
    id,
    description: first.description,
    status: worstStatus(
      present.map((p) => p.report.status),
      'ok',
    ),
    error: present.find((p) => p.report.error !== null)?.report.error ?? null,
    startedAt,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
    target: first.target,
    parameters: { ...first.parameters, mergedShards: present.map((p) => shardLabel(p.run)) },
    metrics,
    values,
    trials: {},
    // A verdict is the scenario's judgement of its own trials; it cannot be recomputed from histograms.
    verdicts: [],
    notes: [
      `merged from ${present.length} shard runs: histograms added count for count, percentiles recomputed; verdicts, values and trials stay per shard (listed here and in each shard's summary.json)`,
      ...verdictNotes,
    ],
    redisInfoBefore: null,
    redisInfoAfter: null,
  };
}

/** Adds up shard runs into one: checks them, merges every metric exactly, keeps the rest per shard. */
export async function mergeShardRuns(
  runs: readonly ShardRun[],
  claims: readonly RegisteredClaim[],
  knownScenarioIds: readonly string[],
  now = new Date(),
): Promise<MergedRun> {
  const { warnings } = checkShards(runs);
  const out: MergeOutput = { files: [], intervals: new Map(), warnings };
  const ids = [...new Set(runs.flatMap((run) => run.summary.scenarios.map((s) => s.id)))];
  const scenarios: ScenarioReport[] = [];
  for (const id of ids) scenarios.push(await mergeScenario(id, runs, out));
  const first = runs[0]!.summary;
  const summary: RunSummary = {
    ...first,
    status: worstStatus(
      runs.map((run) => run.summary.status),
      'complete',
    ),
    startedAt: runs.map((run) => run.summary.startedAt).sort()[0]!,
    finishedAt: now.toISOString(),
    command: `rpb merge ${runs.map((run) => run.dir).join(' ')}`,
    params: {
      ...first.params,
      shard: null,
      mergedFrom: runs.map((run) => ({ dir: run.dir, shard: run.summary.params.shard ?? null })),
    },
    // Claims of the merged scenarios say where their verdicts are, not "not judged".
    claims: coverClaims(claims, scenarios, knownScenarioIds).map((c) =>
      c.scenario !== null && ids.includes(c.scenario)
        ? {
            ...c,
            verdict: {
              ...c.verdict,
              explanation: `judged per shard, not on the merged histograms: see the notes of ${c.scenario} and each shard's report`,
            },
          }
        : c,
    ),
    scenarios,
  };
  return { summary, ...out };
}
