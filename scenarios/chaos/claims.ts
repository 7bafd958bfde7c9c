import type { RegisteredClaim } from '../../bench/core/claim.ts';
import { SLIGHT_HIT_RATE_DECREASE } from '../shared-readings.ts';

/** How the `.document-client` claims read their client, and how they count a request the harness capped. */
const DOCUMENT_CLIENT =
  "the document's code as written: ioredis defaults (no command timeout, offline queue) + the document's try/except";
const CAPPED_NOT_COMPLETED =
  'a request the harness had to cap at its bound (requestCapMs) counts as not completed, as one that failed';

/**
 * The same claim judged on the document's code as written (the chaos 'naive' run of the same fault):
 * same quote, figure, threshold and rule, under `<id>.document-client` right after the original.
 */
function documentClient(claim: RegisteredClaim, measuredAs: string): RegisteredClaim {
  return { ...claim, id: `${claim.id}.document-client`, measuredAs };
}

const REDIS_CRASH: RegisteredClaim = {
  id: 'degradation.redis-crash',
  pattern: 'degradation',
  scenario: 'chaos',
  quote: 'Redis crashes mid-request | Request completes, next requests work',
  claimed: 100,
  thresholdSource: 'document',
  unit: '%',
  rule: { kind: 'at-least' },
  better: 'higher',
  measuredAs:
    'share of requests that complete (per time bucket, safe client) while Redis is killed mid-run ("request completes" read as every request)',
};

const REDIS_NOT_INSTALLED: RegisteredClaim = {
  id: 'degradation.redis-not-installed',
  pattern: 'degradation',
  scenario: 'chaos',
  quote: 'Redis not installed | Services start without cache | No cache benefit',
  claimed: 100,
  thresholdSource: 'document',
  unit: '%',
  rule: { kind: 'at-least' },
  better: 'higher',
  measuredAs:
    'share of signal requests that complete (per time bucket, resilient client) when Redis is absent at service start and appears later',
};

const CONNECTION_FAILS: RegisteredClaim = {
  id: 'degradation.connection-fails',
  pattern: 'degradation',
  scenario: 'chaos',
  quote: 'Redis connection fails | Services continue, log warning | No cache benefit',
  claimed: 100,
  thresholdSource: 'document',
  unit: '%',
  rule: { kind: 'at-least' },
  better: 'higher',
  measuredAs:
    'share of signal requests that complete (per time bucket, resilient client) while the network to Redis is a black hole, and after it heals',
};

const CACHE_FULL_UNDER_LOAD: RegisteredClaim = {
  id: 'degradation.cache-full-under-load',
  scenario: 'chaos',
  ...SLIGHT_HIT_RATE_DECREASE,
  measuredAs:
    'hit-rate decrease in percentage points per time bucket (safe client) under live open-loop load after maxmemory is lowered below the data in use (volatile-lru, keys with TTL), against the hit rate before',
};

/**
 * The document's claims that the chaos suite (graceful degradation) measures, in the document's order,
 * each degradation row judged on the safe client and then on the document's code as written.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const CHAOS_CLAIMS: readonly RegisteredClaim[] = [
  REDIS_CRASH,
  documentClient(
    REDIS_CRASH,
    `share of requests that complete (per time bucket) while Redis is killed mid-run, for ${DOCUMENT_CLIENT}; ${CAPPED_NOT_COMPLETED}`,
  ),
  REDIS_NOT_INSTALLED,
  documentClient(
    REDIS_NOT_INSTALLED,
    `share of signal requests that complete (per time bucket) when Redis is absent at service start and appears later, for ${DOCUMENT_CLIENT}; ${CAPPED_NOT_COMPLETED}`,
  ),
  CONNECTION_FAILS,
  documentClient(
    CONNECTION_FAILS,
    `share of signal requests that complete (per time bucket) while the network to Redis is a black hole, and after it heals, for ${DOCUMENT_CLIENT}; ${CAPPED_NOT_COMPLETED}`,
  ),
  CACHE_FULL_UNDER_LOAD,
  documentClient(
    CACHE_FULL_UNDER_LOAD,
    `hit-rate decrease in percentage points per time bucket under live open-loop load after maxmemory is lowered below the data in use (volatile-lru, keys with TTL), against the hit rate before, for ${DOCUMENT_CLIENT}; a request the harness had to cap at its bound (requestCapMs) made no cache lookup and is left out of the hit rate`,
  ),
];
