import type { ClaimVerdict } from '../../../core/claim.ts';
import type { ScenarioPlotData } from '../../report-data.ts';

/** Helpers for the headline tests: count matches, add trials and parameters, a harness threshold. */
export function count(html: string, pattern: RegExp): number {
  return html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

/** A fixture scenario with per-trial figures and parameters (scenario() leaves them empty). */
export function withRun(
  data: ScenarioPlotData,
  trials: Record<string, number[]>,
  parameters: Record<string, unknown> = {},
): ScenarioPlotData {
  return { ...data, report: { ...data.report, trials, parameters } };
}

export function harness(v: ClaimVerdict): ClaimVerdict {
  return { ...v, thresholdSource: 'harness', thresholdReason: 'the document gives no figure' };
}
