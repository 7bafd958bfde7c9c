import type { Redis } from 'ioredis';
import { FEATURE_KEY_NAMESPACE } from '../../src/cache/feature-key.ts';
import type { KeyspaceAudit, KeyspaceAuditTotals, ScenarioReport } from '../core/run-summary.ts';
import type { RedisTarget } from '../targets/redis-target.ts';

/**
 * "DO always set TTL" / "Cache TTL: 1 hour (3600 seconds)", checked on the keyspace: every cache key
 * (`features:*`, the only keys src/ writes besides the event stream, which MAXLEN bounds) must expire
 * within (0, 3600] s. SCAN (never KEYS) and one pipelined PTTL per SCAN page: read-only, O(keys).
 */
export interface KeyspaceAuditOptions {
  readonly pattern: string;
  readonly maxTtlSeconds: number;
  /** SCAN COUNT hint: keys per page, and PTTLs per pipeline. */
  readonly scanCount: number;
  /** The audit stops (complete: false) after this many keys or this long: a huge keyspace never stalls a run. */
  readonly maxKeys: number;
  readonly timeBudgetMs: number;
}

export const DEFAULT_KEYSPACE_AUDIT_OPTIONS: KeyspaceAuditOptions = Object.freeze({
  pattern: `${FEATURE_KEY_NAMESPACE}:*`,
  maxTtlSeconds: 3_600,
  scanCount: 1_000,
  maxKeys: 2_000_000,
  timeBudgetMs: 10_000,
});

/** Where a PTTL reply puts a key: -2 (gone since SCAN) is not counted. */
export function classifyPttl(pttlMs: number, maxTtlSeconds: number): 'ok' | 'no-ttl' | 'above-max' | 'gone' {
  if (pttlMs === -2) return 'gone';
  if (pttlMs === -1) return 'no-ttl';
  return pttlMs > maxTtlSeconds * 1_000 ? 'above-max' : 'ok';
}

/** An audit that did not run, with why. */
export function skippedAudit(reason: string, options: Partial<KeyspaceAuditOptions> = {}): KeyspaceAudit {
  const { pattern, maxTtlSeconds } = { ...DEFAULT_KEYSPACE_AUDIT_OPTIONS, ...options };
  return {
    skipped: reason,
    pattern,
    maxTtlSeconds,
    keysScanned: 0,
    keysWithoutTtl: 0,
    keysAboveMaxTtl: 0,
    complete: false,
  };
}

/** SCAN MATCH over each node (a standalone server: one; a cluster: every master) and PTTL per key. */
export async function auditKeyspace(
  nodes: readonly Redis[],
  options: Partial<KeyspaceAuditOptions> = {},
): Promise<KeyspaceAudit> {
  const resolved = { ...DEFAULT_KEYSPACE_AUDIT_OPTIONS, ...options };
  const deadline = performance.now() + resolved.timeBudgetMs;
  let keysScanned = 0;
  let keysWithoutTtl = 0;
  let keysAboveMaxTtl = 0;
  let complete = true;
  for (const node of nodes) {
    let cursor = '0';
    do {
      if (keysScanned >= resolved.maxKeys || performance.now() > deadline) {
        complete = false;
        break;
      }
      const [next, keys] = await node.scan(cursor, 'MATCH', resolved.pattern, 'COUNT', resolved.scanCount);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.pttl(key);
      const replies = (await pipeline.exec()) ?? [];
      for (const [error, reply] of replies) {
        if (error !== null) throw error;
        const kind = classifyPttl(reply as number, resolved.maxTtlSeconds);
        if (kind === 'gone') continue;
        // SCAN may return a key twice (rehashing): the counts may exceed the key count by those.
        keysScanned += 1;
        if (kind === 'no-ttl') keysWithoutTtl += 1;
        else if (kind === 'above-max') keysAboveMaxTtl += 1;
      }
    } while (cursor !== '0');
  }
  return {
    skipped: null,
    pattern: resolved.pattern,
    maxTtlSeconds: resolved.maxTtlSeconds,
    keysScanned,
    keysWithoutTtl,
    keysAboveMaxTtl,
    complete,
  };
}

