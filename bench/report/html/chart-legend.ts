import { escapeHtml } from './escape-html.ts';
import type { SeriesStyle } from './palette.ts';

export interface LegendEntry {
  readonly name: string;
  readonly style: SeriesStyle;
  /** 'line' for a series, 'area' for a shaded band. */
  readonly mark?: 'line' | 'area';
}

/** An HTML legend under a plot: wraps on narrow screens, where labels inside an SVG would collide. */
export function renderLegend(entries: readonly LegendEntry[]): string {
  if (entries.length === 0) return '';
  const items = entries.map(({ name, style, mark }) => {
    const swatch =
      mark === 'area'
        ? `<span class="swatch swatch-area" style="background:${style.color}"></span>`
        : `<span class="swatch" style="border-top-color:${style.color};border-top-style:${style.dash === '' ? 'solid' : 'dashed'}"></span>`;
    return `<li>${swatch}${escapeHtml(name)}</li>`;
  });
  return `<ul class="legend">${items.join('')}</ul>`;
}
