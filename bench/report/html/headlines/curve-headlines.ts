import type { ScenarioPlotData } from '../../report-data.ts';
import { scaleTicks } from '../axis-ticks.ts';
import { renderLineChart } from '../line-chart.ts';
import type { ChartLine, ChartMark, ChartPoint, ChartReference } from '../line-chart.ts';
import { escapeHtml } from '../escape-html.ts';
import { groupSeriesByAxes } from '../../series-groups.ts';
import { seriesStyle } from '../palette.ts';
import { MAX_SERIES_PER_CHART } from '../percentile-plot.ts';
import { autoScale, logScale } from '../plot-scale.ts';
import type { Headline } from './types.ts';
import { findMetric, finite, legendOf, panels, short, valueOf, verdictLine, verdictOf } from './common.ts';

const PANEL_SIZE = { width: 560, height: 300 } as const;

/** "pipeline[batch=5,rtt=1ms]" → { base: 'pipeline', params: { batch: '5', rtt: '1ms' } }. */
export function parseLabelled(name: string): { base: string; params: Record<string, string> } | null {
  const match = /^([^[\]]+)\[([^\]]*)\]$/.exec(name);
  if (match === null) return null;
  const params: Record<string, string> = {};
  for (const part of match[2].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { base: match[1], params };
}

function logAxisOver(values: readonly number[]): ReturnType<typeof logScale> {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return logScale(1, 10);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...positive)) + 1e-9);
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...positive)) - 1e-9);
  return logScale(lo, hi > lo ? hi : lo * 10);
}

/**
 * pipelining: speedup over sequential GETs (sequential p50 / strategy p50) against the batch size
 * on a log axis, a line per strategy, a panel per added round trip, the document's 5x at batch 5 marked.
 */
export function pipeliningHeadline(data: ScenarioPlotData): Headline | null {
  // rtt → strategy → batch → p50 ms
  const cells = new Map<string, Map<string, Map<number, number>>>();
  for (const m of data.metrics) {
    const parsed = parseLabelled(m.name);
    const batch = Number(parsed?.params.batch);
    const p50 = m.report.summary.p50Ns;
    if (parsed === null || !Number.isFinite(batch) || p50 === null || !(p50 > 0)) continue;
    const rtt = parsed.params.rtt ?? '0ms';
    const byStrategy = cells.get(rtt) ?? new Map<string, Map<number, number>>();
    cells.set(rtt, byStrategy);
    const byBatch = byStrategy.get(parsed.base) ?? new Map<number, number>();
    byStrategy.set(parsed.base, byBatch);
    byBatch.set(batch, p50 / 1e6);
  }
  const claim = verdictOf(data, 'optimization.pipeline-5-gets');
  const charts: string[] = [];
  let legend = '';
  for (const [rtt, byStrategy] of cells) {
    const sequential = byStrategy.get('sequential');
    if (sequential === undefined) continue;
    const strategies = [...byStrategy.keys()].filter((s) => s !== 'sequential').slice(0, MAX_SERIES_PER_CHART);
    const lines: ChartLine[] = strategies.map((strategy, i) => {
      const byBatch = byStrategy.get(strategy) ?? new Map<number, number>();
      const batches = [...byBatch.keys()].sort((a, b) => a - b);
      return {
        name: strategy,
        style: seriesStyle(i),
        markers: true,
        points: batches.map((batch) => {
          const base = sequential.get(batch);
          const own = byBatch.get(batch);
          const y = base !== undefined && own !== undefined && own > 0 ? base / own : null;
          return {
            x: batch,
            y,
            tip: `${strategy}, batch ${batch}, ${rtt} added: ${short(y, 'x')} (sequential ${short(base ?? null, 'ms')}, ${strategy} ${short(own ?? null, 'ms')})`,
          };
        }),
      };
    });
    const xs = lines.flatMap((l) => l.points.map((p) => p.x));
    const ys = finite(lines.flatMap((l) => l.points.map((p) => p.y)));
    const x = logAxisOver(xs);
    const y = logAxisOver([...ys, 1, claim?.claimed ?? 5]);
    const references: ChartReference[] = [{ axis: 'y', value: 1, label: '1x: no faster than sequential' }];
    const marks: ChartMark[] =
      claim === undefined ? [] : [{ x: 5, y: claim.claimed, label: `document: ${claim.claimed}x at batch 5` }];
    charts.push(
      `<figure><figcaption>${rtt === '0ms' ? 'no added round trip (loopback)' : `+${rtt} per round trip`}</figcaption>${renderLineChart(
        {
          kind: 'headline',
          title: `pipelining: speedup over sequential GETs vs batch size, ${rtt} added`,
          ...PANEL_SIZE,
          x: { scale: x, ticks: scaleTicks(x), label: 'batch size (GETs, log)' },
          y: { scale: y, ticks: scaleTicks(y), label: 'speedup over sequential (x, log)' },
          lines,
          references,
          marks,
        },
      )}</figure>`,
    );
    legend = legendOf(lines);
  }
  if (charts.length === 0) return null;
  return {
    caption: 'Speedup over sequential GETs against the batch size, a line per strategy, a panel per added round trip',
    body: panels(charts) + legend,
    note: `Speedup = sequential p50 / strategy p50 at the same batch (whole-run p50s). ${verdictLine(claim)}`,
  };
}

