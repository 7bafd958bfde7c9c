import type { ReportData } from '../report-data.ts';
import { renderClaimsTable } from './claims-table-html.ts';
import { escapeHtml } from './escape-html.ts';
import { PAGE_STYLE } from './page-style.ts';
import { renderReportHeader } from './report-header.ts';
import { renderScenarioSection } from './scenario-section.ts';

/**
 * index.html: one self-contained page (inline CSS and SVG, no scripts, no network) with the
 * claims table first (every claim of the document, measured or not), then each scenario's plots and tables.
 */
export function renderIndexHtml(data: ReportData): string {
  const { summary } = data;
  const warnings =
    data.warnings.length > 0
      ? `<ul class="warnings">${data.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
      : '';
  const toc = summary.scenarios
    .map((s) => `<a href="#scenario-${escapeHtml(s.id)}">${escapeHtml(s.id)}</a>`)
    .join(' · ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network at all: the page is read from disk, offline, and must not phone home.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(`rpb report ${summary.startedAt} (${summary.status})`)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    renderReportHeader(summary),
    warnings,
    '<div class="claims-block">',
    '<h2>Claims of the document, checked</h2>',
    renderClaimsTable(summary.claims),
    toc === '' ? '' : `<p class="muted">Scenarios: ${toc}</p>`,
    '</div>',
    ...data.scenarios.map(renderScenarioSection),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
