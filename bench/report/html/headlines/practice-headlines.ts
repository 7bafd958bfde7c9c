import type { ClaimVerdict } from '../../../core/claim.ts';
import type { ScenarioPlotData } from '../../report-data.ts';
import { scaleTicks } from '../axis-ticks.ts';
import { renderLineChart } from '../line-chart.ts';
import type { ChartLine, ChartMark, ChartReference } from '../line-chart.ts';
import { seriesStyle } from '../palette.ts';
import { autoScale } from '../plot-scale.ts';
import type { Headline } from './types.ts';
import { thresholdLabel, verdictRow } from './claim-rows.ts';
import { finite, legendOf, short, valueOf, verdictColor, verdictLine, verdictOf, verdictTextColor } from './common.ts';
import { renderRowChart } from './row-chart.ts';
import type { RowGroup, RowMark, RowPanel } from './row-chart.ts';

const MEASURED = seriesStyle(0).color;
const SECOND = seriesStyle(1).color;
const MIB = 2 ** 20;

function measuredRow(label: string, value: number | null, unit: string, color = MEASURED): RowMark {
  return { label, value, color, note: short(value, unit) };
}

/** Groups with no finite figure are left out (a --quick run that skipped a part). */
function present(groups: readonly RowGroup[]): RowGroup[] {
  return groups.filter((g) => g.rows.some((r) => r.value !== null && Number.isFinite(r.value)));
}

const ANTI_PATTERN_PAIRS = [
  [
    'Caching mutable data: % of reads that returned a stale value',
    ['price (mutable)', 'antipattern.mutable-data-stale'],
    ['features (immutable)', 'antipattern.immutable-data-fresh'],
  ],
  [
    'Swallowed exceptions: % of failed cache SETs visible in the log',
    ['except: pass', 'antipattern.silent-exceptions'],
    ['logger.warning(…)', 'antipattern.logged-exceptions'],
  ],
  [
    'Critical orders: % of orders executed',
    ['pub/sub, no subscriber', 'antipattern.pubsub-critical'],
    ['HTTP, confirmed', 'antipattern.http-confirms'],
  ],
] as const;

/**
 * anti-patterns: each anti-pattern beside its fix, a group per pair, the measured share (bar, verdict
 * colour, dots per trial) with the document's figure as a grey diamond; PUBLISH's return value below.
 */
export function antiPatternsHeadline(data: ScenarioPlotData): Headline | null {
  const groups: RowGroup[] = ANTI_PATTERN_PAIRS.map(([title, bad, good]) => ({
    title,
    rows: [bad, good].map(([label, id]) => verdictRow(data, label, verdictOf(data, id), { unit: '%', doc: true })),
  }));
  const publish = verdictOf(data, 'pubsub.publish-count');
  if (publish !== undefined)
    groups.push({
      title: "PUBLISH's reply: % of publishes whose count equals the subscribers listening",
      rows: [verdictRow(data, 'publish_signal_event', publish, { unit: '%', doc: true })],
    });
  const body = renderRowChart("anti-patterns: each anti-pattern beside the document's fix", 'rows', [
    {
      title:
        "Anti-pattern (first row) and fix (second row): measured (bar, dots per trial) and the document's figure (grey diamond)",
      unit: '%',
      groups: present(groups),
    },
  ]);
  if (body === '') return null;
  return {
    caption:
      "Each anti-pattern against its fix: stale reads, visible failures, executed orders, in % (the document's figure as a grey diamond)",
    body,
    note: [
      `price moved every ${short(valueOf(data, 'price.tick-interval-ms'), 'ms')}; stale price age p50 ${short(valueOf(data, 'price.stale-age-p50-ms'), 'ms')}, max ${short(valueOf(data, 'price.stale-age-max-ms'), 'ms')}`,
      `failed SETs ${short(valueOf(data, 'exceptions.failed-sets'))}: log lines bad handler ${short(valueOf(data, 'exceptions.bad-handler-lines'))}, good handler ${short(valueOf(data, 'exceptions.good-handler-lines'))}`,
      `orders: pub/sub receivers ${short(valueOf(data, 'orders.pubsub-receivers'))}, HTTP confirmed ${short(valueOf(data, 'orders.http-confirmed'))}`,
    ].join(' · '),
  };
}

/**
 * pool-end-to-end: one /signal request through new connections vs through the pool (p50, whisker to
 * p99), and the cost per new connection (verdict colour) against the document's ~10 ms.
 */
