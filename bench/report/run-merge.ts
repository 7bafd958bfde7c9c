import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Histogram } from 'hdr-histogram-js';
import { coverClaims } from '../analysis/claim-coverage.ts';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import { ConfigError } from '../errors.ts';
import { formatShard } from '../load/shard.ts';
import type { ShardSpec } from '../load/shard.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import type { MetricReport, RunSummary, ScenarioReport } from '../core/run-summary.ts';
import { intervalKey, summarizeIntervals } from './arrow-tables.ts';
import type { IntervalSummary } from './arrow-tables.ts';
import type { ReportFile } from './file-sink.ts';
import { formatHgrm } from './hgrm-writer.ts';
import { parseHlog } from './hlog-reader.ts';
import { formatHlog } from './hlog-writer.ts';
import type { HlogInterval } from './hlog-writer.ts';

/** One shard run as read from its folder. */
export interface ShardRun {
  readonly dir: string;
  readonly summary: RunSummary;
}

export interface MergedRun {
  readonly summary: RunSummary;
  /** Every metric's .hgrm and .hlog. */
  readonly files: readonly ReportFile[];
  readonly intervals: ReadonlyMap<string, readonly IntervalSummary[]>;
  readonly warnings: readonly string[];
}

/** The merged timeline's slot: each shard interval goes whole into the slot holding its middle. */
export const MERGE_SLOT_MS = 1_000;

/** The options that must match for runs to be shards of one run (everything but the shard). */
function comparableParams(summary: RunSummary): Record<string, unknown> {
  const { quick, seed, missExtraMs, addedLatencyMs, overrides, redis, scenarios } = summary.params;
  return {
    quick,
    seed,
    missExtraMs,
    addedLatencyMs,
    overrides: sortedObject(overrides),
    redis,
    scenarios,
    tool: summary.tool.version,
  };
}

