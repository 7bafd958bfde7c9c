import type { ScenarioPlotData } from '../../report-data.ts';
import { renderLegend } from '../chart-legend.ts';
import { seriesStyle } from '../palette.ts';
import { renderStackedBars } from '../stacked-bars.ts';
import type { BarRow, BarSegment } from '../stacked-bars.ts';
import type { Headline } from './types.ts';
import { metricMs, short, verdictOf, verdictTextColor } from './common.ts';

const DOCUMENT_GREYS = ['#6e7781', '#8c959f', '#afb8c1', '#d0d7de'];

function step(data: ScenarioPlotData, name: string, metric: string, index: number): BarSegment {
  return { name, value: metricMs(data, metric) ?? 0, color: seriesStyle(index).color };
}

function total(segments: readonly BarSegment[]): number {
  return segments.reduce((sum, s) => sum + (Number.isFinite(s.value) && s.value > 0 ? s.value : 0), 0);
}

/**
 * miss-vs-hit: where the time goes. The miss path's steps (Parquet read, Alpha158, encode, SET)
 * and the hit path's (GET, decode, the rest: predict and overhead) as stacked bars of their p50s,
 * beside the document's 40 / 10 ms and 0.2 / 0.5 ms (grey); a third panel zooms on the measured
 * paths alone.
 */
export function missVsHitHeadline(data: ScenarioPlotData): Headline | null {
  const missSteps = [
    step(data, 'Parquet read', 'step.parquet-read', 0),
    step(data, 'Alpha158', 'step.alpha158', 1),
    step(data, 'encode', 'step.encode', 2),
    step(data, 'SET', 'step.redis-set', 3),
  ];
  const get = step(data, 'GET', 'step.redis-get', 4);
  const decode = step(data, 'decode', 'step.decode', 5);
  const hitP50 = metricMs(data, 'hit.signal');
  const rest = hitP50 === null ? 0 : Math.max(0, hitP50 - get.value - decode.value);
  const hitSteps = [get, decode, { name: 'predict + rest', value: rest, color: seriesStyle(6).color }];
  if (total(missSteps) === 0 && total(hitSteps) === 0) return null;
  const claimed = (id: string): number => verdictOf(data, id)?.claimed ?? Number.NaN;
  const parquet = claimed('cache.parquet-read');
  const compute = claimed('cache.compute');
  const redisGet = claimed('cache.redis-get');
  const parse = claimed('cache.json-parse');
  const hitClaim = claimed('cache.hit-latency');
  const docMiss: BarSegment[] = [
    { name: 'Parquet read', value: parquet, color: DOCUMENT_GREYS[0], claimed: true },
    { name: 'computation', value: compute, color: DOCUMENT_GREYS[1], claimed: true },
  ];
  const docHit: BarSegment[] = [
    { name: 'GET', value: redisGet, color: DOCUMENT_GREYS[0], claimed: true },
    { name: 'JSON parse', value: parse, color: DOCUMENT_GREYS[1], claimed: true },
    {
      name: 'rest of the 5 ms',
      value: Number.isFinite(hitClaim) ? hitClaim - redisGet - parse : Number.NaN,
      color: DOCUMENT_GREYS[3],
      claimed: true,
    },
  ];
  const missVerdict = verdictOf(data, 'cache.miss-latency');
  const hitVerdict = verdictOf(data, 'cache.hit-latency');
  const verdictNote = (label: string, v: typeof missVerdict): string =>
    v === undefined ? label : `${label}; ${v.outcome}${v.direction === null ? '' : ` (${v.direction})`}`;
  const missRows: BarRow[] = [
    { label: 'document', segments: docMiss, note: `${short(total(docMiss), 'ms')} (40 + 10 ms)` },
    {
      label: 'measured p50',
      segments: missSteps,
      note: verdictNote(`steps ${short(total(missSteps), 'ms')}`, missVerdict),
      noteColor: verdictTextColor(missVerdict),
    },
  ];
  const hitRows: BarRow[] = [
    { label: 'document', segments: docHit, note: `${short(total(docHit), 'ms')} (0.2 + 0.5 of 5 ms)` },
    {
      label: 'measured p50',
      segments: hitSteps,
      note: verdictNote(`hit ${short(hitP50, 'ms')}`, hitVerdict),
      noteColor: verdictTextColor(hitVerdict),
    },
  ];
  const zoomRows: BarRow[] = [
    { label: 'miss path', segments: missSteps, note: short(total(missSteps), 'ms') },
    { label: 'hit path', segments: hitSteps, note: short(total(hitSteps), 'ms') },
  ];
  const body = renderStackedBars('miss-vs-hit: where the time goes, document vs measured', [
    { title: 'Miss path: the document (grey) and the measured steps', unit: 'ms (p50 per step)', rows: missRows },
    { title: 'Hit path: the document (grey) and the measured steps', unit: 'ms (p50 per step)', rows: hitRows },
    { title: 'Measured only, on its own scale', unit: 'ms (p50 per step)', rows: zoomRows },
  ]);
  if (body === '') return null;
  const legend = renderLegend(
    [...missSteps, ...hitSteps].map((seg) => ({
      name: seg.name,
      style: { color: seg.color, dash: '' },
      mark: 'area' as const,
    })),
  );
  return {
    caption: 'Where the time goes: a miss (Parquet read, Alpha158, encode, SET) and a hit (GET, decode, predict)',
    body: body + legend,
    note: 'Step bars are whole-run p50s of each step (they need not add up to the path p50); the verdict colour is the path claim (cache.miss-latency, cache.hit-latency).',
  };
}

/** connections: a request on a new connection vs the pool vs the shared client, beside the document's ~10 ms. */
export function connectionsHeadline(data: ScenarioPlotData): Headline | null {
  const v = verdictOf(data, 'optimization.connection-overhead');
  const rows: BarRow[] = [
    {
      label: 'new connection',
      segments: [
        { name: 'connect', value: metricMs(data, 'connect-only') ?? 0, color: seriesStyle(3).color },
        {
          name: 'GET',
          value: Math.max(0, (metricMs(data, 'new-connection') ?? 0) - (metricMs(data, 'connect-only') ?? 0)),
          color: seriesStyle(0).color,
        },
      ],
      note: `${short(metricMs(data, 'new-connection'), 'ms')} p50`,
    },
    {
      label: 'pool',
      segments: [{ name: 'GET', value: metricMs(data, 'pool') ?? 0, color: seriesStyle(0).color }],
      note: `${short(metricMs(data, 'pool'), 'ms')} p50`,
    },
    {
      label: 'shared client',
      segments: [{ name: 'GET', value: metricMs(data, 'shared-client') ?? 0, color: seriesStyle(0).color }],
      note: `${short(metricMs(data, 'shared-client'), 'ms')} p50`,
    },
    {
      label: 'overhead (measured)',
      segments: [{ name: 'overhead', value: v?.measured ?? 0, color: seriesStyle(3).color }],
      note: v === undefined ? '' : `${short(v.measured, 'ms')}: ${v.outcome}`,
      noteColor: verdictTextColor(v),
    },
    {
      label: 'document: ~10 ms',
      segments: [{ name: 'claimed', value: v?.claimed ?? 10, color: DOCUMENT_GREYS[1], claimed: true }],
      note: 'per new connection',
    },
  ];
  const body = renderStackedBars('connections: a request on a new connection, the pool and the shared client', [
    { title: 'One request (p50)', unit: 'ms', rows },
  ]);
  return body === ''
    ? null
    : { caption: "A new connection per request vs a pool vs one shared client, with the document's ~10 ms", body };
}
