import { Redis } from 'ioredis';
import { endpointOptions } from '../redis/endpoint-options.ts';
import { redactRedisUrl } from '../redis/redis-url.ts';
import type { Alert, AlertThresholds, OverallSeverity, RedisHealthFigures } from './alert-thresholds.ts';
import {
  DOCUMENT_ALERT_THRESHOLDS,
  evaluateAlerts,
  healthFigures,
  overallSeverity,
  unreachableAlert,
} from './alert-thresholds.ts';
import { infoField, parseRedisInfo } from './redis-info.ts';

export interface SlowlogEntry {
  readonly id: number;
  readonly at: string;
  readonly durationUs: number;
  readonly command: string;
}

export interface LatencyEvent {
  readonly event: string;
  readonly at: string;
  readonly latestMs: number;
  readonly maxMs: number;
}

/** One look at a Redis: the document's monitoring figures, SLOWLOG, LATENCY, and the alerts they raise. */
export interface MonitorReport {
  readonly at: string;
  readonly target: string;
  readonly reachable: boolean;
  readonly redisVersion: string | null;
  readonly uptimeSeconds: number | null;
  readonly figures: RedisHealthFigures | null;
  /** null when the server refused the command (ACL, renamed command). */
  readonly slowlog: readonly SlowlogEntry[] | null;
  readonly latency: readonly LatencyEvent[] | null;
  readonly alerts: readonly Alert[];
  readonly severity: OverallSeverity;
}

export interface MonitorOptions {
  /** Bound on connecting and on each command. */
  readonly timeoutMs: number;
  readonly slowlogEntries: number;
  readonly thresholds: AlertThresholds;
}

export const DEFAULT_MONITOR_OPTIONS: MonitorOptions = Object.freeze({
  timeoutMs: 2_000,
  slowlogEntries: 10,
  thresholds: DOCUMENT_ALERT_THRESHOLDS,
});

const commandText = (args: unknown): string =>
  (Array.isArray(args) ? args.map(String).join(' ') : String(args)).slice(0, 120);
const isoOfEpochSeconds = (seconds: unknown): string => new Date(Number(seconds) * 1000).toISOString();

function parseSlowlog(reply: unknown): SlowlogEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((entry: unknown[]) => ({
    id: Number(entry[0]),
    at: isoOfEpochSeconds(entry[1]),
    durationUs: Number(entry[2]),
    command: commandText(entry[3]),
  }));
}

function parseLatency(reply: unknown): LatencyEvent[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((entry: unknown[]) => ({
    event: String(entry[0]),
    at: isoOfEpochSeconds(entry[1]),
    latestMs: Number(entry[2]),
    maxMs: Number(entry[3]),
  }));
}

async function optional<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch {
    return null;
  }
}

/**
 * Connects once (no retries: an unreachable server is a finding, reported as the critical alert),
 * reads INFO, SLOWLOG GET and LATENCY LATEST, evaluates the alerts and disconnects. Never throws
 * for a server problem; a malformed URL throws RedisUrlError.
 */
export async function monitorRedis(
  url: string,
  options: MonitorOptions = DEFAULT_MONITOR_OPTIONS,
): Promise<MonitorReport> {
  const target = redactRedisUrl(url);
  const at = new Date().toISOString();
  const client = new Redis({
    ...endpointOptions(url),
    lazyConnect: true,
    connectTimeout: options.timeoutMs,
    commandTimeout: options.timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectionName: 'rpb-monitor',
    // No CLIENT SETINFO: on Redis < 7.2 it is an unknown command, an error reply the monitor itself would cause.
    disableClientInfo: true,
  });
  client.on('error', () => {});
  try {
    let infoText: string;
    try {
      await client.connect();
      infoText = await client.info('everything');
    } catch (error) {
      const alerts = [unreachableAlert(error instanceof Error ? error.message : String(error))];
      return {
        at,
        target,
        reachable: false,
        redisVersion: null,
        uptimeSeconds: null,
        figures: null,
        slowlog: null,
        latency: null,
        alerts,
        severity: overallSeverity(alerts),
      };
    }
    const info = parseRedisInfo(infoText);
    const slowlog = await optional(async () =>
      parseSlowlog(await client.call('SLOWLOG', 'GET', String(options.slowlogEntries))),
    );
    const latency = await optional(async () => parseLatency(await client.call('LATENCY', 'LATEST')));
    const figures = healthFigures(info);
    const alerts = evaluateAlerts(figures, options.thresholds);
    const version = infoField(info, 'redis_version');
    const uptime = infoField(info, 'uptime_in_seconds');
    return {
      at,
      target,
      reachable: true,
      redisVersion: version === undefined ? null : String(version),
      uptimeSeconds: typeof uptime === 'number' ? uptime : null,
      figures,
      slowlog,
      latency,
      alerts,
      severity: overallSeverity(alerts),
    };
  } finally {
    client.disconnect();
  }
}
