import type { RegisteredClaim } from '../bench/core/claim.ts';
import { CHAOS_CLAIMS } from './chaos/claims.ts';
import { COMMAND_LATENCY_CLAIMS } from './command-latency/claims.ts';
import { COMPRESSION_CLAIMS } from './compression/claims.ts';
import { CONNECTIONS_CLAIMS } from './connections/claims.ts';
import { FAILOVER_CLAIMS } from './failover/claims.ts';
import { HIT_RATE_CLAIMS } from './hit-rate-curve/claims.ts';
import { HTTP_SIGNALS_CLAIMS } from './http-signals/claims.ts';
import { MISS_VS_HIT_CLAIMS } from './miss-vs-hit/claims.ts';
import { PIPELINING_CLAIMS } from './pipelining/claims.ts';
import { PUBSUB_CLAIMS } from './pubsub/claims.ts';

/**
 * Every quantitative statement of the design document (shared/seed/000_7260ed843e7d3e82.txt), in
 * the order it appears: each folder's claims are contiguous in the document, so the folders'
 * lists in this order give the document's order (the claims table and summary.json list them so).
 * The bench machinery never imports this: the commands pass it in (coverClaims, the runner).
 */
export const CLAIMS: readonly RegisteredClaim[] = [
  ...MISS_VS_HIT_CLAIMS,
  ...HTTP_SIGNALS_CLAIMS,
  ...PIPELINING_CLAIMS,
  ...COMPRESSION_CLAIMS,
  ...CONNECTIONS_CLAIMS,
  ...COMMAND_LATENCY_CLAIMS,
  ...PUBSUB_CLAIMS,
  ...CHAOS_CLAIMS,
  ...HIT_RATE_CLAIMS,
  ...FAILOVER_CLAIMS,
];

export function findClaim(id: string): RegisteredClaim | undefined {
  return CLAIMS.find((claim) => claim.id === id);
}

export function claimsForScenario(scenarioId: string): RegisteredClaim[] {
  return CLAIMS.filter((claim) => claim.scenario === scenarioId);
}
