import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { loadRunSummary } from '../gate/run-summary-loader.ts';
import { formatShard } from '../load/shard.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import { mergeShardRuns } from '../report/run-merge.ts';
import type { ShardRun } from '../report/shard-check.ts';
import { writeRunFiles } from '../report/run-files.ts';
import { CLAIMS } from '../../scenarios/claims.ts';
import { SCENARIOS } from '../../scenarios/registry.ts';

export interface MergeCommandResult {
  readonly output: string;
  readonly outDir: string;
}

/** The merged run goes to a new or empty folder: rpb never overwrites or deletes a report. */
function checkOutDir(outDir: string, inputs: readonly string[]): void {
  let entries: string[];
  try {
    if (!statSync(outDir).isDirectory())
      throw new ConfigError(`--out ${outDir}: exists and is not a folder`, {
        hint: 'choose a new folder for the merged run',
      });
    entries = readdirSync(outDir);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new ConfigError(
      `--out ${outDir}: cannot be used (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      { hint: 'choose a writable folder' },
    );
  }
  if (inputs.some((dir) => statSync(dir, { throwIfNoEntry: false })?.ino === statSync(outDir).ino)) {
    throw new ConfigError(`--out ${outDir} is one of the shard folders being merged`, {
      hint: 'write the merged run to a new folder',
    });
  }
  if (entries.length > 0)
    throw new ConfigError(`--out ${outDir}: already holds ${entries.length} file(s)`, {
      hint: 'choose a new or empty folder (rpb never deletes files)',
    });
}

const ms = (ns: number | null): string => (ns === null ? '—' : (ns / 1e6).toFixed(3));

/**
 * `rpb merge DIR... --out DIR`: adds the shard runs of one load (rpb run --shard k/N on N
 * machines) into one run folder. Bad or incompatible inputs are ConfigErrors (exit 2) and nothing
 * is written; missing shards are warnings.
 */
export async function runMergeCommand(
  dirs: readonly string[],
  outDir: string,
  progress: (message: string) => void,
): Promise<MergeCommandResult> {
  checkOutDir(outDir, dirs);
  const runs: ShardRun[] = [];
  for (const given of dirs) {
    // A summary.json given instead of its folder: the .hlog paths are relative to the folder.
    const dir = path.basename(given) === 'summary.json' ? path.dirname(given) : given;
    runs.push({ dir, summary: await loadRunSummary(dir, `rpb merge ${given}`) });
  }
  const merged = await mergeShardRuns(
    runs,
    CLAIMS,
    SCENARIOS.map((s) => s.id),
  );
  for (const warning of merged.warnings) progress(`merge: ${warning}`);
  await writeReportFiles(outDir, merged.files);
  const reportWarnings = await writeRunFiles(outDir, merged.summary, merged.intervals);
  const rows = merged.summary.scenarios.flatMap((scenario) =>
    Object.entries(scenario.metrics).map(([name, metric]) => {
      const s = metric.summary;
      return `  ${`${scenario.id} ${name}`.padEnd(44)} ${String(s.count).padStart(10)} ${ms(s.p50Ns).padStart(10)} ${ms(s.p99Ns).padStart(10)} ${ms(s.p999Ns).padStart(10)} ${ms(s.maxNs).padStart(10)}`;
    }),
  );
  const shards = runs.map((run) => (run.summary.params.shard ? formatShard(run.summary.params.shard) : '?')).join(', ');
  const output = [
    `merged ${runs.length} shard run${runs.length > 1 ? 's' : ''} (${shards}) into ${outDir}`,
    `  ${'scenario metric'.padEnd(44)} ${'count'.padStart(10)} ${'p50 ms'.padStart(10)} ${'p99 ms'.padStart(10)} ${'p99.9 ms'.padStart(10)} ${'max ms'.padStart(10)}`,
    ...rows,
    ...merged.warnings.map((w) => `warning: ${w}`),
    ...reportWarnings.map((w) => `report: ${w}`),
    `report: ${outDir}/index.html, report.md, summary.json, <scenario>/<metric>.hgrm and .hlog (verdicts stay in each shard's report)`,
  ].join('\n');
  return { output, outDir };
}