export function poolEndToEndHeadline(data: ScenarioPlotData): Headline | null {
  const v = verdictOf(data, 'optimization.pool-end-to-end');
  const perRequest = valueOf(data, 'connections-per-request');
  const request = (label: string, prefix: string, color: string): RowMark => {
    const p50 = valueOf(data, `${prefix}.p50-ms`);
    const p99 = valueOf(data, `${prefix}.p99-ms`);
    return { label, value: p50, low: p50, high: p99, color, note: `p50 ${short(p50, 'ms')}, p99 ${short(p99, 'ms')}` };
  };
  const groups = present([
    {
      title: 'One /signal request (bar p50, whisker to p99)',
      rows: [
        request(
          `new connections${perRequest === null ? '' : ` (${short(perRequest)} per request)`}`,
          'new-connection',
          SECOND,
        ),
        request('connection pool', 'pool', MEASURED),
      ],
    },
    {
      title: 'Cost of one new connection (p50 difference / connections per request; dots: trials)',
      rows: [verdictRow(data, 'per new connection', v, { unit: 'ms', doc: true })],
    },
  ]);
  const claimed = v?.claimed ?? null;
  const body = renderRowChart('pool-end-to-end: new connections vs the pool, per request and per connection', 'rows', [
    {
      title: "A request through new connections vs the pool, and the cost per connection against the document's ~10 ms",
      unit: 'ms',
      groups,
      references:
        claimed === null
          ? []
          : [{ value: claimed, label: thresholdLabel(v, `~${short(claimed, 'ms')} per connection`) }],
    },
  ]);
  if (body === '') return null;
  return {
    caption:
      "A /signal request on new connections vs the pool, and what one new connection costs against the document's ~10 ms",
    body,
    note: [
      `throughput: pool ${short(valueOf(data, 'pool.rps'), 'req/s')}, new connections ${short(valueOf(data, 'new-connection.rps'), 'req/s')}; connections opened ${short(valueOf(data, 'connections.opened'))}, failed requests ${short(valueOf(data, 'failed-requests'))}`,
      verdictLine(v),
    ]
      .filter((t) => t !== '')
      .join(' · '),
  };
}

/**
 * memory-sizing: used memory in % of maxmemory (the documented day, the stream without and with
 * TTL) beside each claim's figure; the document's 256 MB example against the measured 500 keys; the
 * sweep of evictions against maxmemory with 512mb and the near-zero line.
 */
export function memorySizingHeadline(data: ScenarioPlotData): Headline | null {
  const fits = verdictOf(data, 'production.maxmemory-fits');
  const example = verdictOf(data, 'monitoring.memory-example');
  const percentGroups = present([
    {
      title: 'documented trading day at maxmemory 512mb (scaled)',
      rows: [verdictRow(data, 'peak used memory', fits, { unit: '%', doc: true })],
    },
    {
      title: 'new dates written without TTL (anti-pattern)',
      rows: [
        verdictRow(data, 'used memory at the end', verdictOf(data, 'antipattern.no-ttl'), { unit: '%', doc: true }),
      ],
    },
    {
      title: 'the same with TTL 3600 s (fix)',
      rows: [verdictRow(data, 'peak used memory', verdictOf(data, 'antipattern.always-ttl'), { unit: '%', doc: true })],
    },
  ]);
  const panels: RowPanel[] = [
    {
      title: "Used memory in % of maxmemory (bar: median, dots: trials; grey diamond: the claim's figure)",
      unit: '% of maxmemory',
      groups: percentGroups,
      references: [{ value: 100, label: 'maxmemory' }],
    },
  ];
  if (example !== undefined)
    panels.push({
      title: "The document's INFO example (256 MB at DBSIZE 500) against 500 feature keys written by the service",
      unit: 'MB',
      log: true,
      groups: [
        {
          title: '',
          rows: [
            verdictRow(data, 'used_memory, 500 keys', example, { unit: 'MB', scale: 1 / MIB }),
            { ...measuredRow("document's example", example.claimed / MIB, 'MB'), claimed: true },
          ],
        },
      ],
      references: [{ value: 512, label: 'maxmemory 512mb' }],
    });
  const rows = renderRowChart('memory-sizing: used memory against maxmemory', 'rows', panels);
  const sweep = evictionSweep(data);
  if (rows === '' && sweep === '') return null;
  return {
    caption:
      'Used memory against maxmemory 512mb for the documented day, without and with TTL; the 256 MB example; evictions against maxmemory',
    body: rows + sweep,
    note: [
      `documented day: peak ${short(valueOf(data, 'day.peak-used-memory-document-mb'), 'MB')} (document scale) of ${short(valueOf(data, 'sizing.maxmemory-mb'), 'MB')} maxmemory as run; evictions ${short(valueOf(data, 'evictions.total'))}; symbol-days in 512mb ${short(valueOf(data, 'sizing.symbol-days-in-512mb'))}`,
      verdictLine(fits),
      verdictLine(verdictOf(data, 'production.evictions-near-zero')),
    ]
      .filter((t) => t !== '')
      .join(' · '),
  };
}

