/**
 * The failure-detection settings the failover trials run with (the harness's fast ones, and Redis's
 * own defaults with --thorough) and the recovery budget the claims allow beyond them.
 */

export type FailoverKind = 'cluster' | 'sentinel';

/** fast: the harness's short detection settings (every run); redis-defaults: Redis's own (--thorough). */
export type FailoverMode = 'fast' | 'redis-defaults';

/** The failure-detection and failover timings a failover trial runs with. */
export interface FailoverTimings {
  readonly mode: FailoverMode;
  /** cluster-node-timeout (cluster) / down-after-milliseconds (sentinel). */
  readonly detectionMs: number;
  /** sentinel failover-timeout; unused on a cluster. */
  readonly failoverTimeoutMs: number;
}

/** What the claims allow beyond the detection setting: "Auto-failover" gives no figure, the harness chose it. */
export const RECOVERY_MARGIN_MS = 10_000;

/** The harness's short settings (the managed deployments' defaults): every run uses them. */
export const FAST_TIMINGS: Readonly<Record<FailoverKind, FailoverTimings>> = {
  cluster: { mode: 'fast', detectionMs: 2_000, failoverTimeoutMs: 5_000 },
  sentinel: { mode: 'fast', detectionMs: 1_000, failoverTimeoutMs: 5_000 },
};

/** Redis's own defaults (cluster-node-timeout 15000; down-after-milliseconds 30000, failover-timeout 180000). */
export const REDIS_DEFAULT_TIMINGS: Readonly<Record<FailoverKind, FailoverTimings>> = {
  cluster: { mode: 'redis-defaults', detectionMs: 15_000, failoverTimeoutMs: 180_000 },
  sentinel: { mode: 'redis-defaults', detectionMs: 30_000, failoverTimeoutMs: 180_000 },
};

/** The harness's recovery budget for a trial: the detection setting in force plus RECOVERY_MARGIN_MS. */
export function recoveryBudgetMs(timings: Pick<FailoverTimings, 'detectionMs'>): number {
  return timings.detectionMs + RECOVERY_MARGIN_MS;
}

/** The Redis directive that sets the failure-detection time on this deployment. */
export function detectionSetting(kind: FailoverKind): string {
  return kind === 'cluster' ? 'cluster-node-timeout' : 'down-after-milliseconds';
}

/** The settings in words, e.g. "down-after-milliseconds 1000 ms, failover-timeout 5000 ms". */
export function timingsText(kind: FailoverKind, timings: FailoverTimings): string {
  const detection = `${detectionSetting(kind)} ${timings.detectionMs} ms`;
  return kind === 'cluster' ? detection : `${detection}, failover-timeout ${timings.failoverTimeoutMs} ms`;
}

/** Whose settings these are: "the harness's fast setting(s)" or "Redis's default(s)". */
export function settingsOrigin(timings: FailoverTimings, plural: boolean): string {
  const s = plural ? 's' : '';
  return timings.mode === 'fast' ? `the harness's fast setting${s}` : `Redis's default${s}`;
}

/** The claim each mode is judged against. */
export function failoverClaimId(kind: FailoverKind, mode: FailoverMode): string {
  return `production.auto-failover-${kind}${mode === 'fast' ? '' : '.redis-defaults'}`;
}
