import type { RegisteredClaim } from '../../bench/core/claim.ts';
import type { AlertKey } from './alert-figures.ts';

/** What one trial of every alert claim is. */
const ROUND =
  'one trial = one round that drives a managed Redis through every condition of the list once, each for real (CONFIG SET, filler, clients, RESETSTAT, SIGKILL), and back';

const wrongChecks = (key: AlertKey, firesIn: string, silentIn: string): string =>
  `per round: checks of the monitor (the evaluation \`rpb monitor\` runs, at its check interval) that were wrong about ${key.severity}:${key.id}: a check wholly inside a condition that should raise it (${firesIn}) that did not, plus a check inside any other condition that raised it (false alarms, counted over every condition of the round, among them ${silentIn}); "fires within one check interval" is read as: the first check that starts after the condition is in place (within one interval, the loop being fixed-rate) already raises it; ${ROUND}`;

/** The alert each claim is about, in the document's order. */
export const ALERT_CLAIM_KEYS: Readonly<Record<string, AlertKey>> = {
  'monitoring.alert-hit-rate': { id: 'hit-rate', severity: 'warning' },
  'monitoring.alert-memory-80': { id: 'memory', severity: 'warning' },
  'monitoring.alert-clients': { id: 'connected-clients', severity: 'warning' },
  'monitoring.alert-keyspace-errors': { id: 'error-replies', severity: 'warning' },
  'monitoring.alert-unreachable': { id: 'unreachable', severity: 'critical' },
  'monitoring.alert-memory-95': { id: 'memory', severity: 'critical' },
  'monitoring.alert-eviction-policy': { id: 'eviction-policy', severity: 'critical' },
};

const alertClaim = (id: string, quote: string, measuredAs: string): RegisteredClaim => ({
  id,
  pattern: 'monitoring',
  scenario: 'monitor-alerts',
  quote,
  claimed: 0,
  thresholdSource: 'document',
  unit: 'count',
  rule: { kind: 'never-observed' },
  better: 'lower',
  measuredAs,
});

/**
 * The document's alerting thresholds (Pattern 4), one claim per alert, and the connected clients it
 * expects, in the document's order. scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const MONITOR_ALERTS_CLAIMS: readonly RegisteredClaim[] = [
  alertClaim(
    'monitoring.alert-hit-rate',
    'Cache hit rate < 50% (expected: 70-80%)',
    wrongChecks(
      ALERT_CLAIM_KEYS['monitoring.alert-hit-rate']!,
      'hit rate 48% over 100 lookups since CONFIG RESETSTAT',
      'hit rate 52% over 100 lookups; the monitor judges the hit rate from 100 lookups on',
    ),
  ),
  alertClaim(
    'monitoring.alert-memory-80',
    'Used memory > 80% of max',
    wrongChecks(
      ALERT_CLAIM_KEYS['monitoring.alert-memory-80']!,
      'used_memory 81% and 94% of maxmemory',
      'used_memory 79% of maxmemory, and 96% where the critical alert replaces it',
    ),
  ),
  alertClaim(
    'monitoring.alert-clients',
    'Connected clients > 50 (expected: 5-10)',
    wrongChecks(
      ALERT_CLAIM_KEYS['monitoring.alert-clients']!,
      '51 connected clients besides the monitor',
      '50 connected clients besides the monitor',
    ),
  ),
  alertClaim(
    'monitoring.alert-keyspace-errors',
    'Keyspace errors > 0',
    wrongChecks(
      ALERT_CLAIM_KEYS['monitoring.alert-keyspace-errors']!,
      'one WRONGTYPE reply since CONFIG RESETSTAT; Redis has no "keyspace errors" field: the monitor reads failed_calls + rejected_calls summed over INFO commandstats (Redis >= 6.2: error replies to commands the server knows), not total_error_replies, which also counts replies to unknown commands such as the CLIENT SETINFO of every new ioredis 5.4+ connection on Redis < 7.2',
      'every other condition, 51 new client connections among them',
    ),
  ),
  alertClaim(
    'monitoring.alert-unreachable',
    'Redis unreachable (health check fails)',
    wrongChecks(
      ALERT_CLAIM_KEYS['monitoring.alert-unreachable']!,
      'redis-server killed with SIGKILL (the check cannot connect)',
      'every condition with Redis up',
    ),
  ),
  alertClaim(
    'monitoring.alert-memory-95',
    'Used memory > 95% of max',
    wrongChecks(
      ALERT_CLAIM_KEYS['monitoring.alert-memory-95']!,
      'used_memory 96% of maxmemory',
      'used_memory 94% of maxmemory',
    ),
  ),
  alertClaim(
    'monitoring.alert-eviction-policy',
    'Eviction policy not set (risk of OOM)',
    wrongChecks(
      ALERT_CLAIM_KEYS['monitoring.alert-eviction-policy']!,
      "maxmemory-policy noeviction (Redis's default: no policy set)",
      "maxmemory 512mb with volatile-lru (the document's redis.conf)",
    ),
  ),
  {
    id: 'monitoring.expected-clients',
    pattern: 'monitoring',
    scenario: 'monitor-alerts',
    quote: 'Connected clients > 50 (expected: 5-10)',
    claimed: 7.5,
    thresholdSource: 'document',
    unit: 'count',
    rule: { kind: 'within-points', points: 2.5 },
    better: 'lower',
    measuredAs: `per round: the median, over CLIENT LIST samples every 20 ms while the signal service serves its load (closed loop over keep-alive HTTP connections, cached 5-symbol requests, as http-signals' throughput phases), of the connections to Redis other than the harness's own (its admin connection and the monitor's); "expected: 5-10" read as within [5, 10] (7.5 ± 2.5); one service process, started for the round; ${ROUND}`,
  },
];
