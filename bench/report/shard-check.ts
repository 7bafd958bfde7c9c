import { ConfigError } from '../errors.ts';
import { formatShard } from '../load/shard.ts';
import type { ShardSpec } from '../load/shard.ts';
import type { RunSummary } from '../core/run-summary.ts';

/** One shard run as read from its folder. */
export interface ShardRun {
  readonly dir: string;
  readonly summary: RunSummary;
}

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
