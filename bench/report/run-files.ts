import type { RunSummary } from '../core/run-summary.ts';
import { buildArrowFiles } from './arrow-tables.ts';
import type { IntervalSummary } from './arrow-tables.ts';
import { writeReportFiles } from './file-sink.ts';
import { renderReportFiles } from './html/report-files.ts';
import { toSafeJson } from './json-safe.ts';
import { reportDataFromSummary } from './report-data.ts';

/**
 * Everything a run folder holds besides the per-metric .hgrm/.hlog: summary.json first (the raw
 * data, so a crash while rendering still leaves it), then report.md and index.html built from it
 * and the .hlog files, then the Arrow tables. Called once when a run ends (between scenarios the runner
 * writes summary.json alone).
 */
export async function writeRunFiles(
  outDir: string,
  summary: RunSummary,
  intervals: ReadonlyMap<string, readonly IntervalSummary[]>,
): Promise<readonly string[]> {
  await writeReportFiles(outDir, [{ relativePath: 'summary.json', content: `${toSafeJson(summary)}\n` }]);
  const data = await reportDataFromSummary(outDir, summary);
  await writeReportFiles(outDir, [...renderReportFiles(data), ...buildArrowFiles({ summary, intervals })]);
  return data.warnings;
}