function sortedObject(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Checks that the runs are shards of one run: every one has a shard, the same N, distinct k, the
 * same scenarios and options. Refusals are one ConfigError listing every problem; missing
 * shards are only a warning (a lost machine should not throw away the others' measurements).
 */
export function checkShards(runs: readonly ShardRun[]): { count: number; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (runs.length === 0)
    throw new ConfigError('rpb merge needs at least one run folder', {
      hint: 'e.g. rpb merge /shared/s1 /shared/s2 --out /shared/merged',
    });
  const shards = runs.map((run) => run.summary.params.shard ?? null);
  runs.forEach((run, i) => {
    if (shards[i] === null)
      problems.push(
        `${run.dir} is not a shard run (it was not run with --shard k/N); only shard runs of one load can be merged`,
      );
  });
  const counts = [...new Set(shards.filter((s): s is ShardSpec => s !== null).map((s) => s.count))];
  if (counts.length > 1)
    problems.push(
      `the runs split the load differently (N = ${counts.join(', ')}); merge only the shards of one --shard k/N split`,
    );
  const seen = new Map<number, string>();
  runs.forEach((run, i) => {
    const shard = shards[i];
    if (shard === null || shard === undefined) return;
    const other = seen.get(shard.index);
    if (other !== undefined)
      problems.push(`${run.dir} and ${other} are both shard ${formatShard(shard)}; each shard must be merged once`);
    seen.set(shard.index, run.dir);
  });
  const reference = comparableParams(runs[0]!.summary);
  for (const run of runs.slice(1)) {
    const params = comparableParams(run.summary);
    const differing = Object.keys(reference).filter(
      (key) => JSON.stringify(reference[key]) !== JSON.stringify(params[key]),
    );
    if (differing.length > 0) {
      problems.push(
        `${run.dir} differs from ${runs[0]!.dir} in ${differing.map((key) => `${key} (${JSON.stringify(params[key])} vs ${JSON.stringify(reference[key])})`).join(', ')}; shards of one run use the same options apart from --shard`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`cannot merge: the runs are not the shards of one run`, {
      problems,
      hint: 'run the same `rpb run ...` command on every machine, changing only --shard k/N, then merge those folders',
    });
  }
  const count = counts[0]!;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index));
  if (missing.length > 0)
    warnings.push(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing: the merged run holds ${runs.length} of ${count} shards, so ${missing.length}/${count} of the load is not in it`,
    );
  for (const run of runs)
    if (run.summary.status !== 'complete')
      warnings.push(`${run.dir} ended ${run.summary.status}: its partial figures are included`);
  return { count, warnings };
}

interface TimedHistogram {
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly histogram: Histogram;
}

async function readShardHlog(
  dir: string,
  relativePath: string,
): Promise<{ startTimeMs: number; intervals: TimedHistogram[] } | string> {
  const root = path.resolve(dir);
  const file = path.resolve(root, relativePath);
  if (path.relative(root, file).startsWith('..')) return `${relativePath}: path outside the run folder`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return `${path.join(dir, relativePath)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'}`;
  }
  const log = parseHlog(text);
  if (log.startTimeMs === null) return `${path.join(dir, relativePath)}: no #[StartTime] header`;
  return { startTimeMs: log.startTimeMs, intervals: [...log.intervals] };
}

/**
 * Adds the intervals of every shard on one timeline from the earliest start: a shard's interval
 * goes whole into the MERGE_SLOT_MS slot holding its middle (counts are never split, so totals
 * stay exact; times are within half a slot plus the machines' clock skew). Empty slots between
 * the first and the last are kept, so the timeline has no holes.
 */
export function mergeTimelines(originMs: number, shards: readonly (readonly TimedHistogram[])[]): HlogInterval[] {
  const slots = new Map<number, Histogram>();
  for (const intervals of shards) {
    for (const interval of intervals) {
      const middle = (interval.startTimeMs + interval.endTimeMs) / 2;
      const slot = Math.max(0, Math.floor((middle - originMs) / MERGE_SLOT_MS));
      let histogram = slots.get(slot);
      if (histogram === undefined) slots.set(slot, (histogram = createLatencyHistogram()));
      histogram.add(interval.histogram);
    }
  }
  if (slots.size === 0) return [];
  const last = Math.max(...slots.keys());
  return Array.from({ length: last + 1 }, (_, slot) => ({
    startTimeMs: originMs + slot * MERGE_SLOT_MS,
    endTimeMs: originMs + (slot + 1) * MERGE_SLOT_MS,
    histogram: slots.get(slot) ?? createLatencyHistogram(),
  }));
}

function metricFileBase(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '_');
}

/** Adds one scenario's metrics over the shards that have them; the rest of the report is kept per shard. */
async function mergeScenario(
  id: string,
  runs: readonly ShardRun[],
  files: ReportFile[],
  intervals: Map<string, IntervalSummary[]>,
  warnings: string[],
): Promise<ScenarioReport> {
  const present = runs
    .map((run) => ({ run, report: run.summary.scenarios.find((s) => s.id === id) }))
    .filter((p): p is { run: ShardRun; report: ScenarioReport } => p.report !== undefined);
  for (const run of runs)
    if (!run.summary.scenarios.some((s) => s.id === id)) warnings.push(`${run.dir}: scenario ${id} did not run there`);
  const first = present[0]!.report;
  const metricNames = [...new Set(present.flatMap((p) => Object.keys(p.report.metrics)))];
  const metrics: Record<string, MetricReport> = {};
  for (const name of metricNames) {
    const logs: { startTimeMs: number; intervals: TimedHistogram[] }[] = [];
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
    const originMs = Math.min(...logs.map((log) => log.startTimeMs));
    const timeline = mergeTimelines(
      originMs,
      logs.map((log) => log.intervals),
    );
    const total = createLatencyHistogram();
    for (const log of logs) for (const interval of log.intervals) total.add(interval.histogram);
    const base = `${id}/${metricFileBase(name)}`;
    files.push({ relativePath: `${base}.hgrm`, content: formatHgrm(total, { unit: 'ms' }) });
    files.push({
      relativePath: `${base}.hlog`,
      content: formatHlog({
        startTimeMs: originMs,
        intervals: timeline,
        tag: metricFileBase(name),
        comment: `${id} ${name}, values in ns, merged from ${logs.length} shard runs`,
      }),
    });
    intervals.set(intervalKey(id, name), summarizeIntervals(timeline));
    // Per-trial histograms are not in the files: trials stay per shard (see each shard's summary.json).
    metrics[name] = {
      unit: 'ns',
      summary: summarizeHistogram(total),
      trials: [],
      clamped,
      invalid,
      files: { hgrm: `${base}.hgrm`, hlog: `${base}.hlog` },
    };
  }
  const shardLabel = (run: ShardRun): string =>
    `shard ${run.summary.params.shard ? formatShard(run.summary.params.shard) : '?'}`;
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
  const statuses = present.map((p) => p.report.status);
  const startedAt = present.map((p) => p.report.startedAt).sort()[0]!;
  const finishedAt = present
    .map((p) => p.report.finishedAt)
    .sort()
    .at(-1)!;
  return {
    id,
    description: first.description,
    status: statuses.includes('failed') ? 'failed' : statuses.includes('interrupted') ? 'interrupted' : 'ok',
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
  knownScenarioIds: readonly string[],
  now = new Date(),
): Promise<MergedRun> {
  const { warnings } = checkShards(runs);
  const files: ReportFile[] = [];
  const intervals = new Map<string, IntervalSummary[]>();
  const ids = [...new Set(runs.flatMap((run) => run.summary.scenarios.map((s) => s.id)))];
  const scenarios: ScenarioReport[] = [];
  for (const id of ids) scenarios.push(await mergeScenario(id, runs, files, intervals, warnings));
  const first = runs[0]!.summary;
  const statuses = runs.map((run) => run.summary.status);
  const summary: RunSummary = {
    ...first,
    status: statuses.includes('failed') ? 'failed' : statuses.includes('interrupted') ? 'interrupted' : 'complete',
    startedAt: runs.map((run) => run.summary.startedAt).sort()[0]!,
    finishedAt: now.toISOString(),
    command: `rpb merge ${runs.map((run) => run.dir).join(' ')}`,
    params: {
      ...first.params,
      shard: null,
      mergedFrom: runs.map((run) => ({ dir: run.dir, shard: run.summary.params.shard ?? null })),
    },
    // Claims of the merged scenarios say where their verdicts are, not "not judged".
    claims: coverClaims(scenarios, knownScenarioIds).map((c) =>
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
  return { summary, files, intervals, warnings };
}
