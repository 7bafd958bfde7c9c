import type { ScenarioSeries } from '../../../core/run-summary.ts';
import type { ScenarioPlotData, TimelinePoint } from '../../report-data.ts';
import { scaleTicks } from '../axis-ticks.ts';
import { escapeHtml } from '../escape-html.ts';
import { renderLineChart } from '../line-chart.ts';
import type { ChartBand, ChartLine, ChartReference } from '../line-chart.ts';
import { seriesStyle } from '../palette.ts';
import { MAX_SERIES_PER_CHART } from '../percentile-plot.ts';
import { autoScale, linearScale } from '../plot-scale.ts';
import type { Headline } from './types.ts';
import { finite, findMetric, legendOf, panels, short, valueOf, verdictLine } from './common.ts';

const PANEL_SIZE = { width: 560, height: 280 } as const;
/** Faults drawn (two panels each); the figures table has every fault. */
const MAX_FAULTS = 6;
const CLIENTS = [
  ['naive', "document's client"],
  ['safe', 'safe client'],
] as const;

function seriesLine(name: string, s: ScenarioSeries | undefined, index: number, dash = ''): ChartLine | null {
  if (s === undefined) return null;
  const n = Math.min(s.x.length, s.y.length);
  return {
    name,
    style: { color: seriesStyle(index).color, dash },
    points: Array.from({ length: n }, (_, k) => ({ x: s.x[k], y: s.y[k] })),
  };
}

function timelineLine(
  name: string,
  points: readonly TimelinePoint[],
  field: 'p50Ms' | 'p99Ms',
  index: number,
  dash = '',
): ChartLine {
  return {
    name,
    style: { color: seriesStyle(index).color, dash },
    points: points.map((p) => ({ x: p.startSec + p.durationSec / 2, y: p[field] })),
  };
}

/** Detection and recovery of one fault per client (medians over its windows), for the panel's note. */
function faultNote(data: ScenarioPlotData, fault: string): string {
  return CLIENTS.map(([client, label]) => {
    const at = (name: string): string => short(valueOf(data, `${fault}.${client}.${name}`), 'ms');
    const failed = short(valueOf(data, `${fault}.${client}.failed`));
    return `${label}: detected ${at('detectMs')}, first success after heal ${at('firstSuccessAfterHealMs')}, steady ${at('steadyAfterHealMs')}, ${failed} failed`;
  }).join('; ');
}

/**
 * chaos: per fault, request latency per second (p50 dashed, p99 solid) and completed requests per
 * bucket, the document's client and the safe client overlaid, the fault windows shaded; detection
 * and recovery (medians over the windows) in the caption.
 */
