import type { LatencySummary } from '../../../core/run-summary.ts';
import type { ScenarioPlotData } from '../../report-data.ts';
import { renderLegend } from '../chart-legend.ts';
import { scaleTicks } from '../axis-ticks.ts';
import { renderLineChart } from '../line-chart.ts';
import type { ChartLine, ChartReference } from '../line-chart.ts';
import { seriesStyle } from '../palette.ts';
import { renderPercentilePlot } from '../percentile-plot.ts';
import { autoScale, logScale } from '../plot-scale.ts';
import { renderStackedBars } from '../stacked-bars.ts';
import type { BarRow } from '../stacked-bars.ts';
import type { Headline } from './types.ts';
import { findMetric, finite, legendOf, panels, short, valueOf, verdictLine, verdictOf } from './common.ts';
import { parseLabelled } from './curve-headlines.ts';

const PANEL_SIZE = { width: 560, height: 300 } as const;
const LOST = '#cf222e';

/** http-signals: the latency distribution of /signal requests with and without the cache (percentile plot). */
export function httpSignalsHeadline(data: ScenarioPlotData): Headline | null {
  const wanted: [string, string][] = [
    ['http.mix.no-cache', 'mix of 5, no cache'],
    ['http.mix.80pct-hit', 'mix of 5, 80% hits'],
    ['http.no-cache', 'no cache (load)'],
    ['http.warm', 'warm cache (load)'],
    ['http.cold', 'cold cache (load)'],
  ];
  const series = wanted.flatMap(([name, label]) => {
    const m = findMetric(data, name);
    return m === undefined || m.percentiles.length === 0 ? [] : [{ name: label, points: m.percentiles }];
  });
  if (series.length === 0) return null;
  const noCache = verdictOf(data, 'http.mix-no-cache');
  const withCache = verdictOf(data, 'http.mix-with-cache');
  const references: ChartReference[] = [
    ...(noCache === undefined
      ? []
      : [{ axis: 'y' as const, value: noCache.claimed, label: `document: ${noCache.claimed} ms without cache` }]),
    ...(withCache === undefined
      ? []
      : [{ axis: 'y' as const, value: withCache.claimed, label: `document: ${withCache.claimed} ms with cache` }]),
  ];
  return {
    caption: "HTTP /signal latency by percentile, with and without the cache, against the document's 250 ms and 70 ms",
    body: renderPercentilePlot('http-signals: latency distribution with and without the cache', series, references),
    note: [verdictLine(noCache), verdictLine(withCache), verdictLine(verdictOf(data, 'http.mix-improvement'))]
      .filter((t) => t !== '')
      .join(' · '),
  };
}

/**
 * compression: stored size ratio (the document's dict JSON / this codec) against encode + decode
 * time per codec, a panel per value size, the document's 10x as a line.
 */
