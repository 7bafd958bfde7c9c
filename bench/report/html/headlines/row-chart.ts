import { scaleTicks } from '../axis-ticks.ts';
import { escapeHtml } from '../escape-html.ts';
import { linearScale, logScale } from '../plot-scale.ts';
import type { PlotScale } from '../plot-scale.ts';
import { coord, svgDocument } from '../svg-document.ts';

/** One row: a bar from 0 (or a dot) at `value`, an optional interval whisker, a note at the right. */
export interface RowMark {
  readonly label: string;
  /** null: nothing measured; the row shows its note only. */
  readonly value: number | null;
  readonly low?: number | null;
  readonly high?: number | null;
  readonly color: string;
  readonly shape?: 'bar' | 'dot';
  /** The document's figure drawn as a bar: light grey, hatched-looking (half opacity). */
  readonly claimed?: boolean;
  readonly note: string;
  readonly noteColor?: string;
  /** Tooltip of the mark; default "label: value unit". */
  readonly tip?: string;
  /** Per-trial figures, drawn as small open dots on the row. */
  readonly points?: readonly number[];
  /** The document's figure for this row, a grey diamond with `docLabel` as its tooltip. */
  readonly doc?: number | null;
  readonly docLabel?: string;
}

export interface RowGroup {
  /** A heading above the group's rows (e.g. the anti-pattern and its fix); '' for none. */
  readonly title: string;
  readonly rows: readonly RowMark[];
}

/** A line across the panel at `value` (the document's figure, a threshold). */
export interface RowReference {
  readonly value: number;
  readonly label: string;
  readonly color?: string;
}

export interface RowPanel {
  readonly title: string;
  readonly unit: string;
  readonly groups: readonly RowGroup[];
  readonly references?: readonly RowReference[];
  /** Logarithmic axis (whole decades) when every drawn value is positive. */
  readonly log?: boolean;
  /** A linear axis reaches at least this far (e.g. counts that are all 0). */
  readonly atLeast?: number;
}

const WIDTH = 860;
const LABEL_WIDTH = 200;
const NOTE_WIDTH = 250;
const ROW_HEIGHT = 24;
const GROUP_TITLE = 18;
const PANEL_TITLE = 22;
const REFERENCE_TOP = 14;
const AXIS_HEIGHT = 32;
export const REFERENCE_COLOR = '#57606a';
export const CLAIMED_COLOR = '#8c959f';

function isNumber(v: number | null | undefined): v is number {
  return v !== null && v !== undefined && Number.isFinite(v);
}

function panelValues(panel: RowPanel): number[] {
  return [
    ...panel.groups.flatMap((g) => g.rows.flatMap((r) => [r.value, r.low, r.high, r.doc, ...(r.points ?? [])])),
    ...(panel.references ?? []).map((r) => r.value),
  ].filter(isNumber);
}

function panelScale(panel: RowPanel): PlotScale {
  const values = panelValues(panel);
  const positive = values.filter((v) => v > 0);
  if (panel.log === true && positive.length > 0) {
    const lo = 10 ** Math.floor(Math.log10(Math.min(...positive)) + 1e-9);
    const hi = 10 ** Math.ceil(Math.log10(Math.max(...positive)) - 1e-9);
    return logScale(lo, hi > lo ? hi : lo * 10);
  }
  const max = Math.max(0, ...values, panel.atLeast ?? 0);
  return linearScale(Math.min(0, ...values), max > 0 ? max * 1.05 : 1);
}

/** A panel is drawn when some row has a finite value. */
function drawable(panel: RowPanel): boolean {
  return panel.groups.some((g) => g.rows.some((r) => isNumber(r.value)));
}

/**
 * Horizontal bars or dots in panels, each on its own axis (from 0, or log decades), rows grouped
 * under headings, the document's figures and thresholds as labelled vertical lines, a note (the
 * figure and the verdict, in its colour) right of each row. Marks carry class="mark", lines
 * class="reference". '' when no panel has a finite value.
 */
