import type { Scenario } from '../bench/run/scenario.ts';
import { chaos, CHAOS_FAULT_SCENARIOS } from './chaos/chaos.ts';
import { commandLatency } from './command-latency/command-latency.ts';
import { compression } from './compression/compression.ts';
import { connections } from './connections/connections.ts';
import { clusterFailover, sentinelFailover } from './failover/failover.ts';
import { hitRate } from './hit-rate-curve/hit-rate.ts';
import { httpSignals } from './http-signals/http-signals.ts';
import { invalidation } from './invalidation/invalidation.ts';
import { missVsHit } from './miss-vs-hit/miss-vs-hit.ts';
import { monitorAlerts } from './monitor-alerts/monitor-alerts.ts';
import { pipelining } from './pipelining/pipelining.ts';
import { pubsubFanout } from './pubsub/pubsub-fanout.ts';
import { pubsubLatency } from './pubsub/pubsub-latency.ts';
import { pubsubLoss } from './pubsub/pubsub-loss.ts';
import { pubsubOrdering } from './pubsub/pubsub-ordering.ts';
import { streamsVsPubsub } from './pubsub/streams-vs-pubsub.ts';

/** Every scenario, in the order `rpb run all` runs them. */
export const SCENARIOS: readonly Scenario[] = [
  missVsHit,
  pipelining,
  connections,
  commandLatency,
  compression,
  invalidation,
  hitRate,
  httpSignals,
  monitorAlerts,
  chaos,
  pubsubLatency,
  pubsubFanout,
  pubsubLoss,
  pubsubOrdering,
  streamsVsPubsub,
  clusterFailover,
  sentinelFailover,
];

export function findScenario(id: string): Scenario | undefined {
  // chaos-<fault> scenarios run by id only: the chaos suite in SCENARIOS already covers them.
  return SCENARIOS.find((s) => s.id === id) ?? CHAOS_FAULT_SCENARIOS.find((s) => s.id === id);
}