/**
 * command-latency: a panel per command (at most 4): p99 corrected for coordinated omission (solid),
 * p99 uncorrected (dashed) and p50 (dotted) against the achieved throughput, the document's 5 ms
 * line, the knee marked.
 */
export function commandLatencyHeadline(data: ScenarioPlotData): Headline | null {
  const series = data.report.series ?? {};
  const commands = Object.keys(series)
    .filter((name) => name.endsWith(' p99'))
    .map((name) => name.slice(0, -' p99'.length))
    .slice(0, 4);
  if (commands.length === 0) return null;
  const claim = verdictOf(data, 'monitoring.command-p99');
  const budget = claim?.claimed ?? 5;
  let legend = '';
  const charts = commands.map((command) => {
    const corrected: ChartPoint[] = [];
    const uncorrected: ChartPoint[] = [];
    const p50: ChartPoint[] = [];
    for (const m of data.metrics) {
      // "<command>:<rate>-ops-s.all" (every outcome, corrected) beside "<command>:<rate>-ops-s.uncorrected".
      if (!m.name.startsWith(`${command}:`) || !m.name.endsWith('.all')) continue;
      const rateKey = m.name.slice(0, -'.all'.length);
      const x = valueOf(data, `${rateKey}.achieved-ops-per-second`);
      if (x === null) continue;
      const ms = (ns: number | null): number | null => (ns === null ? null : ns / 1e6);
      const all = m.report.summary;
      const raw = findMetric(data, `${rateKey}.uncorrected`)?.report.summary ?? null;
      const at = `${short(x)} ops/s achieved (${rateKey})`;
      corrected.push({ x, y: ms(all.p99Ns), tip: `${command} p99 corrected ${short(ms(all.p99Ns), 'ms')} at ${at}` });
      uncorrected.push({
        x,
        y: ms(raw?.p99Ns ?? null),
        tip: `${command} p99 uncorrected ${short(ms(raw?.p99Ns ?? null), 'ms')} at ${at}`,
      });
      p50.push({ x, y: ms(all.p50Ns), tip: `${command} p50 ${short(ms(all.p50Ns), 'ms')} at ${at}` });
    }
    if (corrected.length === 0) {
      const s = series[`${command} p99`];
      s.x.forEach((x, k) =>
        corrected.push({
          x,
          y: s.y[k] ?? null,
          tip: `${command} p99 ${short(s.y[k] ?? null, 'ms')} at ${short(x)} ops/s`,
        }),
      );
    }
    const byX = (a: ChartPoint, b: ChartPoint): number => a.x - b.x;
    const lines: ChartLine[] = [
      { name: 'p99 corrected', style: seriesStyle(3), markers: true, points: corrected.sort(byX) },
      { name: 'p99 uncorrected', style: { color: seriesStyle(3).color, dash: '6 3' }, points: uncorrected.sort(byX) },
      { name: 'p50', style: { color: seriesStyle(0).color, dash: '2 2' }, markers: true, points: p50.sort(byX) },
    ].filter((l) => l.points.length > 0);
    const knee = series[`${command} knee`];
    const marks: ChartMark[] =
      knee !== undefined && knee.x.length > 0
        ? [{ x: knee.x[0], y: knee.y[0], label: `knee ${short(knee.x[0])} ops/s` }]
        : [];
    // redis-benchmark's own point (its throughput and p99 with 10 connections) beside ours.
    const benchRate = valueOf(data, `redis-benchmark.${command}.ops-per-second`);
    const benchP99 = valueOf(data, `redis-benchmark.${command}.p99-ms`);
    if (benchRate !== null && benchP99 !== null)
      marks.push({ x: benchRate, y: benchP99, label: `redis-benchmark p99 ${short(benchP99, 'ms')}` });
    const xs = [...lines.flatMap((l) => l.points.map((p) => p.x)), ...marks.map((m) => m.x)];
    const ys = [...finite(lines.flatMap((l) => l.points.map((p) => p.y))), ...marks.map((m) => m.y)];
    const x = autoScale(xs, { includeZero: true, logAboveRatio: 10 });
    const y = autoScale([...ys, budget], { logAboveRatio: 50 });
    legend = legendOf(lines);
    return `<figure><figcaption>${escapeHtml(command)}</figcaption>${renderLineChart({
      kind: 'headline',
      title: `command-latency: ${command} latency against achieved throughput`,
      ...PANEL_SIZE,
      x: { scale: x, ticks: scaleTicks(x), label: `achieved ops/s${x.kind === 'log' ? ' (log)' : ''}` },
      y: { scale: y, ticks: scaleTicks(y), label: `latency ms${y.kind === 'log' ? ' (log)' : ''}` },
      lines,
      references: [{ axis: 'y', value: budget, label: `document: p99 < ${budget} ms` }],
      marks,
    })}</figure>`;
  });
  return {
    caption:
      'Latency against achieved throughput, a panel per command: p99 corrected for coordinated omission, uncorrected, p50; the 5 ms line',
    body: panels(charts) + legend,
    note: verdictLine(claim),
  };
}

