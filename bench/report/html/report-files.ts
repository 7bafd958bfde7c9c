import type { ReportFile } from '../file-sink.ts';
import type { ReportData } from '../report-data.ts';
import { formatRunMarkdown } from '../run-markdown.ts';
import { renderIndexHtml } from './index-html.ts';

/** The human-readable reports of a run folder: report.md and the self-contained index.html. */
export function renderReportFiles(data: ReportData): ReportFile[] {
  return [
    { relativePath: 'report.md', content: formatRunMarkdown(data.summary) },
    { relativePath: 'index.html', content: renderIndexHtml(data) },
  ];
}
