import type { RedisInfo } from './redis-info.ts';
import { infoField } from './redis-info.ts';

/**
 * The document's alerting thresholds (Pattern 4, "Alerting Thresholds"):
 *   warning:  cache hit rate < 50%, used memory > 80% of max, connected clients > 50, keyspace errors > 0
 *   critical: Redis unreachable, used memory > 95% of max, eviction policy not set (risk of OOM)
 */
export interface AlertThresholds {
  readonly hitRateWarningBelow: number;
  /** Below this many lookups the hit rate is noise (a fresh server's first miss is 0%) and is not judged. */
  readonly minLookupsForHitRate: number;
  readonly memoryWarningAbove: number;
  readonly memoryCriticalAbove: number;
  readonly connectedClientsWarningAbove: number;
  readonly errorRepliesWarningAbove: number;
}

export const DOCUMENT_ALERT_THRESHOLDS: AlertThresholds = Object.freeze({
  hitRateWarningBelow: 0.5,
  minLookupsForHitRate: 100,
  memoryWarningAbove: 0.8,
  memoryCriticalAbove: 0.95,
  connectedClientsWarningAbove: 50,
  errorRepliesWarningAbove: 0,
});

export type AlertSeverity = 'warning' | 'critical';
export type AlertId = 'unreachable' | 'hit-rate' | 'memory' | 'connected-clients' | 'error-replies' | 'eviction-policy';

export interface Alert {
  readonly id: AlertId;
  readonly severity: AlertSeverity;
  readonly message: string;
}

/** The figures the alerts are judged on, read from INFO (null when the server does not report one). */
export interface RedisHealthFigures {
  readonly keyspaceHits: number;
  readonly keyspaceMisses: number;
  /** hits / (hits + misses) since the server started (or CONFIG RESETSTAT); null before any lookup. */
  readonly hitRate: number | null;
  readonly usedMemoryBytes: number;
  /** 0: no limit. */
  readonly maxMemoryBytes: number;
  /** used / max, null when maxmemory is 0. */
  readonly memoryRatio: number | null;
  readonly maxMemoryPolicy: string | null;
  /** connected_clients minus the monitor's own connection. */
  readonly connectedClients: number;
  /** total_error_replies (Redis >= 6.2): every error reply, unknown commands included. */
  readonly errorReplies: number | null;
  /**
   * The document's "keyspace errors": failed_calls + rejected_calls summed over INFO commandstats
   * (Redis >= 6.2), i.e. error replies to commands the server knows (WRONGTYPE, OOM, ...). Error
   * replies to commands it does not know are left out: a client library's handshake sends some on an
   * older server (ioredis 5.4+ sends CLIENT SETINFO, unknown before Redis 7.2: two ERR replies per new
   * connection), and they say nothing about the keyspace. Null when INFO has no such counts.
   */
  readonly commandErrors: number | null;
  /** INFO errorstats: error replies by prefix, e.g. { ERR: 2, WRONGTYPE: 1 } (Redis >= 6.2). */
  readonly errorsByPrefix: Readonly<Record<string, number>>;
  readonly evictedKeys: number;
  readonly keys: number;
}

function numberField(info: RedisInfo, field: string): number | null {
  const value = infoField(info, field);
  return typeof value === 'number' ? value : null;
}

/** `ownConnections`: connections of the monitor itself, left out of the client count. */
export function healthFigures(info: RedisInfo, ownConnections = 1): RedisHealthFigures {
  const hits = numberField(info, 'keyspace_hits') ?? 0;
  const misses = numberField(info, 'keyspace_misses') ?? 0;
  const used = numberField(info, 'used_memory') ?? 0;
  const max = numberField(info, 'maxmemory') ?? 0;
  const policy = infoField(info, 'maxmemory_policy');
  let keys = 0;
  for (const [name, value] of Object.entries(info.keyspace ?? {})) {
    if (/^db\d+$/.test(name) && typeof value === 'object' && typeof value.keys === 'number') keys += value.keys;
  }
  let commandErrors: number | null = null;
  for (const [name, value] of Object.entries(info.commandstats ?? {})) {
    if (!name.startsWith('cmdstat_') || typeof value !== 'object') continue;
    const { failed_calls: failed, rejected_calls: rejected } = value;
    if (typeof failed === 'number' || typeof rejected === 'number')
      commandErrors =
        (commandErrors ?? 0) +
        (typeof failed === 'number' ? failed : 0) +
        (typeof rejected === 'number' ? rejected : 0);
  }
  const errorsByPrefix: Record<string, number> = {};
  for (const [name, value] of Object.entries(info.errorstats ?? {})) {
    if (name.startsWith('errorstat_') && typeof value === 'object' && typeof value.count === 'number')
      errorsByPrefix[name.slice('errorstat_'.length)] = value.count;
  }
  return {
    keyspaceHits: hits,
    keyspaceMisses: misses,
    hitRate: hits + misses === 0 ? null : hits / (hits + misses),
    usedMemoryBytes: used,
    maxMemoryBytes: max,
    memoryRatio: max > 0 ? used / max : null,
    maxMemoryPolicy: typeof policy === 'string' ? policy : null,
    connectedClients: Math.max(0, (numberField(info, 'connected_clients') ?? 0) - ownConnections),
    errorReplies: numberField(info, 'total_error_replies'),
    commandErrors,
    errorsByPrefix,
    evictedKeys: numberField(info, 'evicted_keys') ?? 0,
    keys,
  };
}

