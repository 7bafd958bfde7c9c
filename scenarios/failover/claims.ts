import type { RegisteredClaim } from '../../bench/core/claim.ts';
import { STABLE_WINDOW_MS } from './failover-params.ts';
import {
  FAST_TIMINGS,
  REDIS_DEFAULT_TIMINGS,
  RECOVERY_MARGIN_MS,
  detectionSetting,
  failoverClaimId,
  recoveryBudgetMs,
  settingsOrigin,
  timingsText,
} from './failover-settings.ts';
import type { FailoverKind, FailoverTimings } from './failover-settings.ts';

const DEPLOYMENT: Record<FailoverKind, string> = {
  cluster: 'a Redis Cluster master (3 masters + 3 replicas)',
  sentinel: 'the Sentinel-managed master (2 replicas, 3 sentinels, quorum 2)',
};

const CLIENT: Record<FailoverKind, string> = {
  cluster: 'writes to its keys',
  sentinel: 'writes, through a sentinel-aware client,',
};

/** "Auto-failover" with the harness's budget for one detection setting: that setting plus 10 s. */
function autoFailoverClaim(kind: FailoverKind, timings: FailoverTimings): RegisteredClaim {
  const settings = `${timingsText(kind, timings).replace(', ', ' and ')}, ${settingsOrigin(timings, kind === 'sentinel')}`;
  const margin = `${RECOVERY_MARGIN_MS / 1000} s`;
  return {
    id: failoverClaimId(kind, timings.mode),
    pattern: 'degradation',
    scenario: `${kind}-failover`,
    quote: 'Auto-failover',
    claimed: recoveryBudgetMs(timings),
    thresholdSource: 'harness',
    thresholdReason: `"Auto-failover" gives no figure; the budget is the harness's: the detection setting in force, ${detectionSetting(kind)} ${timings.detectionMs} ms (${settingsOrigin(timings, false)}), plus ${margin}, since election, promotion and the client following take a few seconds by Redis's design and ${margin} more tells a failover that works from one that waits for a human`,
    unit: 'ms',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs: `end to end, per trial: from SIGKILL of ${DEPLOYMENT[kind]} under open-loop cache load until ${CLIENT[kind]} succeed again, failure detection included (the completion of the first successful write after the last failed one, watched until none has failed for ${STABLE_WINDOW_MS / 1000} s); with ${settings}; the rule: recovers with no human action within the harness's budget, ${detectionSetting(kind)} + ${margin}; a trial whose writes had not recovered when the harness stopped waiting counts with that wait as its figure (censored, beyond the budget)`,
  };
}

/**
 * The document's claims that the failover scenarios measure, in the document's order: each
 * deployment with the harness's fast detection settings (every run) and with Redis's defaults
 * (--thorough). scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const FAILOVER_CLAIMS: readonly RegisteredClaim[] = [
  autoFailoverClaim('cluster', FAST_TIMINGS.cluster),
  autoFailoverClaim('cluster', REDIS_DEFAULT_TIMINGS.cluster),
  autoFailoverClaim('sentinel', FAST_TIMINGS.sentinel),
  autoFailoverClaim('sentinel', REDIS_DEFAULT_TIMINGS.sentinel),
];