export function renderRowChart(title: string, kind: string, panels: readonly RowPanel[]): string {
  const drawn = panels.filter(drawable);
  if (drawn.length === 0) return '';
  const plotWidth = WIDTH - LABEL_WIDTH - NOTE_WIDTH;
  const body: string[] = [];
  let y = 4;
  for (const panel of drawn) {
    const scale = panelScale(panel);
    const px = (v: number): number => LABEL_WIDTH + scale.map(v) * plotWidth;
    const references = (panel.references ?? []).filter((r) => isNumber(r.value));
    body.push(
      `<text x="4" y="${coord(y + 14)}" class="axis-label" font-weight="600">${escapeHtml(panel.title)}</text>`,
    );
    y += PANEL_TITLE + Math.min(2, references.length) * REFERENCE_TOP;
    const top = y;
    const rowsHeight = panel.groups.reduce(
      (h, g) => h + (g.title === '' ? 0 : GROUP_TITLE) + g.rows.length * ROW_HEIGHT,
      0,
    );
    const bottom = top + rowsHeight;
    body.push(
      `<rect class="plot-area" x="${LABEL_WIDTH}" y="${coord(top)}" width="${plotWidth}" height="${coord(rowsHeight)}" fill="#ffffff" stroke="#d0d7de"/>`,
    );
    for (const tick of scaleTicks(scale, 6)) {
      const x = coord(px(tick.value));
      body.push(
        `<line x1="${x}" y1="${coord(top)}" x2="${x}" y2="${coord(bottom)}" stroke="#eaeef2"/>`,
        `<text x="${x}" y="${coord(bottom + 14)}" text-anchor="middle" class="tick">${escapeHtml(tick.label)}</text>`,
      );
    }
    body.push(
      `<text x="${coord(LABEL_WIDTH + plotWidth / 2)}" y="${coord(bottom + 28)}" text-anchor="middle" class="axis-label">${escapeHtml(`${panel.unit}${scale.kind === 'log' ? ' (log)' : ''}`)}</text>`,
    );
    let rowTop = top;
    for (const group of panel.groups) {
      if (group.title !== '') {
        body.push(
          `<text x="${LABEL_WIDTH + 6}" y="${coord(rowTop + 13)}" class="bar-label" font-weight="600">${escapeHtml(group.title)}</text>`,
        );
        rowTop += GROUP_TITLE;
      }
      for (const row of group.rows) {
        body.push(...rowMarks(row, rowTop, px, scale, panel.unit));
        rowTop += ROW_HEIGHT;
      }
    }
    // References last, over the marks; labels above the plot, alternating height when several.
    references.forEach((ref, i) => {
      const x = coord(px(ref.value));
      const color = ref.color ?? REFERENCE_COLOR;
      const anchor = scale.map(ref.value) > 0.75 ? 'end' : scale.map(ref.value) < 0.1 ? 'start' : 'middle';
      body.push(
        `<line class="reference" x1="${x}" y1="${coord(top - 4)}" x2="${x}" y2="${coord(bottom)}" stroke="${color}" stroke-width="2" stroke-dasharray="5 3"><title>${escapeHtml(ref.label)}</title></line>`,
        `<text x="${x}" y="${coord(top - 6 - (i % 2) * REFERENCE_TOP)}" text-anchor="${anchor}" class="tick" style="fill:${color}">${escapeHtml(ref.label)}</text>`,
      );
    });
    y = bottom + AXIS_HEIGHT + 8;
  }
  return svgDocument({ kind, title, width: WIDTH, height: y }, body);
}

function rowMarks(row: RowMark, rowTop: number, px: (v: number) => number, scale: PlotScale, unit: string): string[] {
  const mid = rowTop + ROW_HEIGHT / 2;
  const out = [
    `<text x="${LABEL_WIDTH - 8}" y="${coord(mid)}" text-anchor="end" dominant-baseline="middle" class="bar-label">${escapeHtml(row.label)}</text>`,
    `<text x="${coord(WIDTH - NOTE_WIDTH + 8)}" y="${coord(mid)}" dominant-baseline="middle" class="bar-value"${row.noteColor === undefined ? '' : ` style="fill:${row.noteColor}"`}>${escapeHtml(row.note)}</text>`,
  ];
  if (!isNumber(row.value)) return out;
  const tip = escapeHtml(row.tip ?? `${row.label}: ${Number(row.value.toPrecision(3))} ${unit}`);
  const color = row.claimed === true ? CLAIMED_COLOR : row.color;
  if ((row.shape ?? 'bar') === 'bar') {
    const base = px(scale.kind === 'log' ? scale.min : 0);
    const end = px(row.value);
    const [x1, x2] = [Math.min(base, end), Math.max(base, end)];
    out.push(
      `<rect class="mark" x="${coord(x1)}" y="${coord(rowTop + 5)}" width="${coord(Math.max(2, x2 - x1))}" height="${ROW_HEIGHT - 10}" fill="${color}"${row.claimed === true ? ' fill-opacity="0.55" stroke="#57606a" stroke-dasharray="3 2"' : ''}><title>${tip}</title></rect>`,
    );
  }
  if (isNumber(row.low) && isNumber(row.high)) {
    const [a, b] = [coord(px(row.low)), coord(px(row.high))];
    out.push(
      `<path class="interval" d="M${a},${coord(mid)} L${b},${coord(mid)} M${a},${coord(mid - 5)} L${a},${coord(mid + 5)} M${b},${coord(mid - 5)} L${b},${coord(mid + 5)}" stroke="#24292f" stroke-width="1.5" fill="none"/>`,
    );
  }
  for (const p of (row.points ?? []).filter(isNumber))
    out.push(
      `<circle class="trial" cx="${coord(px(p))}" cy="${coord(mid + 6)}" r="2.5" fill="none" stroke="${color}" stroke-width="1"><title>${escapeHtml(`${row.label}: a trial, ${Number(p.toPrecision(3))} ${unit}`)}</title></circle>`,
    );
  if (isNumber(row.doc)) {
    const [dx, dy] = [px(row.doc), mid];
    out.push(
      `<path class="document" d="M${coord(dx)},${coord(dy - 7)} L${coord(dx + 7)},${coord(dy)} L${coord(dx)},${coord(dy + 7)} L${coord(dx - 7)},${coord(dy)} Z" fill="${CLAIMED_COLOR}" stroke="#24292f" stroke-width="0.8"><title>${escapeHtml(row.docLabel ?? `document: ${Number(row.doc.toPrecision(3))} ${unit}`)}</title></path>`,
    );
  }
  if (row.shape === 'dot')
    out.push(
      `<circle class="mark" cx="${coord(px(row.value))}" cy="${coord(mid)}" r="5.5" fill="${color}" stroke="#24292f" stroke-width="0.8"><title>${tip}</title></circle>`,
    );
  return out;
}
