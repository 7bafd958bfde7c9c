import type { ClaimVerdict } from '../../core/claim.ts';
import { formatFigure, isYesNoRule } from '../../analysis/verdict.ts';
import { claimedText, measuredText, verdictRuleText } from '../claims-table.ts';
import { escapeHtml } from './escape-html.ts';
import { OUTCOME_COLORS } from './palette.ts';
import { logScale } from './plot-scale.ts';
import { coord, svgDocument } from './svg-document.ts';

const WIDTH = 860;
const LABEL_WIDTH = 200;
const TEXT_WIDTH = 250;
const TOP = 22;
const ROW_HEIGHT = 26;
const AXIS_HEIGHT = 38;
const MAX_LABEL_CHARS = 30;
const REFERENCE_COLOR = '#57606a';

function shortened(text: string): string {
  return text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 1)}…` : text;
}

/** measured / claimed, or null when the claim has no figure to divide by (yes/no rules, a claimed 0). */
export function claimRatio(v: ClaimVerdict, value: number | null = v.measured): number | null {
  if (value === null || !Number.isFinite(value) || isYesNoRule(v.rule)) return null;
  if (!(v.claimed > 0) || !(value > 0)) return null;
  return value / v.claimed;
}

/** Whole decades around 1 that hold every drawn ratio (interval ends included), 1/10 .. 10 at least. */
function ratioDomain(verdicts: readonly ClaimVerdict[]): [number, number] {
  const ratios = verdicts.flatMap((v) =>
    [v.measured, v.interval?.low ?? null, v.interval?.high ?? null].map((x) => claimRatio(v, x)),
  );
  const finite = ratios.filter((r): r is number => r !== null && Number.isFinite(r));
  const lo = Math.min(0.1, ...finite);
  const hi = Math.max(10, ...finite);
  return [10 ** Math.max(-6, Math.floor(Math.log10(lo))), 10 ** Math.min(6, Math.ceil(Math.log10(hi)))];
}

function ratioLabel(ratio: number): string {
  if (ratio === 1) return '= claim';
  return ratio > 1 ? `${Number(ratio.toPrecision(2))}x` : `1/${Number((1 / ratio).toPrecision(2))}`;
}

/** "0.403 ms vs 5 ms", "0 count (never observed)": the median; the interval is in the tooltips. */
function rowText(v: ClaimVerdict): string {
  if (v.measured === null) return v.outcome;
  const measured = formatFigure(v.measured, v.unit);
  const claimed = claimedText(v);
  return claimed === '—' ? `${measured} (${verdictRuleText(v)})` : `${measured} vs ${claimed}`;
}

/**
 * The generic headline: every claim of a scenario on one axis, measured / claimed on a log scale,
 * so claims in ms, x, % and bytes share it. The document's figure is the vertical line at 1; each
 * claim's median is a dot in its verdict's colour with its interval as a whisker; the figures are
 * written out at the right. Yes/no claims and unmeasured ones are text only. '' without verdicts.
 */
export function renderClaimsHeadline(title: string, verdicts: readonly ClaimVerdict[]): string {
  if (verdicts.length === 0) return '';
  const [lo, hi] = ratioDomain(verdicts);
  const scale = logScale(lo, hi);
  const plotLeft = LABEL_WIDTH;
  const plotWidth = WIDTH - LABEL_WIDTH - TEXT_WIDTH;
  const px = (ratio: number): number => plotLeft + scale.map(ratio) * plotWidth;
  const bottom = TOP + verdicts.length * ROW_HEIGHT;
  const body: string[] = [
    `<rect class="plot-area" x="${plotLeft}" y="${TOP}" width="${plotWidth}" height="${bottom - TOP}" fill="#ffffff" stroke="#d0d7de"/>`,
  ];
  for (let e = Math.round(Math.log10(lo)); e <= Math.round(Math.log10(hi)); e++) {
    const x = coord(px(10 ** e));
    body.push(
      `<line x1="${x}" y1="${TOP}" x2="${x}" y2="${bottom}" stroke="#eaeef2"/>`,
      `<text x="${x}" y="${bottom + 14}" text-anchor="middle" class="tick">${escapeHtml(ratioLabel(10 ** e))}</text>`,
    );
  }
  const one = coord(px(1));
  body.push(
    `<line class="reference" x1="${one}" y1="${TOP - 6}" x2="${one}" y2="${bottom}" stroke="${REFERENCE_COLOR}" stroke-width="2"><title>the document's figure (measured = claimed)</title></line>`,
    `<text x="${one}" y="${TOP - 9}" text-anchor="middle" class="axis-label">document's figure</text>`,
    `<text x="${coord(plotLeft + plotWidth / 2)}" y="${bottom + 31}" text-anchor="middle" class="axis-label">measured / claimed (log scale); whisker: interval over trials</text>`,
    `<text x="${WIDTH - TEXT_WIDTH + 8}" y="${TOP - 9}" class="axis-label">measured vs claimed</text>`,
  );
  verdicts.forEach((v, i) => {
    const mid = TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2;
    const colors = OUTCOME_COLORS[v.outcome];
    body.push(
      `<text x="${LABEL_WIDTH - 8}" y="${coord(mid)}" text-anchor="end" dominant-baseline="middle" class="bar-label"><title>${escapeHtml(`${v.claimId}: ${v.quote}`)}</title>${escapeHtml(shortened(v.claimId))}</text>`,
    );
    body.push(
      `<rect x="${WIDTH - TEXT_WIDTH + 6}" y="${coord(mid - 6)}" width="12" height="12" rx="3" fill="${colors.mark}"><title>${escapeHtml(v.outcome)}</title></rect>`,
      `<text x="${WIDTH - TEXT_WIDTH + 24}" y="${coord(mid)}" dominant-baseline="middle" class="bar-value" style="fill:${colors.text}"><title>${escapeHtml(`${v.outcome}: ${v.explanation}`)}</title>${escapeHtml(rowText(v))}</text>`,
    );
    const ratio = claimRatio(v);
    if (ratio === null) {
      const rule = isYesNoRule(v.rule)
        ? `yes/no claim: ${verdictRuleText(v)}`
        : v.measured === null
          ? v.outcome
          : 'no ratio to the claim';
      body.push(
        `<rect x="${plotLeft + 1}" y="${coord(mid - 9)}" width="${plotWidth - 2}" height="18" fill="${colors.background}"/>`,
        `<text x="${coord(plotLeft + plotWidth / 2)}" y="${coord(mid)}" text-anchor="middle" dominant-baseline="middle" class="tick" style="fill:${colors.text}">${escapeHtml(`${rule}: ${v.outcome}`)}</text>`,
      );
      return;
    }
    const low = v.interval && v.interval.trials > 1 ? claimRatio(v, v.interval.low) : null;
    const high = v.interval && v.interval.trials > 1 ? claimRatio(v, v.interval.high) : null;
    if (low !== null && high !== null) {
      const [a, b] = [coord(px(low)), coord(px(high))];
      body.push(
        `<path d="M${a},${coord(mid)} L${b},${coord(mid)} M${a},${coord(mid - 5)} L${a},${coord(mid + 5)} M${b},${coord(mid - 5)} L${b},${coord(mid + 5)}" stroke="${colors.mark}" stroke-width="2" fill="none"/>`,
      );
    }
    body.push(
      `<circle cx="${coord(px(ratio))}" cy="${coord(mid)}" r="5.5" fill="${colors.mark}" stroke="#24292f" stroke-width="0.8"><title>${escapeHtml(`${v.claimId}: ${measuredText(v)} (${ratio === 1 ? 'equal to the claim' : `${ratioLabel(ratio)} of the claim`}), ${v.outcome}`)}</title></circle>`,
    );
  });
  return svgDocument({ kind: 'claims', title, width: WIDTH, height: bottom + AXIS_HEIGHT }, body);
}
