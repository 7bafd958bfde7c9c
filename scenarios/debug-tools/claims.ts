import type { RegisteredClaim } from '../../bench/core/claim.ts';

/** The document's debugging tools ("Monitoring in Production"), costed and checked. */
export const DEBUG_TOOLS_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'monitoring.monitor-cost',
    pattern: 'monitoring',
    scenario: 'debug-tools',
    quote: 'Redis MONITOR for live debugging',
    claimed: 50,
    thresholdSource: 'harness',
    thresholdReason:
      "the document gives no figure; Redis's own MONITOR page warns that one MONITOR client can cut throughput by more than half, so fit for live debugging is read as at least half of the GET throughput remaining",
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      'per trial (two closed-loop GET segments of equal length back to back, without and with one `redis-cli MONITOR` attached and reading, their order alternating): GETs per second with MONITOR in % of GETs per second without; p99 of each segment is reported beside',
  },
  {
    id: 'monitoring.slowlog-catches',
    pattern: 'monitoring',
    scenario: 'debug-tools',
    quote: 'Redis Slowlog for slow commands',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      'per trial (SLOWLOG RESET, fast GETs, one KEYS * over the keys made with DEBUG POPULATE, fast GETs again): deliberately slow commands found in SLOWLOG GET with a duration of at least slowlog-log-slower-than, in % of those sent; the logged duration is compared with the time the client waited for the whole reply, and the fast GETs found there are counted beside',
  },
];
