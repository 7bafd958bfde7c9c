import type { OverallSeverity } from '../../src/monitoring/alert-thresholds.ts';
import { DOCUMENT_ALERT_THRESHOLDS } from '../../src/monitoring/alert-thresholds.ts';
import type { MonitorReport } from '../../src/monitoring/redis-monitor.ts';
import { DEFAULT_MONITOR_OPTIONS, monitorRedis } from '../../src/monitoring/redis-monitor.ts';
import { parseRedisUrl, RedisUrlError } from '../../src/redis/redis-url.ts';
import { ConfigError, ExitCode } from '../errors.ts';
import type { ExitCodeValue } from '../errors.ts';
import { onInterrupt } from '../core/cleanup-registry.ts';
import { ManagedRedis } from '../targets/managed-redis.ts';

export interface MonitorCommandOptions {
  redisUrl?: string;
  json?: boolean;
  watch?: string;
}

/** Exit codes of `rpb monitor` by the worst alert (documented in `rpb monitor --help` and docs/cli.md). */
export const MONITOR_EXIT_CODES: Readonly<Record<OverallSeverity, ExitCodeValue>> = {
  ok: ExitCode.ok,
  warning: ExitCode.monitorWarning,
  critical: ExitCode.monitorCritical,
};

const pct = (ratio: number | null): string => (ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)}%`);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The report as a table: each figure beside the document's threshold, then SLOWLOG, LATENCY and the alerts. */
export function formatMonitorTable(report: MonitorReport): string {
  const t = DOCUMENT_ALERT_THRESHOLDS;
  const lines = [
    `Redis ${report.target}${report.redisVersion === null ? '' : ` (redis ${report.redisVersion}, up ${report.uptimeSeconds ?? '?'} s)`} at ${report.at}`,
  ];
  const f = report.figures;
  if (f !== null) {
    const rows: [string, string, string][] = [
      [
        'hit rate',
        `${pct(f.hitRate)} (${f.keyspaceHits} hits / ${f.keyspaceMisses} misses)`,
        `warning < ${pct(t.hitRateWarningBelow)} (from ${t.minLookupsForHitRate} lookups)`,
      ],
      [
        'used memory',
        f.maxMemoryBytes > 0
          ? `${mb(f.usedMemoryBytes)} of ${mb(f.maxMemoryBytes)} (${pct(f.memoryRatio)})`
          : `${mb(f.usedMemoryBytes)} (no maxmemory)`,
        `warning > ${pct(t.memoryWarningAbove)}, critical > ${pct(t.memoryCriticalAbove)}`,
      ],
      ['eviction policy', f.maxMemoryPolicy ?? 'unknown', 'critical: noeviction or maxmemory 0'],
      [
        'connected clients',
        `${f.connectedClients} (this monitor not counted)`,
        `warning > ${t.connectedClientsWarningAbove}`,
      ],
      [
        'keyspace errors',
        f.commandErrors === null && f.errorReplies === null
          ? 'n/a (Redis < 6.2)'
          : `${f.commandErrors ?? f.errorReplies}${f.commandErrors === null ? ' (total_error_replies)' : ' (failed + rejected calls of known commands)'}${
              Object.keys(f.errorsByPrefix).length === 0
                ? ''
                : `; all error replies: ${f.errorReplies ?? '?'} (${Object.entries(f.errorsByPrefix)
                    .map(([p, c]) => `${p} ${c}`)
                    .join(', ')})`
            }`,
        `warning > ${t.errorRepliesWarningAbove}`,
      ],
      ['keys', String(f.keys), ''],
      ['evicted keys', String(f.evictedKeys), 'should be near 0'],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    lines.push('', `${'figure'.padEnd(w0)}  ${'value'.padEnd(w1)}  threshold`);
    for (const [name, value, threshold] of rows)
      lines.push(`${name.padEnd(w0)}  ${value.padEnd(w1)}  ${threshold}`.trimEnd());
  }
  if (report.slowlog !== null) {
    lines.push('', report.slowlog.length === 0 ? 'SLOWLOG: empty' : `SLOWLOG (newest ${report.slowlog.length}):`);
    for (const e of report.slowlog)
      lines.push(`  #${e.id} ${e.at} ${(e.durationUs / 1000).toFixed(3)} ms  ${e.command}`);
  } else if (report.reachable) lines.push('', 'SLOWLOG: not available (command refused)');
  if (report.latency !== null) {
    lines.push(
      report.latency.length === 0
        ? 'LATENCY LATEST: no events (latency-monitor-threshold may be 0)'
        : 'LATENCY LATEST:',
    );
    for (const e of report.latency) lines.push(`  ${e.event}: latest ${e.latestMs} ms, max ${e.maxMs} ms (${e.at})`);
  } else if (report.reachable) lines.push('LATENCY LATEST: not available (command refused)');
  lines.push('');
  if (report.alerts.length === 0) lines.push('alerts: none (OK)');
  for (const a of report.alerts) lines.push(`${a.severity.toUpperCase()}: ${a.message}`);
  lines.push(`status: ${report.severity.toUpperCase()} (exit ${MONITOR_EXIT_CODES[report.severity]})`);
  return lines.join('\n');
}