function evictionSweep(data: ScenarioPlotData): string {
  const s = data.report.series?.['evictions by maxmemory'];
  if (s === undefined || s.x.length === 0) return '';
  const n = Math.min(s.x.length, s.y.length);
  const points = Array.from({ length: n }, (_, k) => ({
    x: s.x[k],
    y: s.y[k],
    tip: `maxmemory ${short(s.x[k], 'MB')}: evictions ${short(s.y[k], '%')} of fills`,
  }));
  const lines: ChartLine[] = [
    { name: 'evictions after the warm-up (sweep)', style: seriesStyle(0), markers: true, points },
  ];
  // The near-zero threshold (0.1%) would sit on the 0 line: it is written in the mark's label instead.
  const near = verdictOf(data, 'production.evictions-near-zero');
  const references: ChartReference[] = [{ axis: 'x', value: 512, label: 'maxmemory 512mb' }];
  const day = valueOf(data, 'evictions.percent-of-fills');
  const nearText = near === undefined ? '' : ` (${thresholdLabel(near, `near 0 ≤ ${short(near.claimed, '%')}`)})`;
  const marks: ChartMark[] =
    day === null ? [] : [{ x: 512, y: day, label: `documented day at 512mb: ${short(day, '%')}${nearText}` }];
  const xs = finite([...points.map((p) => p.x), 512]);
  const ys = finite([...points.map((p) => p.y), day]);
  const x = autoScale(xs, { includeZero: false, logAboveRatio: 10 });
  const y = autoScale(ys, { logAboveRatio: Number.POSITIVE_INFINITY });
  return (
    renderLineChart({
      kind: 'headline',
      title: 'memory-sizing: evictions against maxmemory, the documented workload',
      width: 860,
      height: 280,
      x: { scale: x, ticks: scaleTicks(x), label: `${s.xLabel}${x.kind === 'log' ? ' (log)' : ''}` },
      y: { scale: y, ticks: scaleTicks(y), label: s.yLabel },
      lines,
      references,
      marks,
    }) + legendOf(lines)
  );
}

/**
 * large-objects: the 10 MB DataFrame JSON against the feature vector: serialise + parse and
 * SET/GET time, memory per key and for 500 keys against maxmemory 512mb, another client's GET p99
 * while each moves; the claims' figures as lines and diamonds, log axes.
 */
export function largeObjectsHeadline(data: ScenarioPlotData): Headline | null {
  const slow = verdictOf(data, 'antipattern.large-object-slow');
  const memory = verdictOf(data, 'antipattern.large-object-memory');
  const hol = verdictOf(data, 'antipattern.large-object-head-of-line');
  const panels = [largeTimePanel(data, slow), ...largeMemoryPanels(data, memory), othersWaitPanel(data, hol)];
  const body = renderRowChart('large-objects: a 10 MB DataFrame against a feature vector', 'rows', panels);
  if (body === '') return null;
  return {
    caption:
      'The 10 MB DataFrame against the feature vector: serialise/parse and SET/GET time, memory, and what other clients wait meanwhile',
    body,
    note: [slow, memory, hol]
      .map((v) => verdictLine(v))
      .filter((t) => t !== '')
      .join(' · '),
  };
}

function largeTimePanel(data: ScenarioPlotData, slow: ClaimVerdict | undefined): RowPanel {
  const ms = (name: string, label: string, color: string): RowMark =>
    measuredRow(label, valueOf(data, name), 'ms', color);
  return {
    title: 'Time per object',
    unit: 'ms',
    log: true,
    groups: present([
      {
        title: 'JSON serialise + parse (median per trial)',
        rows: [
          verdictRow(data, '10 MB DataFrame', slow, { unit: 'ms' }),
          ms('vector.encode-decode-ms', 'feature vector', MEASURED),
        ],
      },
      {
        title: 'SET / GET p50',
        rows: [
          ms('large.set-p50-ms', 'SET 10 MB DataFrame', SECOND),
          ms('large.get-p50-ms', 'GET 10 MB DataFrame', SECOND),
          ms('vector.set-p50-ms', 'SET feature vector', MEASURED),
          ms('vector.get-p50-ms', 'GET feature vector', MEASURED),
        ],
      },
    ]),
    references:
      slow === undefined
        ? []
        : [{ value: slow.claimed, label: thresholdLabel(slow, `slow above ${short(slow.claimed, 'ms')}`) }],
  };
}