export function chaosHeadline(data: ScenarioPlotData): Headline | null {
  const faults = [...new Set(data.metrics.map((m) => m.name.split('.')[0]))].filter((f) =>
    CLIENTS.some(
      ([c]) => findMetric(data, `${f}.${c}.all`) !== undefined || findMetric(data, `${f}.${c}`) !== undefined,
    ),
  );
  if (faults.length === 0) return null;
  const series = data.report.series ?? {};
  const figures: string[] = [];
  let latencyLegend = '';
  let throughputLegend = '';
  for (const fault of faults.slice(0, MAX_FAULTS)) {
    const bands: ChartBand[] = (data.report.events ?? [])
      .filter((e) => e.label.startsWith(fault))
      .map((e) => ({ from: e.startMs / 1000, to: e.endMs / 1000, label: e.label }));
    const latency: ChartLine[] = CLIENTS.flatMap(([client, label], i) => {
      const metric = findMetric(data, `${fault}.${client}.all`) ?? findMetric(data, `${fault}.${client}`);
      if (metric === undefined || metric.timeline.length === 0) return [];
      return [
        timelineLine(`${label} p99`, metric.timeline, 'p99Ms', i === 0 ? 3 : 0),
        timelineLine(`${label} p50`, metric.timeline, 'p50Ms', i === 0 ? 3 : 0, '4 3'),
      ];
    });
    const throughput = CLIENTS.flatMap(([client, label], i) => {
      const line = seriesLine(label, series[`${fault}.${client} throughput`], i === 0 ? 3 : 0);
      return line === null ? [] : [line];
    });
    // The fault's own span (its windows and the buckets that have values), a second either side.
    const drawn = [...latency, ...throughput].flatMap((l) => l.points.filter((p) => p.y !== null).map((p) => p.x));
    const span = finite([...drawn, ...bands.flatMap((b) => [b.from, b.to])]);
    const x = linearScale(Math.max(0, Math.min(...span) - 1), Math.max(...span) + 1);
    const xAxis = { scale: x, ticks: scaleTicks(x), label: 'seconds since measured start (fault windows shaded)' };
    const notes = faultNote(data, fault);
    if (latency.length > 0) {
      const y = autoScale(finite(latency.flatMap((l) => l.points.map((p) => p.y))), { logAboveRatio: 30 });
      figures.push(
        `<figure><figcaption>${escapeHtml(fault)}: request latency per second</figcaption>${renderLineChart({
          kind: 'headline',
          title: `chaos ${fault}: request latency per second, document's client and safe client`,
          ...PANEL_SIZE,
          x: xAxis,
          y: { scale: y, ticks: scaleTicks(y), label: `ms${y.kind === 'log' ? ' (log)' : ''}` },
          lines: latency,
          bands,
        })}<p class="muted headline-note">${escapeHtml(notes)}</p></figure>`,
      );
      latencyLegend = legendOf(latency);
    }
    if (throughput.length > 0) {
      const y = autoScale(finite(throughput.flatMap((l) => l.points.map((p) => p.y))));
      const first = series[`${fault}.${CLIENTS[0][0]} throughput`] ?? series[`${fault}.${CLIENTS[1][0]} throughput`];
      figures.push(
        `<figure><figcaption>${escapeHtml(fault)}: completed requests</figcaption>${renderLineChart({
          kind: 'headline',
          title: `chaos ${fault}: completed requests per bucket, document's client and safe client`,
          ...PANEL_SIZE,
          x: xAxis,
          y: { scale: y, ticks: scaleTicks(y), label: first?.yLabel ?? 'requests / s' },
          lines: throughput,
          bands,
        })}</figure>`,
      );
      throughputLegend = legendOf(throughput);
    }
  }
  if (figures.length === 0) return null;
  return {
    caption:
      "Per fault: request latency and completed requests over time, the document's client against the safe client, fault windows shaded",
    body: panels(figures) + latencyLegend + throughputLegend,
    note: [
      ...(faults.length > MAX_FAULTS
        ? [`Not drawn here (their figures are in the table below): ${faults.slice(MAX_FAULTS).join(', ')}`]
        : []),
      ...data.report.verdicts
        .filter((v) => v.outcome !== 'not measured')
        .slice(0, 6)
        .map((v) => verdictLine(v)),
    ].join(' · '),
  };
}

/**
 * failover: successful and failed operations per second around the kill, a line per trial, the
 * kill, the promotion and the write recovery (medians over trials) marked.
 */
export function failoverHeadline(data: ScenarioPlotData): Headline | null {
  const series = data.report.series ?? {};
  const trials = [
    ...new Set(
      Object.keys(series)
        .map((k) => /^(trial\d+)\./.exec(k)?.[1])
        .filter((t): t is string => t !== undefined),
    ),
  ].slice(0, MAX_SERIES_PER_CHART);
  if (trials.length === 0) return null;
  const references: ChartReference[] = [{ axis: 'x', value: 0, label: 'kill' }];
  const promotion = valueOf(data, 'promotion-ms');
  const recovery = valueOf(data, 'write-recovery-ms');
  if (promotion !== null)
    references.push({ axis: 'x', value: promotion / 1000, label: `promotion ${short(promotion / 1000, 's')}` });
  if (recovery !== null)
    references.push({ axis: 'x', value: recovery / 1000, label: `writes back ${short(recovery / 1000, 's')}` });
  const chart = (kind: 'ok' | 'failed'): string => {
    const lines = trials.flatMap((t, i) => {
      const line = seriesLine(t, series[`${t}.${kind}-per-second`], i);
      return line === null ? [] : [line];
    });
    if (lines.length === 0) return '';
    const first = series[`${trials[0]}.${kind}-per-second`];
    const xs = finite([...lines.flatMap((l) => l.points.map((p) => p.x)), ...references.map((r) => r.value)]);
    const x = linearScale(Math.min(...xs), Math.max(...xs) + 0.5);
    const y = autoScale(finite(lines.flatMap((l) => l.points.map((p) => p.y))));
    return `<figure><figcaption>${kind === 'ok' ? 'successful' : 'failed'} operations per second</figcaption>${renderLineChart(
      {
        kind: 'headline',
        title: `${data.report.id}: ${kind === 'ok' ? 'successful' : 'failed'} operations per second around the kill`,
        ...PANEL_SIZE,
        x: { scale: x, ticks: scaleTicks(x), label: first?.xLabel ?? 's from the kill' },
        y: { scale: y, ticks: scaleTicks(y), label: first?.yLabel ?? 'ops/s' },
        lines,
        references,
      },
    )}</figure>`;
  };
  const charts = [chart('ok'), chart('failed')].filter((c) => c !== '');
  if (charts.length === 0) return null;
  const legendLines = trials.map((t, i) => ({ name: t, style: seriesStyle(i), points: [] }));
  return {
    caption:
      'Writes around the master kill, a line per trial: successful and failed operations per second; kill, promotion and recovery marked',
    body: panels(charts) + legendOf(legendLines),
    note: [
      `p99 before the kill ${short(valueOf(data, 'steady-p99-ms'), 'ms')}, during the failover ${short(valueOf(data, 'during-failover-p99-ms'), 'ms')}; lost acknowledged writes ${short(valueOf(data, 'lost-acknowledged-writes'))}`,
      ...data.report.verdicts.map((v) => verdictLine(v)),
    ].join(' · '),
  };
}