export function compressionHeadline(data: ScenarioPlotData): Headline | null {
  // size → codec → { ratio, us }
  const cells = new Map<string, Map<string, { ratio: number | null; us: number | null }>>();
  for (const name of Object.keys(data.report.values)) {
    const parsed = parseLabelled(name);
    if (parsed === null || parsed.base !== 'ratio' || parsed.params.codec === undefined) continue;
    const { codec, size = 'default' } = parsed.params;
    const key = `codec=${codec},size=${size}`;
    const encode = valueOf(data, `encode-p50-us[${key}]`);
    const decode = valueOf(data, `decode-p50-us[${key}]`);
    const bySize = cells.get(size) ?? new Map<string, { ratio: number | null; us: number | null }>();
    cells.set(size, bySize);
    bySize.set(codec, { ratio: valueOf(data, name), us: encode !== null && decode !== null ? encode + decode : null });
  }
  if (cells.size === 0) return null;
  const claim = verdictOf(data, 'optimization.gzip-ratio');
  const codecs = [...new Set([...cells.values()].flatMap((m) => [...m.keys()]))].slice(0, 8);
  const style = (codec: string) => seriesStyle(codecs.indexOf(codec));
  const charts = [...cells].slice(0, 4).map(([size, byCodec]) => {
    const lines: ChartLine[] = codecs
      .filter((c) => byCodec.has(c))
      .map((codec) => {
        const cell = byCodec.get(codec) ?? { ratio: null, us: null };
        return {
          name: codec,
          style: style(codec),
          markers: true,
          points:
            cell.us === null
              ? []
              : [
                  {
                    x: cell.us,
                    y: cell.ratio,
                    tip: `${codec}, ${size}: ${short(cell.ratio, 'x')} smaller, encode + decode ${short(cell.us, 'µs')}`,
                  },
                ],
        };
      });
    const xs = finite(lines.flatMap((l) => l.points.map((p) => p.x)));
    const ys = finite(lines.flatMap((l) => l.points.map((p) => p.y)));
    const x = autoScale(xs, { includeZero: false, logAboveRatio: 10 });
    const yMax = Math.max(...ys, claim?.claimed ?? 10) * 1.3;
    const y = logScale(
      10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...ys, 1)))),
      10 ** Math.ceil(Math.log10(yMax)),
    );
    return `<figure><figcaption>value size: ${size}</figcaption>${renderLineChart({
      kind: 'headline',
      title: `compression: size ratio against encode + decode time, ${size}`,
      ...PANEL_SIZE,
      x: { scale: x, ticks: scaleTicks(x), label: `encode + decode p50, µs${x.kind === 'log' ? ' (log)' : ''}` },
      y: { scale: y, ticks: scaleTicks(y), label: 'times smaller than the dict JSON (x, log)' },
      lines,
      references:
        claim === undefined ? [] : [{ axis: 'y', value: claim.claimed, label: `document: ${claim.claimed}x (gzip)` }],
    })}</figure>`;
  });
  return {
    caption:
      "Stored size (times smaller than the document's dict JSON) against encode + decode time, per codec; the document's 10x",
    body: panels(charts) + renderLegend(codecs.map((codec) => ({ name: codec, style: style(codec) }))),
    note: verdictLine(claim),
  };
}

/** Payload sizes drawn (a p50 and a p99 line each), leaving two series for the SignalEvent cell. */
const MAX_PAYLOADS = 3;

