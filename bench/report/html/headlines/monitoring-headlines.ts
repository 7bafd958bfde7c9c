import type { ClaimVerdict } from '../../../core/claim.ts';
import type { ScenarioPlotData } from '../../report-data.ts';
import { seriesStyle } from '../palette.ts';
import type { Headline } from './types.ts';
import { thresholdLabel, trialFigures, verdictRow } from './claim-rows.ts';
import { short, valueOf, verdictColor, verdictLine, verdictOf, verdictTextColor } from './common.ts';
import { renderRowChart } from './row-chart.ts';
import type { RowGroup, RowMark, RowPanel } from './row-chart.ts';

const MEASURED = seriesStyle(0).color;

/** monitor-alerts' claims in the document's order: claim id, value prefix, the threshold in words. */
const ALERTS = [
  ['monitoring.alert-hit-rate', 'hit-rate', 'hit rate < 50% (warning)'],
  ['monitoring.alert-memory-80', 'memory-80', 'used memory > 80% (warning)'],
  ['monitoring.alert-clients', 'clients', 'clients > 50 (warning)'],
  ['monitoring.alert-keyspace-errors', 'keyspace-errors', 'error replies > 0 (warning)'],
  ['monitoring.alert-unreachable', 'unreachable', 'unreachable (critical)'],
  ['monitoring.alert-memory-95', 'memory-95', 'used memory > 95% (critical)'],
  ['monitoring.alert-eviction-policy', 'eviction-policy', 'no eviction policy (critical)'],
] as const;

