import type { Scenario } from '../bench/run/scenario.ts';
import { chaos, CHAOS_FAULT_SCENARIOS } from './chaos.ts';
import { commandLatency } from './command-latency.ts';
import { compression } from './compression.ts';
import { connections } from './connections.ts';
import { clusterFailover, sentinelFailover } from './failover.ts';
import { hitRate } from './hit-rate.ts';
import { httpSignals } from './http-signals.ts';
import { invalidation } from './invalidation.ts';
import { missVsHit } from './miss-vs-hit.ts';
import { monitorAlerts } from './monitor-alerts.ts';
import { pipelining } from './pipelining.ts';
import { pubsubFanout } from './pubsub-fanout.ts';
import { pubsubLatency } from './pubsub-latency.ts';
import { pubsubLoss } from './pubsub-loss.ts';
import { pubsubOrdering } from './pubsub-ordering.ts';
import { streamsVsPubsub } from './streams-vs-pubsub.ts';

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
