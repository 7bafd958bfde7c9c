import type { ClaimVerdict } from '../../core/claim.ts';
import { formatFigure } from '../../analysis/verdict.ts';
import { linearTicks } from './axis-ticks.ts';
import { measuredText } from '../claims-table.ts';
import { escapeHtml } from './escape-html.ts';
import { OUTCOME_COLORS } from './palette.ts';
import { linearScale } from './plot-scale.ts';
import { coord, svgDocument } from './svg-document.ts';

const WIDTH = 760;
const LABEL_WIDTH = 230;
const RIGHT = 16;
const TOP = 10;
const ROW_HEIGHT = 48;
const AXIS_HEIGHT = 40;
/** Room right of the longest bar for its value label. */
const HEADROOM = 1.5;
const CLAIMED_FILL = '#afb8c1';
const MAX_LABEL_CHARS = 34;

function shortened(text: string): string {
  return text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 1)}…` : text;
}

/** Only verdicts whose unit is 'x' (speedups and ratios) are drawn; returns '' when there are none. */
export function speedupVerdicts(verdicts: readonly ClaimVerdict[]): ClaimVerdict[] {
  return verdicts.filter((v) => v.unit === 'x');
}

/**
 * Per claim, a grey bar for the claimed factor and a bar in the verdict's colour for the measured
 * median, with its interval.
 */
export function renderSpeedupBars(title: string, verdicts: readonly ClaimVerdict[]): string {
  const rows = speedupVerdicts(verdicts);
  if (rows.length === 0) return '';
  const figures = rows.flatMap((v) => [v.claimed, v.measured ?? 0, v.interval?.high ?? 0, 1]).filter(Number.isFinite);
  const scale = linearScale(0, Math.max(...figures) * HEADROOM);
  const plotWidth = WIDTH - LABEL_WIDTH - RIGHT;
  const px = (value: number): number => LABEL_WIDTH + scale.map(value) * plotWidth;
  const height = TOP + rows.length * ROW_HEIGHT + AXIS_HEIGHT;
  const bottom = TOP + rows.length * ROW_HEIGHT;
  const body: string[] = [
    `<rect class="plot-area" x="${LABEL_WIDTH}" y="${TOP}" width="${plotWidth}" height="${bottom - TOP}" fill="#ffffff" stroke="#d0d7de"/>`,
  ];
  for (const tick of linearTicks(scale.min, scale.max, 6)) {
    const x = coord(px(tick.value));
    body.push(
      `<line x1="${x}" y1="${TOP}" x2="${x}" y2="${bottom}" stroke="#eaeef2"/>`,
      `<text x="${x}" y="${bottom + 15}" text-anchor="middle" class="tick">${escapeHtml(tick.label)}x</text>`,
    );
  }
  const one = coord(px(1));
  body.push(
    `<line x1="${one}" y1="${TOP}" x2="${one}" y2="${bottom}" stroke="#57606a" stroke-dasharray="4 3"><title>1x: no speedup</title></line>`,
  );
  body.push(
    `<text x="${coord(LABEL_WIDTH + plotWidth / 2)}" y="${bottom + 34}" text-anchor="middle" class="axis-label">factor (x); dashed line: 1x</text>`,
  );
  rows.forEach((v, i) => {
    const y = TOP + i * ROW_HEIGHT;
    const colors = OUTCOME_COLORS[v.outcome];
    const claimedText = `claimed ${formatFigure(v.claimed, v.unit)}`;
    body.push(
      `<text x="${LABEL_WIDTH - 8}" y="${coord(y + ROW_HEIGHT / 2)}" text-anchor="end" dominant-baseline="middle" class="bar-label"><title>${escapeHtml(`${v.claimId}: ${v.quote}`)}</title>${escapeHtml(shortened(v.claimId))}</text>`,
    );
    body.push(
      `<rect x="${LABEL_WIDTH}" y="${coord(y + 8)}" width="${coord(px(v.claimed) - LABEL_WIDTH)}" height="12" fill="${CLAIMED_FILL}"><title>${escapeHtml(`${claimedText}: ${v.quote}`)}</title></rect>`,
    );
    body.push(
      `<text x="${coord(px(v.claimed) + 5)}" y="${coord(y + 14)}" dominant-baseline="middle" class="bar-value">${escapeHtml(claimedText)}</text>`,
    );
    if (v.measured === null || !Number.isFinite(v.measured)) {
      body.push(
        `<text x="${LABEL_WIDTH + 5}" y="${coord(y + 32)}" dominant-baseline="middle" class="bar-value">not measured</text>`,
      );
      return;
    }
    const measured = measuredText(v);
    body.push(
      `<rect x="${LABEL_WIDTH}" y="${coord(y + 24)}" width="${coord(px(v.measured) - LABEL_WIDTH)}" height="16" fill="${colors.mark}"><title>${escapeHtml(`measured ${measured}: ${v.outcome}`)}</title></rect>`,
    );
    let textX = px(v.measured);
    // The whisker goes with the interval measuredText shows: only when there are trials to make one.
    if (v.interval && v.interval.trials > 1) {
      const [lo, hi] = [coord(px(v.interval.low)), coord(px(v.interval.high))];
      const mid = coord(y + 32);
      body.push(
        `<path d="M${lo},${mid} L${hi},${mid} M${lo},${coord(y + 27)} L${lo},${coord(y + 37)} M${hi},${coord(y + 27)} L${hi},${coord(y + 37)}" stroke="#24292f" stroke-width="1.5" fill="none"/>`,
      );
      textX = Math.max(textX, px(v.interval.high));
    }
    body.push(
      `<text x="${coord(textX + 5)}" y="${coord(y + 32)}" dominant-baseline="middle" class="bar-value">${escapeHtml(measured)}</text>`,
    );
  });
  return svgDocument({ kind: 'speedup', title, width: WIDTH, height }, body);
}
