import type { ScenarioPlotData } from '../../report-data.ts';

/** A headline chart: its caption, the chart (SVG and legend), an optional one-line reading note. */
export interface Headline {
  readonly caption: string;
  readonly body: string;
  readonly note?: string;
  /** Names of the scenario's series the headline draws in full: the Curves fold leaves them out. */
  readonly drawnSeries?: readonly string[];
}

/** Builds a scenario's headline from its summary; null when the figures it needs are missing. */
export type HeadlineRenderer = (data: ScenarioPlotData) => Headline | null;
