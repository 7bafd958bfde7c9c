import type { AxisTick } from './axis-ticks.ts';
import { escapeHtml } from './escape-html.ts';
import { EVENT_FILL } from './palette.ts';
import type { SeriesStyle } from './palette.ts';
import type { PlotScale } from './plot-scale.ts';
import { coord, labelWidthPx, svgDocument } from './svg-document.ts';

export interface ChartPoint {
  readonly x: number;
  /** null: no value here; the line breaks. */
  readonly y: number | null;
  /** Tooltip of the point's marker. */
  readonly tip?: string;
}

export interface ChartLine {
  readonly name: string;
  readonly style: SeriesStyle;
  readonly points: readonly ChartPoint[];
  /** Draw a marker at every point that has a tooltip. */
  readonly markers?: boolean;
}

/** A shaded x range, e.g. a fault window. */
export interface ChartBand {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

/** A reference drawn across the plot (the document's figure, a target): not a data series. */
export interface ChartReference {
  /** 'y': a horizontal line at `value`; 'x': a vertical one. */
  readonly axis: 'x' | 'y';
  readonly value: number;
  readonly label: string;
}

/** A single marked point (the document's figure at one x), drawn as a diamond with its label. */
export interface ChartMark {
  readonly x: number;
  readonly y: number;
  readonly label: string;
}

export interface ChartAxis {
  readonly scale: PlotScale;
  readonly ticks: readonly AxisTick[];
  readonly label: string;
}

export interface LineChartSpec {
  readonly kind: string;
  readonly title: string;
  readonly x: ChartAxis;
  readonly y: ChartAxis;
  readonly lines: readonly ChartLine[];
  readonly bands?: readonly ChartBand[];
  readonly references?: readonly ChartReference[];
  readonly marks?: readonly ChartMark[];
  readonly width?: number;
  readonly height?: number;
}

/** right leaves room for half of the last x tick label ("99.99%"). */
export const LINE_CHART_MARGIN = { left: 62, right: 30, top: 14, bottom: 44 } as const;
export const DEFAULT_LINE_CHART_SIZE = { width: 760, height: 340 } as const;

interface Frame {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Keeps ticks whose labels do not overlap the previous kept one (along the axis, in px). */
function spacedTicks(
  ticks: readonly AxisTick[],
  position: (v: number) => number,
  extent: (t: AxisTick) => number,
): AxisTick[] {
  const kept: AxisTick[] = [];
  for (const tick of [...ticks].sort((a, b) => position(a.value) - position(b.value))) {
    const previous = kept[kept.length - 1];
    if (
      previous === undefined ||
      Math.abs(position(tick.value) - position(previous.value)) >= (extent(previous) + extent(tick)) / 2
    )
      kept.push(tick);
  }
  return kept;
}

function axes(spec: LineChartSpec, frame: Frame, px: (x: number) => number, py: (y: number) => number): string[] {
  const bottom = frame.top + frame.height;
  const right = frame.left + frame.width;
  const out: string[] = [
    `<rect class="plot-area" x="${coord(frame.left)}" y="${coord(frame.top)}" width="${coord(frame.width)}" height="${coord(frame.height)}" fill="#ffffff" stroke="#d0d7de"/>`,
  ];
  for (const tick of spacedTicks(spec.x.ticks, px, (t) => labelWidthPx(t.label))) {
    const x = coord(px(tick.value));
    out.push(`<line x1="${x}" y1="${coord(frame.top)}" x2="${x}" y2="${coord(bottom)}" stroke="#eaeef2"/>`);
    out.push(
      `<text x="${x}" y="${coord(bottom + 15)}" text-anchor="middle" class="tick">${escapeHtml(tick.label)}</text>`,
    );
  }
  for (const tick of spacedTicks(spec.y.ticks, py, () => 14)) {
    const y = coord(py(tick.value));
    out.push(`<line x1="${coord(frame.left)}" y1="${y}" x2="${coord(right)}" y2="${y}" stroke="#eaeef2"/>`);
    out.push(
      `<text x="${coord(frame.left - 6)}" y="${y}" text-anchor="end" dominant-baseline="middle" class="tick">${escapeHtml(tick.label)}</text>`,
    );
  }
  out.push(
    `<text x="${coord(frame.left + frame.width / 2)}" y="${coord(bottom + 36)}" text-anchor="middle" class="axis-label">${escapeHtml(spec.x.label)}</text>`,
  );
  const yMid = coord(frame.top + frame.height / 2);
  out.push(
    `<text x="14" y="${yMid}" text-anchor="middle" transform="rotate(-90 14 ${yMid})" class="axis-label">${escapeHtml(spec.y.label)}</text>`,
  );
  return out;
}

/** Above this many bands their labels would overlap: the tooltips name them. */
const MAX_LABELLED_BANDS = 6;

function bands(spec: LineChartSpec, frame: Frame, px: (x: number) => number): string[] {
  const all = spec.bands ?? [];
  // A label is written only where it does not run into the previous one (windows close together).
  let labelEnd = Number.NEGATIVE_INFINITY;
  return all.flatMap((band) => {
    const x1 = px(Math.min(band.from, band.to));
    const x2 = px(Math.max(band.from, band.to));
    const frameAttrs = `class="event" x="${coord(x1)}" y="${coord(frame.top)}" width="${coord(Math.max(2, x2 - x1))}" height="${coord(frame.height)}" fill="${EVENT_FILL}"`;
    // Many windows (a fault repeated per trial): shaded only; the scenario's notes and figures name them.
    if (all.length > MAX_LABELLED_BANDS) return [`<rect ${frameAttrs}/>`];
    const rect = `<rect ${frameAttrs}><title>${escapeHtml(band.label)}</title></rect>`;
    if (x1 < labelEnd) return [rect];
    labelEnd = x1 + 3 + labelWidthPx(band.label, 10);
    return [
      rect,
      `<text x="${coord(x1 + 3)}" y="${coord(frame.top + 11)}" class="event-label">${escapeHtml(band.label)}</text>`,
    ];
  });
}

const REFERENCE_STROKE = '#57606a';

function references(spec: LineChartSpec, frame: Frame, px: (x: number) => number, py: (y: number) => number): string[] {
  const out: string[] = [];
  const bottom = frame.top + frame.height;
  const right = frame.left + frame.width;
  let xLabels = 0;
  for (const r of spec.references ?? []) {
    const scale = r.axis === 'y' ? spec.y.scale : spec.x.scale;
    if (!Number.isFinite(r.value) || r.value < scale.min || r.value > scale.max) continue;
    const title = `<title>${escapeHtml(r.label)}</title>`;
    if (r.axis === 'y') {
      const y = coord(py(r.value));
      out.push(
        `<line class="reference" x1="${coord(frame.left)}" y1="${y}" x2="${coord(right)}" y2="${y}" stroke="${REFERENCE_STROKE}" stroke-width="1.5" stroke-dasharray="6 4">${title}</line>`,
        `<text x="${coord(right - 4)}" y="${coord(py(r.value) - 4)}" text-anchor="end" class="reference-label">${escapeHtml(r.label)}</text>`,
      );
    } else {
      const x = coord(px(r.value));
      out.push(
        `<line class="reference" x1="${x}" y1="${coord(frame.top)}" x2="${x}" y2="${coord(bottom)}" stroke="${REFERENCE_STROKE}" stroke-width="1.5" stroke-dasharray="6 4">${title}</line>`,
        // Staggered, so the labels of close lines (promotion, recovery) do not overwrite each other.
        `<text x="${coord(px(r.value) + 4)}" y="${coord(frame.top + 14 + 14 * (xLabels++ % 3))}" class="reference-label">${escapeHtml(r.label)}</text>`,
      );
    }
  }
  for (const m of spec.marks ?? []) {
    if (!Number.isFinite(m.x) || !Number.isFinite(m.y)) continue;
    const [x, y] = [px(m.x), py(m.y)];
    out.push(
      `<path class="mark" d="M${coord(x)},${coord(y - 7)} L${coord(x + 7)},${coord(y)} L${coord(x)},${coord(y + 7)} L${coord(x - 7)},${coord(y)} Z" fill="#ffffff" stroke="#24292f" stroke-width="2"><title>${escapeHtml(m.label)}</title></path>`,
      // Right of the mark, or left of it in the right part of the plot, so the label stays inside.
      x > frame.left + frame.width * 0.6
        ? `<text x="${coord(x - 10)}" y="${coord(y - 8)}" text-anchor="end" class="reference-label">${escapeHtml(m.label)}</text>`
        : `<text x="${coord(x + 10)}" y="${coord(y - 8)}" class="reference-label">${escapeHtml(m.label)}</text>`,
    );
  }
  return out;
}

/** Splits a line at its null or non-finite values into drawable runs. */
function segments(points: readonly ChartPoint[]): ChartPoint[][] {
  const runs: ChartPoint[][] = [[]];
  for (const point of points) {
    if (point.y === null || !Number.isFinite(point.y) || !Number.isFinite(point.x)) {
      if (runs[runs.length - 1].length > 0) runs.push([]);
    } else {
      runs[runs.length - 1].push(point);
    }
  }
  return runs.filter((run) => run.length > 0);
}

function line(chartLine: ChartLine, px: (x: number) => number, py: (y: number) => number): string[] {
  const { color, dash } = chartLine.style;
  const dashAttr = dash === '' ? '' : ` stroke-dasharray="${dash}"`;
  const out: string[] = [
    `<g class="series" data-series="${escapeHtml(chartLine.name)}">`,
    `<title>${escapeHtml(chartLine.name)}</title>`,
  ];
  for (const run of segments(chartLine.points)) {
    if (run.length === 1) {
      out.push(`<circle cx="${coord(px(run[0].x))}" cy="${coord(py(run[0].y as number))}" r="3" fill="${color}"/>`);
      continue;
    }
    const d = run.map((p, i) => `${i === 0 ? 'M' : 'L'}${coord(px(p.x))},${coord(py(p.y as number))}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dashAttr}/>`);
  }
  if (chartLine.markers === true) {
    for (const p of chartLine.points) {
      if (p.y === null || !Number.isFinite(p.y) || !Number.isFinite(p.x) || p.tip === undefined) continue;
      out.push(
        `<circle cx="${coord(px(p.x))}" cy="${coord(py(p.y))}" r="2.2" fill="${color}"><title>${escapeHtml(p.tip)}</title></circle>`,
      );
    }
  }
  out.push('</g>');
  return out;
}

/** A line chart as inline SVG: frame, grid, ticks, shaded bands, then the lines; "no data" when nothing is drawable. */
export function renderLineChart(spec: LineChartSpec): string {
  const width = spec.width ?? DEFAULT_LINE_CHART_SIZE.width;
  const height = spec.height ?? DEFAULT_LINE_CHART_SIZE.height;
  const m = LINE_CHART_MARGIN;
  const frame: Frame = { left: m.left, top: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom };
  const px = (x: number): number => frame.left + spec.x.scale.map(x) * frame.width;
  const py = (y: number): number => frame.top + (1 - spec.y.scale.map(y)) * frame.height;
  const drawable = spec.lines.some((l) => segments(l.points).length > 0);
  const body = [...axes(spec, frame, px, py), ...bands(spec, frame, px)];
  if (drawable) body.push(...spec.lines.flatMap((l) => line(l, px, py)), ...references(spec, frame, px, py));
  else
    body.push(
      `<text x="${coord(frame.left + frame.width / 2)}" y="${coord(frame.top + frame.height / 2)}" text-anchor="middle" class="no-data">no data</text>`,
    );
  return svgDocument({ kind: spec.kind, title: spec.title, width, height }, body);
}