/**
 * hit-rate-curve: the curves of hit rate against maxmemory (measured and predicted) with the 70%
 * target; at most 8 curves (the measured ones first).
 */
export function hitRateHeadline(data: ScenarioPlotData): Headline | null {
  const groups = groupSeriesByAxes(data.report.series ?? {}).filter((g) => /hit/i.test(g[0][1].yLabel));
  const series = groups.find((g) => /maxmemory|memory|size/i.test(g[0][1].xLabel)) ?? groups[0];
  if (series === undefined || series.length === 0) return null;
  const ordered = [
    ...series.filter(([name]) => /measur/i.test(name)),
    ...series.filter(([name]) => !/measur/i.test(name)),
  ].slice(0, MAX_SERIES_PER_CHART);
  const lines: ChartLine[] = ordered.map(([name, s], i) => ({
    name,
    style: /measur/i.test(name) ? seriesStyle(i) : { color: seriesStyle(i).color, dash: '5 3' },
    markers: /measur/i.test(name),
    points: s.x
      .slice(0, s.y.length)
      .map((x, k) => ({ x, y: s.y[k], tip: `${name}: ${short(x)} ${s.xLabel} → ${short(s.y[k])} ${s.yLabel}` })),
  }));
  const percent = ordered.some(([, s]) => s.y.some((v) => v > 1.5));
  const target = percent ? 70 : 0.7;
  const claim = verdictOf(data, 'monitoring.hit-rate');
  const x = autoScale(
    lines.flatMap((l) => l.points.map((p) => p.x)),
    { includeZero: false, logAboveRatio: 30 },
  );
  const y = autoScale([...finite(lines.flatMap((l) => l.points.map((p) => p.y))), target], {
    logAboveRatio: Number.POSITIVE_INFINITY,
  });
  const [xLabel, yLabel] = [ordered[0][1].xLabel, ordered[0][1].yLabel];
  const body =
    renderLineChart({
      kind: 'headline',
      title: 'hit-rate-curve: hit rate against maxmemory, measured and predicted',
      x: { scale: x, ticks: scaleTicks(x), label: `${xLabel}${x.kind === 'log' ? ' (log)' : ''}` },
      y: { scale: y, ticks: scaleTicks(y), label: yLabel },
      lines,
      references: [{ axis: 'y', value: target, label: `document: ${percent ? '70%' : '0.7'} expected` }],
    }) + legendOf(lines);
  return {
    caption: 'Hit rate against cache size: measured (solid) and predicted (dashed), the 70% the document expects',
    body,
    note: verdictLine(claim),
  };
}