/** % of the audited keys outside (0, maxTtlSeconds]; NaN when no key was seen. */
export function shareOutsideTtl(audit: KeyspaceAudit): number {
  return audit.keysScanned === 0
    ? Number.NaN
    : (100 * (audit.keysWithoutTtl + audit.keysAboveMaxTtl)) / audit.keysScanned;
}

/** Two blocks of one scenario: counts added; skipped only when both were. */
export function addAudits(
  first: KeyspaceAudit | undefined,
  next: KeyspaceAudit | undefined,
): KeyspaceAudit | undefined {
  if (first === undefined || next === undefined) return first ?? next;
  if (next.skipped !== null) return first;
  if (first.skipped !== null) return next;
  return {
    ...first,
    keysScanned: first.keysScanned + next.keysScanned,
    keysWithoutTtl: first.keysWithoutTtl + next.keysWithoutTtl,
    keysAboveMaxTtl: first.keysAboveMaxTtl + next.keysAboveMaxTtl,
    complete: first.complete && next.complete,
  };
}

/** The run's totals over its scenarios' audits. */
export function auditTotals(reports: readonly ScenarioReport[]): KeyspaceAuditTotals {
  const audits = reports.flatMap((r) => (r.keyspaceAudit === undefined ? [] : [{ id: r.id, audit: r.keyspaceAudit }]));
  const done = audits.filter((a) => a.audit.skipped === null);
  const sum = (pick: (a: KeyspaceAudit) => number): number => done.reduce((total, a) => total + pick(a.audit), 0);
  return {
    scenariosAudited: done.length,
    scenariosSkipped: audits.length - done.length,
    keysScanned: sum((a) => a.keysScanned),
    keysWithoutTtl: sum((a) => a.keysWithoutTtl),
    keysAboveMaxTtl: sum((a) => a.keysAboveMaxTtl),
    scenariosWithViolations: done.filter((a) => a.audit.keysWithoutTtl + a.audit.keysAboveMaxTtl > 0).map((a) => a.id),
  };
}

/**
 * The audit of one scenario's Redis, taken before the runner releases it. Only a redis-server the
 * harness started for this scenario is audited: a Redis given by URL may hold keys of other runs or
 * users (read-only, but not this run's to judge), and a cluster's or sentinel's keys are spread over
 * nodes the admin connection does not reach. Never throws: a failed audit is a skipped one, with why.
 */
export async function auditSessionKeyspace(
  target: Pick<RedisTarget, 'kind'> | null,
  admin: Redis | null,
): Promise<KeyspaceAudit | undefined> {
  if (target === null || admin === null) return undefined;
  if (target.kind === 'url')
    return skippedAudit('a Redis given by --redis-url or --target container: it may hold keys this run did not write');
  if (target.kind === 'managed-topology')
    return skippedAudit('a managed cluster or sentinel deployment: audited on a standalone redis-server only');
  try {
    return await auditKeyspace([admin]);
  } catch (error) {
    return skippedAudit(`the audit failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** One line for the CLI's run output; null when no scenario was audited. */
export function auditTotalsLine(totals: KeyspaceAuditTotals | undefined): string | null {
  if (totals === undefined || totals.scenariosAudited + totals.scenariosSkipped === 0) return null;
  const where = totals.scenariosWithViolations.length > 0 ? ` (in ${totals.scenariosWithViolations.join(', ')})` : '';
  const skipped = totals.scenariosSkipped > 0 ? `; ${totals.scenariosSkipped} scenario(s) not audited` : '';
  return `keyspace TTL audit (features:*, at each scenario's end): ${totals.keysScanned} keys in ${totals.scenariosAudited} scenario(s), ${totals.keysWithoutTtl} without a TTL, ${totals.keysAboveMaxTtl} above 3600 s${where}${skipped}`;
}
