import type { ClaimVerdict } from '../../../core/claim.ts';
import type { ScenarioPlotData } from '../../report-data.ts';
import { finite, short, verdictColor, verdictTextColor } from './common.ts';
import type { RowMark } from './row-chart.ts';

/** "document: 1000 ms" or "harness's threshold: 1000 ms" (the document gives no figure). */
export function thresholdLabel(v: ClaimVerdict | undefined, text: string): string {
  return v?.thresholdSource === 'harness' ? `harness's threshold: ${text}` : `document: ${text}`;
}

/** The claim's per-trial figures (summary.trials), scaled; [] when absent. */
export function trialFigures(data: ScenarioPlotData, claimId: string, scale = 1): number[] {
  return finite(data.report.trials[claimId] ?? []).map((t) => t * scale);
}

export interface VerdictRowOptions {
  /** Multiplies every figure (e.g. 1e-6 for bytes → MB). */
  readonly scale?: number;
  /** The unit written in the note. */
  readonly unit?: string;
  readonly shape?: 'bar' | 'dot';
  /** Draw the claimed figure as a diamond on the row. */
  readonly doc?: boolean;
}

/**
 * A row for a claim: its measured median in the verdict's colour, the interval over trials as a
 * whisker, each trial as a small dot, and "measured vs claimed — outcome" as its note.
 */
export function verdictRow(
  data: ScenarioPlotData,
  label: string,
  v: ClaimVerdict | undefined,
  options: VerdictRowOptions = {},
): RowMark {
  const scale = options.scale ?? 1;
  const unit = options.unit ?? v?.unit ?? '';
  const measured = v?.measured ?? null;
  const value = measured === null || !Number.isFinite(measured) ? null : measured * scale;
  const interval = v?.interval !== null && v?.interval !== undefined && v.interval.trials > 1 ? v.interval : null;
  const claimed = v === undefined ? null : v.claimed * scale;
  return {
    label,
    value,
    low: interval === null ? null : interval.low * scale,
    high: interval === null ? null : interval.high * scale,
    points: v === undefined ? [] : trialFigures(data, v.claimId, scale),
    color: verdictColor(v),
    shape: options.shape ?? 'bar',
    note:
      v === undefined
        ? 'no verdict'
        : `${short(value, unit)} vs ${short(claimed, unit)}: ${v.outcome}${v.direction === null ? '' : ` (${v.direction})`}`,
    noteColor: verdictTextColor(v),
    ...(options.doc === true && claimed !== null
      ? { doc: claimed, docLabel: thresholdLabel(v, short(claimed, unit)) }
      : {}),
  };
}
