import type { VerdictOutcome } from '../../core/claim.ts';

/** d3's category10: distinguishable on white; beyond ten series the colours repeat dashed. */
const SERIES_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
const REPEAT_DASHES = ['', '6 3', '2 2', '8 3 2 3'];

export interface SeriesStyle {
  readonly color: string;
  /** SVG stroke-dasharray; empty for a solid line. */
  readonly dash: string;
}

export function seriesStyle(index: number): SeriesStyle {
  const i = Math.max(0, Math.floor(index));
  return {
    color: SERIES_COLORS[i % SERIES_COLORS.length],
    dash: REPEAT_DASHES[Math.floor(i / SERIES_COLORS.length) % REPEAT_DASHES.length],
  };
}

/** Verdict colours: text on a light background, both readable (WCAG AA contrast). */
export const OUTCOME_COLORS: Readonly<
  Record<VerdictOutcome, { readonly text: string; readonly background: string; readonly mark: string }>
> = {
  holds: { text: '#0f5323', background: '#d3f5dc', mark: '#2da44e' },
  'does not hold': { text: '#82071e', background: '#ffdcd7', mark: '#cf222e' },
  inconclusive: { text: '#6b4400', background: '#fff1c2', mark: '#d4a72c' },
  'not measured': { text: '#3d444d', background: '#e6e8eb', mark: '#8c959f' },
};

/** Timeline lines, the same in every small multiple so one legend serves them all. */
export const TIMELINE_STYLES = {
  p50: { color: '#1f77b4', dash: '' },
  p99: { color: '#d62728', dash: '' },
  max: { color: '#7f7f7f', dash: '2 2' },
} as const satisfies Record<string, SeriesStyle>;

export const EVENT_FILL = 'rgba(212, 167, 44, 0.22)';