function formatReport(report: MonitorReport, json: boolean): string {
  return json
    ? JSON.stringify({ ...report, exitCode: MONITOR_EXIT_CODES[report.severity] }, null, 2)
    : formatMonitorTable(report);
}

function parseWatch(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const seconds = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || seconds < 0.5 || seconds > 3_600) {
    throw new ConfigError(`--watch ${JSON.stringify(raw)}: expected seconds between 0.5 and 3600`, {
      hint: 'e.g. --watch 5 refreshes every 5 seconds until Ctrl-C',
    });
  }
  return seconds;
}

/**
 * `rpb monitor`: one look (or one every --watch seconds) at a Redis with the document's alert
 * thresholds. Without --redis-url or $REDIS_URL it starts a managed redis-server with the
 * document's redis.conf and monitors that (a demo of the table; it is stopped on exit).
 * Returns the exit code of the last report: 0 ok, 10 warning, 11 critical.
 */
export async function runMonitorCommand(
  options: MonitorCommandOptions,
  output: (text: string) => void,
  progress: (message: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExitCodeValue> {
  const watchSeconds = parseWatch(options.watch);
  let url = options.redisUrl ?? (env.REDIS_URL?.trim() || undefined);
  if (url !== undefined) {
    try {
      parseRedisUrl(url);
    } catch (error) {
      if (error instanceof RedisUrlError)
        throw new ConfigError(`--redis-url / REDIS_URL: ${error.message}`, {
          hint: 'e.g. --redis-url redis://:password@127.0.0.1:6380/0',
        });
      throw error;
    }
  }
  let managed: ManagedRedis | null = null;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const stopListening = onInterrupt(async () => {
    stop();
    await managed?.stop();
  });
  try {
    if (url === undefined) {
      progress(
        "no --redis-url or REDIS_URL: starting a managed redis-server with the document's redis.conf to show the table (pass --redis-url to monitor your Redis)",
      );
      managed = await ManagedRedis.start();
      url = managed.url;
    }
    let code: ExitCodeValue = ExitCode.ok;
    for (;;) {
      const report = await monitorRedis(url, DEFAULT_MONITOR_OPTIONS);
      code = MONITOR_EXIT_CODES[report.severity];
      output(formatReport(report, options.json === true));
      if (watchSeconds === null) return code;
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        stopped.then(() => 'stop' as const),
        new Promise<'next'>((resolve) => {
          timer = setTimeout(() => resolve('next'), watchSeconds * 1000);
        }),
      ]);
      clearTimeout(timer);
      if (next === 'stop') return code;
    }
  } finally {
    stopListening();
    await managed?.stop();
  }
}
