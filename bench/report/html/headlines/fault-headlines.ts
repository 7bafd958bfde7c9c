import type { ScenarioSeries } from '../../../core/run-summary.ts';
import type { ScenarioPlotData, TimelinePoint } from '../../report-data.ts';
import { scaleTicks } from '../axis-ticks.ts';
import { escapeHtml } from '../escape-html.ts';
import { renderLineChart } from '../line-chart.ts';
import type { ChartBand, ChartLine, ChartPoint, ChartReference } from '../line-chart.ts';
import { seriesStyle } from '../palette.ts';
import { MAX_SERIES_PER_CHART } from '../percentile-plot.ts';
import { autoScale, linearScale } from '../plot-scale.ts';
import type { Headline } from './types.ts';
import { finite, findMetric, legendOf, panels, short, valueOf, verdictLine } from './common.ts';

const PANEL_SIZE = { width: 560, height: 280 } as const;
/** The errors panel under a fault's latency panel. */
const LOWER_PANEL_HEIGHT = 200;
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
    const capped = short(valueOf(data, `${fault}.${client}.capped`));
    return `${label}: detected ${at('detectMs')}, first success after heal ${at('firstSuccessAfterHealMs')}, steady ${at('steadyAfterHealMs')}, ${failed} failed + ${capped} capped`;
  }).join('; ');
}

/** The chaos timelines' bucket in seconds: the run's bucketMs, else the smallest step between points. */
function bucketSeconds(data: ScenarioPlotData, series: readonly (ScenarioSeries | undefined)[]): number | null {
  const param = data.report.parameters.bucketMs;
  if (typeof param === 'number' && param > 0) return param / 1000;
  const steps = series.flatMap((s) => (s === undefined ? [] : s.x.slice(1).map((x, k) => x - s.x[k]!)));
  const positive = steps.filter((d) => d > 0);
  return positive.length === 0 ? null : Math.min(...positive);
}

/**
 * A per-bucket series drawn at its buckets' middles, broken (a null point) where buckets are missing:
 * the gap between one window of a client and its next.
 */
function bucketLine(
  name: string,
  s: ScenarioSeries | undefined,
  index: number,
  bucketSec: number | null,
  dash = '',
): ChartLine | null {
  if (s === undefined) return null;
  const n = Math.min(s.x.length, s.y.length);
  const half = bucketSec === null ? 0 : bucketSec / 2;
  const points: ChartPoint[] = [];
  for (let k = 0; k < n; k++) {
    const x = s.x[k]!;
    const previous = k === 0 ? null : s.x[k - 1]!;
    if (bucketSec !== null && previous !== null && x - previous > bucketSec * 1.5)
      points.push({ x: previous + bucketSec, y: null });
    points.push({ x: x + half, y: s.y[k] ?? null });
  }
  return { name, style: { color: seriesStyle(index).color, dash }, points };
}

/**
 * Request latency of one fault: the windows laid over each other (the aligned bucket series) when
 * `aligned`, else each client's metric timeline (per recorder interval, about a second).
 */
function latencyLines(data: ScenarioPlotData, fault: string, bucketSec: number | null, aligned: boolean): ChartLine[] {
  const series = data.report.series ?? {};
  return CLIENTS.flatMap(([client, label], i) => {
    if (aligned)
      return (
        [
          ['p99', ''],
          ['p50', '4 3'],
        ] as const
      ).flatMap(([p, dash]) => {
        const line = bucketLine(
          `${label} ${p}`,
          series[`${fault}.${client} latency ${p}${ALIGNED}`],
          CLIENT_COLOR[i]!,
          bucketSec,
          dash,
        );
        return line === null ? [] : [line];
      });
    const metric = findMetric(data, `${fault}.${client}.all`) ?? findMetric(data, `${fault}.${client}`);
    if (metric === undefined || metric.timeline.length === 0) return [];
    return [
      timelineLine(`${label} p99`, metric.timeline, 'p99Ms', CLIENT_COLOR[i]!),
      timelineLine(`${label} p50`, metric.timeline, 'p50Ms', CLIENT_COLOR[i]!, '4 3'),
    ];
  });
}

/** Series colours of the clients: the document's client red, the safe client blue. */
const CLIENT_COLOR = [3, 0] as const;

/** Suffix of the series whose windows are laid over each other on their injects (x: seconds from the inject). */
const ALIGNED = ' from inject';

/** Every window of the fault as a shaded band (the series over the whole run). */
function windowBands(data: ScenarioPlotData, fault: string): ChartBand[] {
  return (data.report.events ?? [])
    .filter((e) => e.label.startsWith(`${fault} `))
    .map((e) => ({ from: e.startMs / 1000, to: e.endMs / 1000, label: e.label }));
}