function largeMemoryPanels(data: ScenarioPlotData, memory: ClaimVerdict | undefined): RowPanel[] {
  const kb = (name: string): number | null => {
    const v = valueOf(data, name);
    return v === null ? null : v / 1024;
  };
  return [
    {
      title: 'Memory per key (MEMORY USAGE)',
      unit: 'KB',
      log: true,
      groups: [
        {
          title: '',
          rows: [
            measuredRow('10 MB DataFrame', kb('large.memory-usage-bytes'), 'KB', SECOND),
            measuredRow('feature vector', kb('vector.memory-usage-bytes'), 'KB'),
          ],
        },
      ],
    },
    {
      title: '500 such keys in % of maxmemory 512mb',
      unit: '% of maxmemory',
      log: true,
      groups: [
        {
          title: '',
          rows: [
            verdictRow(data, '10 MB DataFrames', memory, { unit: '%' }),
            measuredRow('feature vectors', valueOf(data, 'vector.percent-of-512mb-at-500-keys'), '%'),
          ],
        },
      ],
      references:
        memory === undefined
          ? []
          : [{ value: memory.claimed, label: thresholdLabel(memory, short(memory.claimed, '%')) }],
    },
  ];
}

/** Another client's GET p99 while each object moves, and the paired p99 added (the claim), linear: it may be < 0. */
function othersWaitPanel(data: ScenarioPlotData, hol: ClaimVerdict | undefined): RowPanel {
  const others = (which: 'large' | 'vector', label: string, color: string): RowMark => {
    const p50 = valueOf(data, `others-get.while-${which}.p50-ms`);
    const p99 = valueOf(data, `others-get.while-${which}.p99-ms`);
    return { label, value: p99, color, note: `p99 ${short(p99, 'ms')} (p50 ${short(p50, 'ms')})` };
  };
  return {
    title: "Another client's small GETs while the object moves: p99, and the paired p99 added per trial",
    unit: 'ms',
    groups: present([
      {
        title: '',
        rows: [
          others('large', 'while 10 MB moves', SECOND),
          others('vector', 'while a vector moves', MEASURED),
          verdictRow(data, 'p99 added (paired)', hol, { unit: 'ms' }),
        ],
      },
    ]),
    references: hol === undefined ? [] : [{ value: hol.claimed, label: thresholdLabel(hol, short(hol.claimed, 'ms')) }],
  };
}

/**
 * cache-correctness: feature vectors compared across every cache path, codec, process and topology
 * and how many differed (document: 0); cache keys audited after each write and how many had a TTL
 * outside (0, 3600] s (document: 0).
 */
export function cacheCorrectnessHeadline(data: ScenarioPlotData): Headline | null {
  const deterministic = verdictOf(data, 'cache.deterministic');
  const ttl = verdictOf(data, 'cache.ttl-always-set');
  const counted = (label: string, value: number | null, v: typeof ttl): RowMark => ({
    label,
    value,
    color: verdictColor(v),
    shape: 'dot',
    note: `${short(value)}${v === undefined ? '' : `: ${v.outcome}`}`,
    noteColor: verdictTextColor(v),
  });
  const panels: RowPanel[] = [
    {
      title: 'Feature vectors read back through every path, codec and process, compared with the computed ones',
      unit: 'vectors',
      groups: [
        {
          title: '',
          rows: [
            measuredRow('compared', valueOf(data, 'comparisons'), ''),
            counted('differing', valueOf(data, 'differing'), deterministic),
          ],
        },
      ],
      references: [{ value: 0, label: 'document: 0 differ (same symbol + date = same features)' }],
    },
    {
      title: 'Cache keys audited right after each write',
      unit: 'keys',
      groups: [
        {
          title: '',
          rows: [
            measuredRow('audited', valueOf(data, 'ttl.keys-audited'), ''),
            counted('TTL outside (0, 3600] s', valueOf(data, 'ttl.keys-outside'), ttl),
            measuredRow('planted without TTL', valueOf(data, 'ttl.planted'), '', SECOND),
            measuredRow('repaired on read', valueOf(data, 'ttl.repairs'), '', SECOND),
            counted('still without TTL', valueOf(data, 'ttl.planted-left-without-ttl'), ttl),
          ],
        },
      ],
      references: [{ value: 0, label: 'document: 0 (always set TTL, default 3600 s)' }],
    },
  ];
  const body = renderRowChart('cache-correctness: differing vectors and keys without a proper TTL', 'rows', panels);
  if (body === '') return null;
  return {
    caption:
      'Same symbol + date = same features? Vectors compared and differing (0 expected); keys audited and outside (0, 3600] s TTL (0 expected)',
    body,
    note: [
      `float32 max abs error ${short(valueOf(data, 'float32.max-abs-error'))}, max rel error ${short(valueOf(data, 'float32.max-rel-error'))}; single-flight joins ${short(valueOf(data, 'single-flight.joined'))}; cluster rounds ${short(valueOf(data, 'cluster.rounds'))}`,
      verdictLine(deterministic),
      verdictLine(ttl),
    ]
      .filter((t) => t !== '')
      .join(' · '),
  };
}
