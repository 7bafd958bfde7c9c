import type { ScenarioPlotData } from '../report-data.ts';
import { renderClaimsHeadline } from './claims-headline.ts';
import { escapeHtml } from './escape-html.ts';
import { DESIGNED_HEADLINES } from './headlines/index.ts';
import type { Headline } from './headlines/index.ts';
import { MAX_SERIES_PER_CHART, renderPercentilePlot } from './percentile-plot.ts';

/**
 * The generic headline: the scenario's claims, measured against claimed (claims-headline.ts);
 * without claims, the latency percentiles of its first metrics; null when there is nothing to draw.
 */
export function genericHeadline(data: ScenarioPlotData): Headline | null {
  const s = data.report;
  const claims = renderClaimsHeadline(`${s.id}: every claim, measured against the document's figure`, s.verdicts);
  if (claims !== '')
    return {
      caption: `Claims of ${s.id}: measured median and interval against the document's figure (verdict colour)`,
      body: claims,
    };
  const metrics = data.metrics.filter((m) => m.percentiles.length > 0).slice(0, MAX_SERIES_PER_CHART);
  if (metrics.length === 0) return null;
  return {
    caption: `${s.id}: latency by percentile`,
    body: renderPercentilePlot(
      `${s.id}: latency by percentile`,
      metrics.map((m) => ({ name: m.name, points: m.percentiles })),
    ),
  };
}

/**
 * The first chart of a scenario's section, built for its question when the scenario has a designed
 * headline (headlines/index.ts) whose figures are in the summary, else the generic one. The figure
 * carries data-headline="<scenario id>" (and data-headline-kind: designed or generic).
 */
export function renderHeadline(data: ScenarioPlotData): string {
  return headlineFigure(data).html;
}

/** The headline's HTML and the series it drew in full (the section does not draw them again). */
export function headlineFigure(data: ScenarioPlotData): { html: string; drawnSeries: readonly string[] } {
  const id = data.report.id;
  const designed = DESIGNED_HEADLINES[id]?.(data) ?? null;
  const headline = designed ?? genericHeadline(data);
  if (headline === null)
    return {
      html: `<figure class="headline" data-headline="${escapeHtml(id)}" data-headline-kind="none"><figcaption>${escapeHtml(id)}: no figure to draw (the scenario recorded no claim, metric or curve)</figcaption></figure>`,
      drawnSeries: [],
    };
  const kind = designed === null ? 'generic' : 'designed';
  const note = headline.note === undefined ? '' : `<p class="muted headline-note">${escapeHtml(headline.note)}</p>`;
  return {
    html: `<figure class="headline" data-headline="${escapeHtml(id)}" data-headline-kind="${kind}"><figcaption>${escapeHtml(headline.caption)}</figcaption>${headline.body}${note}</figure>`,
    drawnSeries: headline.drawnSeries ?? [],
  };
}