function parameter(data: ScenarioPlotData, name: string): number | null {
  const v = data.report.parameters[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * monitor-alerts: per alert threshold, the checks of the monitor that were wrong (missed the
 * condition or raised it outside it; the document's thresholds call for 0), the time from the
 * condition to the first check raising it against one check interval, and the connections to Redis
 * while the service serves against the document's 5-10.
 */
export function monitorAlertsHeadline(data: ScenarioPlotData): Headline | null {
  const { wrong, detect } = alertRows(data);
  if (wrong.length === 0) return null;
  const interval = parameter(data, 'checkIntervalMs');
  const clients = verdictOf(data, 'monitoring.expected-clients');
  const panels: RowPanel[] = [
    {
      title: 'Wrong checks per alert: missed inside its condition + raised outside it (all rounds; dots: per round)',
      unit: 'checks',
      atLeast: 4,
      groups: [{ title: '', rows: wrong }],
      references: [{ value: 0, label: 'document: 0 (fires past the threshold, silent before)' }],
    },
    {
      title: 'Condition in place → first check raising the alert (bar p50, whisker to max)',
      unit: 'ms',
      groups: [{ title: '', rows: detect }],
      references: interval === null ? [] : [{ value: interval, label: `one check interval: ${short(interval, 'ms')}` }],
    },
    ...(clients === undefined ? [] : [clientsPanel(data, clients)]),
  ];
  const body = renderRowChart(
    "monitor-alerts: the document's alert thresholds, checked condition by condition",
    'rows',
    panels,
  );
  if (body === '') return null;
  return {
    caption:
      "Each alert of the document's list: wrong checks of the monitor (0 expected) and how long after the condition it fired, against one check interval",
    body,
    note: [
      `checks ${short(valueOf(data, 'checks'))}, judged ${short(valueOf(data, 'checks.judged'))} (the rest spanned a change of condition), late ${short(valueOf(data, 'checks.late'))}; alerts raised where none was due ${short(valueOf(data, 'false-alarms'))}`,
      verdictLine(clients),
    ]
      .filter((t) => t !== '')
      .join(' · '),
  };
}

/** Per alert with a figure or a verdict: its wrong checks (verdict colour) and its detection time. */
function alertRows(data: ScenarioPlotData): { wrong: RowMark[]; detect: RowMark[] } {
  const wrong: RowMark[] = [];
  const detect: RowMark[] = [];
  for (const [claimId, prefix, label] of ALERTS) {
    const v = verdictOf(data, claimId);
    const misses = valueOf(data, `${prefix}.misses`);
    const falseAlarms = valueOf(data, `${prefix}.false-alarms`);
    const total = misses === null && falseAlarms === null ? null : (misses ?? 0) + (falseAlarms ?? 0);
    if (total === null && v === undefined) continue;
    wrong.push({
      label,
      value: total,
      points: trialFigures(data, claimId),
      color: verdictColor(v),
      shape: 'dot',
      note: `${short(misses)} missed, ${short(falseAlarms)} false alarms${v === undefined ? '' : `: ${v.outcome}`}`,
      noteColor: verdictTextColor(v),
      tip: `${label}: ${short(total)} wrong checks over all rounds`,
    });
    const p50 = valueOf(data, `${prefix}.detect-p50-ms`);
    const max = valueOf(data, `${prefix}.detect-max-ms`);
    detect.push({
      label,
      value: p50,
      low: p50,
      high: max,
      color: MEASURED,
      note: p50 === null ? 'never raised' : `p50 ${short(p50, 'ms')}, max ${short(max, 'ms')}`,
    });
  }
  return { wrong, detect };
}

function clientsPanel(data: ScenarioPlotData, clients: ClaimVerdict): RowPanel {
  const max = valueOf(data, 'service.clients-max');
  return {
    title: 'Connections to Redis while the signal service serves its load (median per round)',
    unit: 'connections',
    groups: [
      {
        title: '',
        rows: [
          verdictRow(data, 'signal service', clients, { unit: '', shape: 'dot' }),
          { label: 'max over samples', value: max, color: MEASURED, shape: 'dot', note: `max ${short(max)}` },
        ],
      },
    ],
    references: [
      { value: 5, label: 'document: expected 5' },
      { value: 10, label: 'document: up to 10' },
    ],
  };
}

const FAULTS = [
  ['kill', 'monitoring.health-kill', 'redis-server killed'],
  ['pause', 'monitoring.health-pause', 'redis-server paused'],
  ['blackhole', 'monitoring.health-blackhole', 'black hole'],
] as const;

/**
 * health-detection: per fault, the time until /health reports it (bar: median over trials, whisker
 * the interval, dots the trials, verdict colour) and until it reports healthy again, against the 1 s
 * threshold (the harness's), on a log axis.
 */
export function healthDetectionHeadline(data: ScenarioPlotData): Headline | null {
  const groups: RowGroup[] = [];
  let threshold: ReturnType<typeof verdictOf>;
  for (const [fault, claimId, label] of FAULTS) {
    const v = verdictOf(data, claimId);
    threshold ??= v;
    const recover = valueOf(data, `${fault}.recover-p50-ms`);
    const recoverMax = valueOf(data, `${fault}.recover-max-ms`);
    if ((v?.measured ?? null) === null && recover === null) continue;
    const missed = valueOf(data, `${fault}.not-detected`);
    groups.push({
      title: `${label}${missed !== null && missed > 0 ? ` (${short(missed)} not detected)` : ''}`,
      rows: [
        verdictRow(data, 'reported unhealthy', v, { unit: 'ms' }),
        {
          label: 'reported healthy again',
          value: recover,
          low: recover,
          high: recoverMax,
          color: MEASURED,
          note: recover === null ? 'not recovered' : `p50 ${short(recover, 'ms')}, max ${short(recoverMax, 'ms')}`,
        },
      ],
    });
  }
  if (groups.length === 0) return null;
  const idle = valueOf(data, 'idle-pause.detect-ms');
  if (idle !== null)
    groups.push({
      title: 'pause with no traffic (one probe)',
      rows: [{ label: 'reported unhealthy', value: idle, color: MEASURED, note: short(idle, 'ms') }],
    });
  const limit = threshold?.claimed ?? null;
  const body = renderRowChart('health-detection: time until /health reports each fault', 'rows', [
    {
      title:
        'Fault injected → /health reports it (bar: median, whisker: interval, dots: trials); → healthy again after the heal',
      unit: 'ms',
      log: true,
      groups,
      references:
        limit === null
          ? []
          : [{ value: limit, label: thresholdLabel(threshold, short(limit, 'ms')), color: '#24292f' }],
    },
  ]);
  if (body === '') return null;
  return {
    caption:
      'Time until /health reports a killed, paused or black-holed Redis, and until it reports healthy again, against the 1 s threshold',
    body,
    note: [
      `false "unhealthy" while healthy ${short(valueOf(data, 'false-while-healthy'))} of ${short(valueOf(data, 'health-polls'))} polls; signal requests failed ${short(valueOf(data, 'signal-requests.failed'))} of ${short(valueOf(data, 'signal-requests'))}`,
      ...(threshold?.thresholdReason ? [`threshold: ${threshold.thresholdReason}`] : []),
    ].join(' · '),
  };
}

/**
 * debug-tools: GET throughput without and with one MONITOR client (the 50% line: the harness's
 * reading of "fit for live debugging"), per trial; the share of deliberately slow commands SLOWLOG
 * caught per trial against the document's all; the slow command's time as logged and as waited.
 */
export function debugToolsHeadline(data: ScenarioPlotData): Headline | null {
  const cost = verdictOf(data, 'monitoring.monitor-cost');
  const slowlog = verdictOf(data, 'monitoring.slowlog-catches');
  const panels = [...monitorPanels(data, cost), ...slowlogPanels(data, slowlog)];
  const body = renderRowChart('debug-tools: what MONITOR costs and what SLOWLOG catches', 'rows', panels);
  if (body === '') return null;
  return {
    caption:
      'MONITOR: GET throughput with one MONITOR client against the 50% line; SLOWLOG: slow commands caught per trial',
    body,
    note: [
      `GET p99 without MONITOR ${short(valueOf(data, 'get.p99-no-monitor-ms'), 'ms')}, with ${short(valueOf(data, 'get.p99-monitor-ms'), 'ms')}; MONITOR feed ${short(valueOf(data, 'monitor.feed-bytes-per-get'), 'bytes')} per GET`,
      verdictLine(cost),
      verdictLine(slowlog),
    ]
      .filter((t) => t !== '')
      .join(' · '),
  };
}

/** The GET rate without and with MONITOR (the threshold at its share of the rate without), and per trial. */
function monitorPanels(data: ScenarioPlotData, cost: ClaimVerdict | undefined): RowPanel[] {
  const without = valueOf(data, 'get.rate-no-monitor');
  const withMonitor = valueOf(data, 'get.rate-monitor');
  const panels: RowPanel[] = [];
  if (without !== null || withMonitor !== null)
    panels.push({
      title: 'GET throughput, closed loop (ops/s)',
      unit: 'GETs per second',
      groups: [
        {
          title: '',
          rows: [
            { label: 'without MONITOR', value: without, color: MEASURED, note: short(without, 'ops/s') },
            {
              label: 'with one MONITOR client',
              value: withMonitor,
              color: verdictColor(cost),
              note: `${short(withMonitor, 'ops/s')}${cost === undefined ? '' : `: ${cost.outcome}`}`,
              noteColor: verdictTextColor(cost),
            },
          ],
        },
      ],
      references:
        without === null || cost === undefined
          ? []
          : [
              {
                value: (without * cost.claimed) / 100,
                label: thresholdLabel(cost, `${short(cost.claimed, '%')} of the rate without`),
              },
            ],
    });
  if (cost !== undefined)
    panels.push({
      title: 'GET rate with MONITOR in % of without, per trial',
      unit: '% of the rate without MONITOR',
      groups: [{ title: '', rows: [verdictRow(data, 'with MONITOR', cost, { unit: '%', shape: 'dot' })] }],
      references: [
        { value: cost.claimed, label: thresholdLabel(cost, short(cost.claimed, '%')) },
        { value: 100, label: 'no cost' },
      ],
    });
  return panels;
}

/** SLOWLOG's catches per trial against the document's all, and the slow command's time as logged and waited. */
function slowlogPanels(data: ScenarioPlotData, slowlog: ClaimVerdict | undefined): RowPanel[] {
  const panels: RowPanel[] = [];
  if (slowlog !== undefined)
    panels.push({
      title: 'Deliberately slow commands (KEYS *) found in SLOWLOG, per trial',
      unit: '% of slow commands sent',
      groups: [
        {
          title: '',
          rows: [
            verdictRow(data, 'caught by SLOWLOG', slowlog, { unit: '%', shape: 'dot' }),
            {
              label: 'fast GETs logged',
              value: valueOf(data, 'slowlog.fast-logged'),
              color: MEASURED,
              shape: 'dot',
              note: `${short(valueOf(data, 'slowlog.fast-logged'))} (count)`,
            },
          ],
        },
      ],
      references: [{ value: slowlog.claimed, label: thresholdLabel(slowlog, short(slowlog.claimed, '%')) }],
    });
  const thresholdMs = valueOf(data, 'slowlog.threshold-us');
  const logged = valueOf(data, 'slowlog.logged-ms');
  const client = valueOf(data, 'slowlog.client-ms');
  if (logged !== null || client !== null)
    panels.push({
      title: 'The slow command: as SLOWLOG logged it and as the client waited (median)',
      unit: 'ms',
      groups: [
        {
          title: '',
          rows: [
            { label: 'SLOWLOG duration', value: logged, color: MEASURED, note: short(logged, 'ms') },
            { label: 'client waited', value: client, color: seriesStyle(1).color, note: short(client, 'ms') },
          ],
        },
      ],
      references:
        thresholdMs === null
          ? []
          : [{ value: thresholdMs / 1000, label: `slowlog-log-slower-than ${short(thresholdMs / 1000, 'ms')}` }],
    });
  return panels;
}
