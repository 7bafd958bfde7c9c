import { connectionsHeadline, missVsHitHeadline } from './cache-headlines.ts';
import { commandLatencyHeadline, hitRateHeadline, pipeliningHeadline } from './curve-headlines.ts';
import {
  compressionHeadline,
  eventLossHeadline,
  httpSignalsHeadline,
  pubsubFanoutHeadline,
  pubsubLatencyHeadline,
} from './event-headlines.ts';
import { chaosHeadline, failoverHeadline } from './fault-headlines.ts';
import { debugToolsHeadline, healthDetectionHeadline, monitorAlertsHeadline } from './monitoring-headlines.ts';
import {
  antiPatternsHeadline,
  cacheCorrectnessHeadline,
  largeObjectsHeadline,
  memorySizingHeadline,
  poolEndToEndHeadline,
} from './practice-headlines.ts';
import type { HeadlineRenderer } from './types.ts';

export type { Headline, HeadlineRenderer } from './types.ts';

/**
 * Scenario id → its designed headline (built from the summary's metrics, values, series and
 * verdicts by name); a scenario not listed, or whose figures are missing, gets the generic one
 * (headline.ts). bench/ never imports scenarios/: the names are matched as strings.
 */
export const DESIGNED_HEADLINES: Readonly<Record<string, HeadlineRenderer>> = {
  'miss-vs-hit': missVsHitHeadline,
  pipelining: pipeliningHeadline,
  'command-latency': commandLatencyHeadline,
  'hit-rate-curve': hitRateHeadline,
  chaos: chaosHeadline,
  connections: connectionsHeadline,
  compression: compressionHeadline,
  'http-signals': httpSignalsHeadline,
  'pubsub-latency': pubsubLatencyHeadline,
  'pubsub-fanout': pubsubFanoutHeadline,
  'pubsub-loss': eventLossHeadline,
  'streams-vs-pubsub': eventLossHeadline,
  'cluster-failover': failoverHeadline,
  'sentinel-failover': failoverHeadline,
  'monitor-alerts': monitorAlertsHeadline,
  'health-detection': healthDetectionHeadline,
  'anti-patterns': antiPatternsHeadline,
  'debug-tools': debugToolsHeadline,
  'pool-end-to-end': poolEndToEndHeadline,
  'memory-sizing': memorySizingHeadline,
  'large-objects': largeObjectsHeadline,
  'cache-correctness': cacheCorrectnessHeadline,
};