/** "6 windows per client", counted from the fault's events. */
function windowsText(data: ScenarioPlotData, fault: string): string {
  const counts = CLIENTS.map(
    ([client]) => (data.report.events ?? []).filter((e) => e.label.startsWith(`${fault} (${client})`)).length,
  );
  const most = Math.max(...counts);
  return most > 0 ? `${most} window${most === 1 ? '' : 's'} per client` : 'the windows';
}

/** What a fault's two panels mark: the shaded windows, and reference lines per panel. */
interface FaultMarks {
  readonly bands: ChartBand[];
  /** The errors panel's bands: the same, unlabelled (its detection labels sit where a band label would). */
  readonly lowerBands: ChartBand[];
  /** On the latency panel: each client's recovery. */
  readonly upper: ChartReference[];
  /** On the errors panel: each client's detection. */
  readonly lower: ChartReference[];
}

/**
 * The windows laid over each other: the fault shaded from the inject to the heal (the longer of the
 * two clients' medians); each client's recovery (heal + first success, medians over its windows) on
 * the latency panel and its detection on the errors panel, two labels a panel so they stay apart.
 */
function alignedMarks(data: ScenarioPlotData, fault: string): FaultMarks {
  const heals = finite(CLIENTS.map(([client]) => valueOf(data, `${fault}.${client}.healAfterInjectMs`)));
  const healSec = heals.length === 0 ? null : Math.max(...heals) / 1000;
  const band = (label: string): ChartBand[] => (healSec === null ? [] : [{ from: 0, to: healSec, label }]);
  const upper: ChartReference[] = [];
  const lower: ChartReference[] = [];
  CLIENTS.forEach(([client], i) => {
    const who = SHORT_CLIENT[i]!;
    const detect = valueOf(data, `${fault}.${client}.detectMs`);
    const success = valueOf(data, `${fault}.${client}.firstSuccessAfterHealMs`);
    const heal = valueOf(data, `${fault}.${client}.healAfterInjectMs`);
    if (detect !== null) lower.push({ axis: 'x', value: detect / 1000, label: `${who} detected` });
    if (success !== null && heal !== null)
      upper.push({ axis: 'x', value: (heal + success) / 1000, label: `${who} recovered` });
  });
  return { bands: band('fault (median)'), lowerBands: band(''), upper, lower };
}

/** The clients in marker labels, in CLIENTS' order. */
const SHORT_CLIENT = ["doc's", 'safe'] as const;

/** Failed requests per second of both clients, else (older runs) completed requests per bucket. */
function countLines(
  data: ScenarioPlotData,
  fault: string,
  bucketSec: number | null,
  suffix: string,
): { hasErrors: boolean; lower: 'errors' | 'throughput'; counts: ChartLine[] } {
  const series = data.report.series ?? {};
  const hasErrors = CLIENTS.some(([client]) => series[`${fault}.${client} errors${suffix}`] !== undefined);
  const lower = hasErrors ? 'errors' : 'throughput';
  const counts = CLIENTS.flatMap(([client, label], i) => {
    const line = bucketLine(
      `${label} ${hasErrors ? 'failed / s' : 'completed / s'}`,
      series[`${fault}.${client} ${lower}${suffix}`],
      CLIENT_COLOR[i]!,
      bucketSec,
    );
    return line === null ? [] : [line];
  });
  return { hasErrors, lower, counts };
}

