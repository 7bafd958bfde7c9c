import { linearTicks } from './axis-ticks.ts';
import { escapeHtml } from './escape-html.ts';
import { linearScale } from './plot-scale.ts';
import { coord, svgDocument } from './svg-document.ts';

export interface BarSegment {
  readonly name: string;
  readonly value: number;
  readonly color: string;
  /** Hatched grey for the document's figures, solid for measured ones. */
  readonly claimed?: boolean;
}

export interface BarRow {
  readonly label: string;
  readonly segments: readonly BarSegment[];
  /** Written right of the bar (e.g. the total and the verdict). */
  readonly note: string;
  /** Colour of the note (a verdict's text colour); default dark grey. */
  readonly noteColor?: string;
}

export interface BarPanel {
  readonly title: string;
  readonly unit: string;
  readonly rows: readonly BarRow[];
}

const WIDTH = 860;
const LABEL_WIDTH = 190;
const NOTE_WIDTH = 230;
const ROW_HEIGHT = 30;
const PANEL_TITLE = 22;
const AXIS_HEIGHT = 30;

/**
 * Horizontal stacked bars in panels, each panel on its own linear axis from 0 (one panel per
 * question, e.g. "miss path" and "hit path"), every segment with a tooltip and, when wide enough,
 * its name inside. '' when no panel has a finite positive total.
 */
export function renderStackedBars(title: string, panels: readonly BarPanel[]): string {
  const drawn = panels.filter((p) =>
    p.rows.some((r) => r.segments.some((s) => Number.isFinite(s.value) && s.value > 0)),
  );
  if (drawn.length === 0) return '';
  const plotWidth = WIDTH - LABEL_WIDTH - NOTE_WIDTH;
  const body: string[] = [];
  let y = 4;
  for (const panel of drawn) {
    const totals = panel.rows.map((r) =>
      r.segments.reduce((sum, s) => sum + (Number.isFinite(s.value) && s.value > 0 ? s.value : 0), 0),
    );
    const scale = linearScale(0, Math.max(...totals) * 1.02);
    const px = (v: number): number => LABEL_WIDTH + scale.map(v) * plotWidth;
    body.push(
      `<text x="4" y="${coord(y + 14)}" class="axis-label" font-weight="600">${escapeHtml(panel.title)}</text>`,
    );
    y += PANEL_TITLE;
    const top = y;
    const bottom = top + panel.rows.length * ROW_HEIGHT;
    body.push(
      `<rect class="plot-area" x="${LABEL_WIDTH}" y="${coord(top)}" width="${plotWidth}" height="${coord(bottom - top)}" fill="#ffffff" stroke="#d0d7de"/>`,
    );
    for (const tick of linearTicks(scale.min, scale.max, 6)) {
      const x = coord(px(tick.value));
      body.push(
        `<line x1="${x}" y1="${coord(top)}" x2="${x}" y2="${coord(bottom)}" stroke="#eaeef2"/>`,
        `<text x="${x}" y="${coord(bottom + 14)}" text-anchor="middle" class="tick">${escapeHtml(tick.label)}</text>`,
      );
    }
    body.push(
      `<text x="${coord(LABEL_WIDTH + plotWidth / 2)}" y="${coord(bottom + 27)}" text-anchor="middle" class="axis-label">${escapeHtml(panel.unit)}</text>`,
    );
    panel.rows.forEach((row, i) => {
      const rowTop = top + i * ROW_HEIGHT;
      const mid = rowTop + ROW_HEIGHT / 2;
      body.push(
        `<text x="${LABEL_WIDTH - 8}" y="${coord(mid)}" text-anchor="end" dominant-baseline="middle" class="bar-label">${escapeHtml(row.label)}</text>`,
      );
      let at = 0;
      for (const segment of row.segments) {
        if (!Number.isFinite(segment.value) || segment.value <= 0) continue;
        const x1 = px(at);
        const x2 = px(at + segment.value);
        at += segment.value;
        const tip = `${row.label}: ${segment.name} ${Number(segment.value.toPrecision(3))} ${panel.unit}`;
        body.push(
          `<rect class="segment" x="${coord(x1)}" y="${coord(rowTop + 5)}" width="${coord(Math.max(1, x2 - x1))}" height="${ROW_HEIGHT - 10}" fill="${segment.color}" stroke="#ffffff"${segment.claimed === true ? ' fill-opacity="0.55"' : ''}><title>${escapeHtml(tip)}</title></rect>`,
        );
        if (x2 - x1 > segment.name.length * 6.2 + 6)
          body.push(
            `<text x="${coord((x1 + x2) / 2)}" y="${coord(mid)}" text-anchor="middle" dominant-baseline="middle" class="segment-label">${escapeHtml(segment.name)}</text>`,
          );
      }
      body.push(
        `<text x="${coord(WIDTH - NOTE_WIDTH + 8)}" y="${coord(mid)}" dominant-baseline="middle" class="bar-value"${row.noteColor === undefined ? '' : ` style="fill:${row.noteColor}"`}>${escapeHtml(row.note)}</text>`,
      );
    });
    y = bottom + AXIS_HEIGHT + 8;
  }
  return svgDocument({ kind: 'stacked', title, width: WIDTH, height: y }, body);
}
