import type { ScenarioSeries } from '../core/run-summary.ts';

/** A scenario's named curves grouped by their axis labels (the curves of one table or chart), in first-seen order. */
export function groupSeriesByAxes(series: Readonly<Record<string, ScenarioSeries>>): [string, ScenarioSeries][][] {
  const groups = new Map<string, [string, ScenarioSeries][]>();
  for (const entry of Object.entries(series)) {
    const key = JSON.stringify([entry[1].xLabel, entry[1].yLabel]);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()];
}
