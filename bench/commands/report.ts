import { loadArrowInput } from '../report/arrow-input.ts';
import { buildArrowFiles } from '../report/arrow-tables.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import { renderReportFiles } from '../report/html/report-files.ts';
import { loadReportData } from '../report/report-data.ts';

/**
 * `rpb report DIR`: (re)writes report.md, index.html and the Arrow tables of a run folder from its
 * summary.json and .hlog files (after an upgrade, or for a run copied from elsewhere).
 */
export async function runReportCommand(dir: string): Promise<string> {
  const data = await loadReportData(dir);
  const { input, warnings: arrowWarnings } = await loadArrowInput(dir);
  const written = await writeReportFiles(dir, [...renderReportFiles(data), ...buildArrowFiles(input)]);
  const count = data.warnings.length + arrowWarnings.length;
  const warnings = count > 0 ? ` (${count} warning${count > 1 ? 's' : ''}: see the page)` : '';
  return `report: ${written.join(', ')}${warnings}`;
}