const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Alerts for a reachable server, critical first. */
export function evaluateAlerts(
  figures: RedisHealthFigures,
  thresholds: AlertThresholds = DOCUMENT_ALERT_THRESHOLDS,
): Alert[] {
  const alerts: Alert[] = [];
  const { memoryRatio, maxMemoryPolicy, maxMemoryBytes } = figures;
  if (memoryRatio !== null && memoryRatio > thresholds.memoryCriticalAbove) {
    alerts.push({
      id: 'memory',
      severity: 'critical',
      message: `used memory ${mb(figures.usedMemoryBytes)} is ${pct(memoryRatio)} of maxmemory ${mb(maxMemoryBytes)} (critical above ${pct(thresholds.memoryCriticalAbove)})`,
    });
  } else if (memoryRatio !== null && memoryRatio > thresholds.memoryWarningAbove) {
    alerts.push({
      id: 'memory',
      severity: 'warning',
      message: `used memory ${mb(figures.usedMemoryBytes)} is ${pct(memoryRatio)} of maxmemory ${mb(maxMemoryBytes)} (warning above ${pct(thresholds.memoryWarningAbove)})`,
    });
  }
  // With no memory limit nothing is ever evicted, whatever the policy says: the server grows until the OS kills it.
  if (maxMemoryPolicy === 'noeviction' || maxMemoryBytes === 0) {
    const why =
      maxMemoryBytes === 0
        ? 'maxmemory is 0 (no limit), so no key is ever evicted'
        : 'maxmemory-policy is noeviction, so writes fail once maxmemory is reached';
    alerts.push({
      id: 'eviction-policy',
      severity: 'critical',
      message: `eviction policy not set: ${why} (risk of OOM); set maxmemory and maxmemory-policy volatile-lru as the document recommends`,
    });
  }
  const lookups = figures.keyspaceHits + figures.keyspaceMisses;
  if (
    figures.hitRate !== null &&
    lookups >= thresholds.minLookupsForHitRate &&
    figures.hitRate < thresholds.hitRateWarningBelow
  ) {
    alerts.push({
      id: 'hit-rate',
      severity: 'warning',
      message: `cache hit rate ${pct(figures.hitRate)} over ${lookups} lookups (warning below ${pct(thresholds.hitRateWarningBelow)}; the document expects 70-80%)`,
    });
  }
  if (figures.connectedClients > thresholds.connectedClientsWarningAbove) {
    alerts.push({
      id: 'connected-clients',
      severity: 'warning',
      message: `${figures.connectedClients} connected clients (warning above ${thresholds.connectedClientsWarningAbove}; the document expects 5-10)`,
    });
  }
  const keyspaceErrors = figures.commandErrors ?? figures.errorReplies;
  if (keyspaceErrors !== null && keyspaceErrors > thresholds.errorRepliesWarningAbove) {
    const byPrefix = Object.entries(figures.errorsByPrefix)
      .map(([prefix, count]) => `${prefix} ${count}`)
      .join(', ');
    const source =
      figures.commandErrors === null
        ? 'total_error_replies'
        : 'failed_calls + rejected_calls of INFO commandstats; error replies to unknown commands not counted';
    alerts.push({
      id: 'error-replies',
      severity: 'warning',
      message: `${keyspaceErrors} commands answered with an error since the server started${byPrefix === '' ? '' : ` (all error replies by prefix: ${byPrefix})`} (${source}; the document's "keyspace errors > 0"; INFO errorstats and the server log say which)`,
    });
  }
  return alerts;
}

/** The one alert of a server that does not answer. */
export function unreachableAlert(reason: string): Alert {
  return { id: 'unreachable', severity: 'critical', message: `Redis unreachable (health check failed): ${reason}` };
}

export type OverallSeverity = 'ok' | AlertSeverity;

export function overallSeverity(alerts: readonly Alert[]): OverallSeverity {
  if (alerts.some((a) => a.severity === 'critical')) return 'critical';
  return alerts.length > 0 ? 'warning' : 'ok';
}
