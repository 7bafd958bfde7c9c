import type { ClaimVerdict } from '../../../core/claim.ts';
import { measuredText } from '../../claims-table.ts';
import type { MetricPlotData, ScenarioPlotData } from '../../report-data.ts';
import { renderLegend } from '../chart-legend.ts';
import type { ChartLine } from '../line-chart.ts';
import { OUTCOME_COLORS } from '../palette.ts';

/** A metric's whole-run p50 (or another summary percentile) in ms; null when absent or empty. */
export function metricMs(
  data: ScenarioPlotData,
  name: string,
  field: 'p50Ns' | 'p90Ns' | 'p99Ns' | 'p999Ns' | 'maxNs' = 'p50Ns',
): number | null {
  const metric = data.metrics.find((m) => m.name === name);
  const ns = metric?.report.summary[field] ?? null;
  return ns === null || !Number.isFinite(ns) ? null : ns / 1e6;
}

export function findMetric(data: ScenarioPlotData, name: string): MetricPlotData | undefined {
  return data.metrics.find((m) => m.name === name);
}

/** A named figure of the scenario (summary.values), null when absent or not finite. */
export function valueOf(data: ScenarioPlotData, name: string): number | null {
  const v = data.report.values[name]?.value ?? null;
  return v === null || !Number.isFinite(v) ? null : v;
}

export function verdictOf(data: ScenarioPlotData, claimId: string): ClaimVerdict | undefined {
  return data.report.verdicts.find((v) => v.claimId === claimId);
}

/** "claim-id: 0.26 ms [0.22 .. 0.37] — does not hold" for a caption or note. */
export function verdictLine(v: ClaimVerdict | undefined): string {
  if (v === undefined) return '';
  return `${v.claimId}: ${measuredText(v)} vs claimed ${v.claimed} ${v.unit} — ${v.outcome}${v.direction === null ? '' : ` (${v.direction})`}`;
}

/** The verdict's mark colour (dots, lines drawn for a claim); grey when there is no verdict. */
export function verdictColor(v: ClaimVerdict | undefined): string {
  return OUTCOME_COLORS[v?.outcome ?? 'not measured'].mark;
}

export function verdictTextColor(v: ClaimVerdict | undefined): string {
  return OUTCOME_COLORS[v?.outcome ?? 'not measured'].text;
}

export function legendOf(lines: readonly ChartLine[]): string {
  return renderLegend(lines.map((l) => ({ name: l.name, style: l.style })));
}

/** Charts side by side (a panel each), wrapping on narrow screens. */
export function panels(charts: readonly string[]): string {
  return `<div class="headline-panels">${charts.join('\n')}</div>`;
}

export function finite(values: readonly (number | null | undefined)[]): number[] {
  return values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
}

/** "4.1x" / "0.26 ms": three significant digits. */
export function short(value: number | null, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const text = String(Number(value.toPrecision(3)));
  return unit === '' ? text : unit === 'x' || unit === '%' ? `${text}${unit}` : `${text} ${unit}`;
}