/** One fault's column: its latency panel and, under it, its errors panel (the lines go to `legends`). */
function faultColumn(
  data: ScenarioPlotData,
  fault: string,
  bucketSec: number | null,
  legends: Map<string, ChartLine>,
): string | null {
  const series = data.report.series ?? {};
  const aligned = CLIENTS.some(([client]) => series[`${fault}.${client} errors${ALIGNED}`] !== undefined);
  const suffix = aligned ? ALIGNED : '';
  const marks: FaultMarks = aligned
    ? alignedMarks(data, fault)
    : { bands: windowBands(data, fault), lowerBands: windowBands(data, fault), upper: [], lower: [] };
  const { bands } = marks;
  const latency = latencyLines(data, fault, bucketSec, aligned);
  const { hasErrors, lower, counts } = countLines(data, fault, bucketSec, suffix);
  // The fault's own span (its windows and the buckets that have values), a little either side.
  const drawn = [...latency, ...counts].flatMap((l) => l.points.filter((p) => p.y !== null).map((p) => p.x));
  const span = finite([
    ...drawn,
    ...bands.flatMap((b) => [b.from, b.to]),
    ...[...marks.upper, ...marks.lower].map((r) => r.value),
  ]);
  const pad = aligned ? (bucketSec ?? 0.1) : 1;
  const x = linearScale(
    aligned ? Math.min(...span) - pad : Math.max(0, Math.min(...span) - pad),
    Math.max(...span) + pad,
  );
  const xAxis = {
    scale: x,
    ticks: scaleTicks(x),
    label: aligned
      ? `seconds from the inject (${windowsText(data, fault)} laid over each other; fault shaded)`
      : 'seconds since measured start (fault windows shaded)',
  };
  const bucketText = aligned && bucketSec !== null ? `per ${short(bucketSec * 1000, 'ms')} bucket` : 'per second';
  const figures: string[] = [];
  if (latency.length > 0) {
    const y = autoScale(finite(latency.flatMap((l) => l.points.map((p) => p.y))), { logAboveRatio: 30 });
    figures.push(
      `<figure><figcaption>${escapeHtml(fault)}: request latency ${escapeHtml(bucketText)}</figcaption>${renderLineChart(
        {
          kind: 'headline',
          title: `chaos ${fault}: request latency ${bucketText}, document's client and safe client`,
          ...PANEL_SIZE,
          x: xAxis,
          y: { scale: y, ticks: scaleTicks(y), label: `latency ms${y.kind === 'log' ? ' (log)' : ''}` },
          lines: latency,
          bands,
          references: marks.upper,
        },
      )}</figure>`,
    );
    for (const l of latency) legends.set(l.name, l);
  }
  if (counts.length > 0) {
    const y = autoScale(finite(counts.flatMap((l) => l.points.map((p) => p.y))));
    const what = hasErrors
      ? `failed requests per second (threw or capped${aligned ? ', mean over the windows' : ''})`
      : 'completed requests per bucket';
    figures.push(
      `<figure data-chaos-panel="${lower}"><figcaption>${escapeHtml(fault)}: ${what}</figcaption>${renderLineChart({
        kind: 'headline',
        title: `chaos ${fault}: ${what}, document's client and safe client`,
        ...PANEL_SIZE,
        height: LOWER_PANEL_HEIGHT,
        x: xAxis,
        y: { scale: y, ticks: scaleTicks(y), label: hasErrors ? 'failed requests / s' : 'completed requests / s' },
        lines: counts,
        bands: marks.lowerBands,
        references: marks.lower,
      })}</figure>`,
    );
    for (const l of counts) legends.set(l.name, l);
  }
  if (figures.length === 0) return null;
  return `<div class="headline-column">${figures.join('\n')}<p class="muted headline-note">${escapeHtml(faultNote(data, fault))}</p></div>`;
}

/**
 * chaos: per fault, a column of two panels over the same time axis, the document's client and the
 * safe client overlaid, the fault windows shaded: request latency per bucket (p50 dashed, p99
 * solid), and under it failed requests per second (threw or capped); detection and recovery
 * (medians over the windows) in the note. A run without the errors series (older runs) gets
 * completed requests per bucket instead.
 */
export function chaosHeadline(data: ScenarioPlotData): Headline | null {
  const faults = [...new Set(data.metrics.map((m) => m.name.split('.')[0]))].filter((f) =>
    CLIENTS.some(
      ([c]) => findMetric(data, `${f}.${c}.all`) !== undefined || findMetric(data, `${f}.${c}`) !== undefined,
    ),
  );
  if (faults.length === 0) return null;
  const series = data.report.series ?? {};
  const bucketSec = bucketSeconds(data, Object.values(series));
  const columns: string[] = [];
  const legends = new Map<string, ChartLine>();
  for (const fault of faults.slice(0, MAX_FAULTS)) {
    const column = faultColumn(data, fault, bucketSec, legends);
    if (column !== null) columns.push(column);
  }
  if (columns.length === 0) return null;
  return {
    caption:
      "Per fault: request latency and failed requests per second over time, the document's client against the safe client, fault windows shaded",
    body: panels(columns) + legendOf([...legends.values()]),
    // The windows laid over each other from the inject are drawn here whole, for the faults shown.
    drawnSeries: Object.keys(series).filter(
      (name) => name.endsWith(ALIGNED) && faults.slice(0, MAX_FAULTS).includes(name.split('.')[0]!),
    ),
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
    drawnSeries: trials.flatMap((t) =>
      (['ok', 'failed'] as const).map((kind) => `${t}.${kind}-per-second`).filter((name) => series[name] !== undefined),
    ),
    note: [
      `p99 before the kill ${short(valueOf(data, 'steady-p99-ms'), 'ms')}, during the failover ${short(valueOf(data, 'during-failover-p99-ms'), 'ms')}; lost acknowledged writes ${short(valueOf(data, 'lost-acknowledged-writes'))}`,
      ...data.report.verdicts.map((v) => verdictLine(v)),
    ].join(' · '),
  };
}
