import type { Scenario } from '../bench/run/scenario.ts';
import { antiPatterns } from './anti-patterns/anti-patterns.ts';
import { cacheCorrectness } from './cache-correctness/cache-correctness.ts';
import { chaos, CHAOS_FAULT_SCENARIOS } from './chaos/chaos.ts';
import { commandLatency } from './command-latency/command-latency.ts';
import { compression } from './compression/compression.ts';
import { connections } from './connections/connections.ts';
import { debugTools } from './debug-tools/debug-tools.ts';
import { clusterFailover, sentinelFailover } from './failover/failover.ts';
import { healthDetection } from './health-detection/health-detection.ts';
import { hitRate } from './hit-rate-curve/hit-rate.ts';
import { httpSignals } from './http-signals/http-signals.ts';
import { invalidation } from './invalidation/invalidation.ts';
import { largeObjects } from './large-objects/large-objects.ts';
import { memorySizing } from './memory-sizing/memory-sizing.ts';
import { missVsHit } from './miss-vs-hit/miss-vs-hit.ts';
import { monitorAlerts } from './monitor-alerts/monitor-alerts.ts';
import { pipelining } from './pipelining/pipelining.ts';
import { poolEndToEnd } from './pool-end-to-end/pool-end-to-end.ts';
import { pubsubFanout } from './pubsub/pubsub-fanout.ts';
import { pubsubLatency } from './pubsub/pubsub-latency.ts';
import { pubsubLoss } from './pubsub/pubsub-loss.ts';
import { pubsubOrdering } from './pubsub/pubsub-ordering.ts';
import { streamsVsPubsub } from './pubsub/streams-vs-pubsub.ts';

/**
 * Wall time of one run of each scenario on the 2-core machine of docs/results (--quick and default, ms,
 * Redis start and report files included), rounded up: `rpb validate --budget` leaves out a scenario
 * that would not fit in what is left of its budget. Re-measure with `rpb validate` (its time table)
 * when a scenario's parameters change. The --quick ones: three `rpb validate --quick` first passes
 * (104-110 s in all; the slowest of each scenario, rounded up).
 */
const EXPECTED_MS: Readonly<Record<string, { readonly quick: number; readonly full: number }>> = {
  'miss-vs-hit': { quick: 3_000, full: 13_000 },
  'cache-correctness': { quick: 1_200, full: 5_000 },
  pipelining: { quick: 2_800, full: 16_000 },
  connections: { quick: 1_500, full: 7_500 },
  'command-latency': { quick: 4_500, full: 50_000 },
  compression: { quick: 1_700, full: 8_000 },
  'hit-rate-curve': { quick: 3_000, full: 60_000 },
  'http-signals': { quick: 4_500, full: 21_000 },
  'anti-patterns': { quick: 3_000, full: 12_500 },
  'debug-tools': { quick: 4_000, full: 19_000 },
  'pool-end-to-end': { quick: 4_000, full: 14_000 },
  'memory-sizing': { quick: 2_800, full: 13_000 },
  'large-objects': { quick: 7_000, full: 19_000 },
  'health-detection': { quick: 6_000, full: 8_000 },
  'monitor-alerts': { quick: 6_500, full: 14_000 },
  chaos: { quick: 21_000, full: 97_000 },
  'pubsub-latency': { quick: 7_500, full: 25_000 },
  'pubsub-fanout': { quick: 2_000, full: 16_000 },
  'pubsub-loss': { quick: 2_500, full: 10_000 },
  'pubsub-ordering': { quick: 1_500, full: 10_500 },
  'streams-vs-pubsub': { quick: 6_500, full: 28_000 },
  'cluster-failover': { quick: 12_000, full: 33_000 },
  'sentinel-failover': { quick: 11_500, full: 33_000 },
};

function withExpectedTime(scenario: Scenario): Scenario {
  const expectedMs = EXPECTED_MS[scenario.id];
  return expectedMs === undefined ? scenario : { ...scenario, expectedMs };
}

/** Every scenario, in the order `rpb run all` runs them. */
export const SCENARIOS: readonly Scenario[] = [
  missVsHit,
  cacheCorrectness,
  pipelining,
  connections,
  commandLatency,
  compression,
  invalidation,
  hitRate,
  httpSignals,
  monitorAlerts,
  healthDetection,
  chaos,
  antiPatterns,
  debugTools,
  poolEndToEnd,
  memorySizing,
  largeObjects,
  pubsubLatency,
  pubsubFanout,
  pubsubLoss,
  pubsubOrdering,
  streamsVsPubsub,
  clusterFailover,
  sentinelFailover,
].map(withExpectedTime);

export function findScenario(id: string): Scenario | undefined {
  // chaos-<fault> scenarios run by id only: the chaos suite in SCENARIOS already covers them.
  return SCENARIOS.find((s) => s.id === id) ?? CHAOS_FAULT_SCENARIOS.find((s) => s.id === id);
}
