import { escapeHtml } from './escape-html.ts';

/** An SVG coordinate: one decimal, and 0 for anything non-finite so no attribute ever says NaN. */
export function coord(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}

export interface SvgDocumentOptions {
  /** Written as data-plot: what the plot shows (tests and readers find plots by it). */
  readonly kind: string;
  /** The accessible name, the svg's first <title>. */
  readonly title: string;
  readonly width: number;
  readonly height: number;
}

/** An inline <svg> that scales to its container's width and keeps its aspect ratio. */
export function svgDocument(options: SvgDocumentOptions, body: readonly string[]): string {
  const { kind, title, width, height } = options;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" data-plot="${escapeHtml(kind)}" viewBox="0 0 ${coord(width)} ${coord(height)}" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Rough width of a label at the plots' 11px font, for keeping tick labels apart. */
export function labelWidthPx(text: string, fontPx = 11): number {
  return text.length * fontPx * 0.6 + 4;
}