/** "256 B", "4 KB", "64 KB". */
function bytesText(bytes: number): string {
  return bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} B`;
}

/** One pubsub-latency cell: its metric, rate, payload and whole-run latency summary. */
interface RateCell {
  readonly name: string;
  readonly rate: number;
  readonly bytes: number;
  readonly s: LatencySummary;
}

const nsToMs = (ns: number | null): number | null => (ns === null || !Number.isFinite(ns) ? null : ns / 1e6);

/** p99 and p50 against the rate per payload, and the SignalEvent cell's two points. */
function rateLines(data: ScenarioPlotData, cells: readonly RateCell[], payloads: readonly number[]): ChartLine[] {
  const lines: ChartLine[] = payloads.flatMap((bytes, i) => {
    const row = cells.filter((c) => c.bytes === bytes).sort((a, b) => a.rate - b.rate);
    return (['p99Ns', 'p50Ns'] as const).map((field) => {
      const p = field === 'p99Ns' ? 'p99' : 'p50';
      return {
        name: `${bytesText(bytes)} ${p}`,
        style: { color: seriesStyle(i).color, dash: p === 'p50' ? '4 3' : '' },
        markers: true,
        points: row.map((c) => {
          const achieved = valueOf(data, `${c.name}.achieved-per-second`);
          return {
            x: c.rate,
            y: nsToMs(c.s[field]),
            tip: `${bytesText(bytes)} at ${c.rate}/s: ${p} ${short(nsToMs(c.s[field]), 'ms')}${achieved === null ? '' : `, ${short(achieved)} events/s achieved`}`,
          };
        }),
      };
    });
  });
  const signalRate = data.report.parameters.signalEventRate;
  const signal = findMetric(data, 'delivery.signal-event');
  if (signal !== undefined && typeof signalRate === 'number' && signalRate > 0) {
    for (const field of ['p99Ns', 'p50Ns'] as const) {
      const p = field === 'p99Ns' ? 'p99' : 'p50';
      const y = nsToMs(signal.report.summary[field]);
      lines.push({
        name: `SignalEvent ${p} (service code)`,
        style: { color: seriesStyle(MAX_PAYLOADS + (p === 'p99' ? 0 : 1)).color, dash: '' },
        markers: true,
        points: [{ x: signalRate, y, tip: `SignalEvents at ${signalRate}/s: ${p} ${short(y, 'ms')}` }],
      });
    }
  }
  return lines;
}

/**
 * pubsub-latency: delivery p50 (dashed) and p99 (solid) against the publish rate, a line per payload
 * size, the SignalEvent cell (the service code) as points, the document's sub-millisecond line, and
 * the cell the claim is judged on marked.
 */
export function pubsubLatencyHeadline(data: ScenarioPlotData): Headline | null {
  const cells = data.metrics.flatMap((m) => {
    const match = /^delivery\.rate-(\d+)\.bytes-(\d+)$/.exec(m.name);
    return match === null
      ? []
      : [{ name: m.name, rate: Number(match[1]), bytes: Number(match[2]), s: m.report.summary }];
  });
  if (cells.length === 0) return null;
  const payloads = [...new Set(cells.map((c) => c.bytes))].sort((a, b) => a - b).slice(0, MAX_PAYLOADS);
  const lines = rateLines(data, cells, payloads);
  const claim = verdictOf(data, 'pubsub.latency');
  const documentMs = claim?.claimed ?? 1;
  const referenceRate = data.report.parameters.referenceRate;
  const referenceBytes = data.report.parameters.referencePayloadBytes;
  const reference = cells.find((c) => c.rate === referenceRate && c.bytes === referenceBytes);
  const referenceP99 = reference === undefined ? null : nsToMs(reference.s.p99Ns);
  const rates = cells.map((c) => c.rate);
  // Log with some room either side: the rates are decades apart (1 000 to 30 000 events/s).
  const x =
    Math.max(...rates) > Math.min(...rates)
      ? logScale(Math.min(...rates) / 1.5, Math.max(...rates) * 1.5)
      : autoScale(rates, { includeZero: false });
  const y = autoScale([...finite(lines.flatMap((l) => l.points.map((p) => p.y))), documentMs], { logAboveRatio: 30 });
  const body =
    renderLineChart({
      kind: 'headline',
      title: 'pubsub-latency: publish-to-receive latency against the publish rate, a line per payload size',
      ...PANEL_SIZE,
      x: {
        scale: x,
        ticks: scaleTicks(x),
        label: `events published per second (target)${x.kind === 'log' ? ', log' : ''}`,
      },
      y: { scale: y, ticks: scaleTicks(y), label: `publish-to-receive ms${y.kind === 'log' ? ' (log)' : ''}` },
      lines,
      references: [{ axis: 'y', value: documentMs, label: `document: sub-millisecond (${documentMs} ms)` }],
      marks:
        reference === undefined || referenceP99 === null
          ? []
          : [
              {
                x: reference.rate,
                y: referenceP99,
                label: `claim cell: ${reference.rate}/s, ${bytesText(reference.bytes)}`,
              },
            ],
    }) + legendOf(lines);
  return {
    caption:
      'Publish-to-receive latency (p50 dashed, p99 solid) against the publish rate, a line per payload size; the document\'s "sub-millisecond"',
    body,
    note: [
      ...(new Set(cells.map((c) => c.bytes)).size > MAX_PAYLOADS
        ? [`payloads above ${bytesText(payloads[payloads.length - 1]!)} not drawn (in the figures below)`]
        : []),
      verdictLine(claim),
    ]
      .filter((t) => t !== '')
      .join(' · '),
  };
}

/** pubsub-fanout: delivery p50 and p99 against the subscriber count. */
export function pubsubFanoutHeadline(data: ScenarioPlotData): Headline | null {
  const points = data.metrics.flatMap((m) => {
    const match = /subscribers-(\d+)$/.exec(m.name);
    const n = Number(match?.[1]);
    return match === null || !Number.isFinite(n) ? [] : [{ n, s: m.report.summary }];
  });
  if (points.length === 0) return null;
  points.sort((a, b) => a.n - b.n);
  const ms = (ns: number | null): number | null => (ns === null ? null : ns / 1e6);
  const lines: ChartLine[] = [
    {
      name: 'p50',
      style: seriesStyle(0),
      markers: true,
      points: points.map((p) => ({
        x: p.n,
        y: ms(p.s.p50Ns),
        tip: `${p.n} subscribers: p50 ${short(ms(p.s.p50Ns), 'ms')}`,
      })),
    },
    {
      name: 'p99',
      style: seriesStyle(3),
      markers: true,
      points: points.map((p) => ({
        x: p.n,
        y: ms(p.s.p99Ns),
        tip: `${p.n} subscribers: p99 ${short(ms(p.s.p99Ns), 'ms')}`,
      })),
    },
  ];
  const x = autoScale(
    points.map((p) => p.n),
    { includeZero: false, logAboveRatio: 10 },
  );
  const y = autoScale(finite(lines.flatMap((l) => l.points.map((p) => p.y))), { logAboveRatio: 30 });
  const claim = verdictOf(data, 'pubsub.fanout');
  return {
    caption: 'Fan-out: publish-to-receive latency against the number of subscribers',
    body:
      renderLineChart({
        kind: 'headline',
        title: 'pubsub-fanout: delivery latency against subscriber count',
        x: { scale: x, ticks: scaleTicks(x), label: `subscribers${x.kind === 'log' ? ' (log)' : ''}` },
        y: { scale: y, ticks: scaleTicks(y), label: `latency ms${y.kind === 'log' ? ' (log)' : ''}` },
        lines,
      }) + legendOf(lines),
    note: verdictLine(claim),
  };
}

/** pubsub-loss and streams-vs-pubsub: events lost per fault, pub/sub beside Streams when both ran. */
export function eventLossHeadline(data: ScenarioPlotData): Headline | null {
  const faults = ['subscriber-offline', 'subscriber-killed', 'slow-subscriber', 'redis-killed'];
  const rows: BarRow[] = [];
  for (const fault of faults) {
    for (const [system, color] of [
      ['pubsub', LOST],
      ['streams', LOST],
      ['', LOST],
    ] as const) {
      const prefix = system === '' ? fault : `${system}.${fault}`;
      const lost = valueOf(data, `${prefix}.lost`);
      const sent = valueOf(data, `${prefix}.published`) ?? valueOf(data, `${prefix}.produced`);
      if (lost === null || sent === null || sent <= 0) continue;
      const pct = (100 * lost) / sent;
      rows.push({
        label: `${fault}${system === '' ? '' : ` (${system === 'pubsub' ? 'pub/sub' : 'Streams'})`}`,
        segments: [
          { name: 'lost', value: pct, color },
          { name: 'received', value: 100 - pct, color: '#d0d7de' },
        ],
        note: `${short(lost)} of ${short(sent)} lost (${short(pct, '%')})`,
      });
    }
  }
  if (rows.length === 0) return null;
  const body = renderStackedBars(`${data.report.id}: events lost per fault`, [
    { title: 'Share of the events sent during a trial that never arrived', unit: '% of events sent', rows },
  ]);
  return {
    caption: 'Events lost per fault (share of all events sent in the trials)',
    body,
    note: data.report.verdicts.map((v) => verdictLine(v)).join(' · '),
  };
}
