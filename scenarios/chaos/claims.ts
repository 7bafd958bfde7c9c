import type { RegisteredClaim } from '../../bench/core/claim.ts';
import { SLIGHT_HIT_RATE_DECREASE } from '../shared-readings.ts';

/** How the `.document-client` claims read their client, and how they count a request the harness capped. */
const DOCUMENT_CLIENT =
  "the document's code as written: ioredis defaults (no command timeout, offline queue) + the document's try/except, every failed cache call logged";
const CAPPED_NOT_COMPLETED =
  'a request the harness had to cap at its bound (requestCapMs) counts as not completed, as one that failed';

/** How every degradation claim forms its trials. */
const WINDOWS =
  'one figure per fault window (a trial: one injection under open-loop load, on a fresh client with only the hot keys cached)';

/** The faults whose windows the log-warning claims take, one figure per window of each. */
const CONNECTION_FAULTS =
  'the windows of each connection fault run: network black hole, SIGKILL, Redis absent at start';

/**
 * The same claim judged on the document's code as written (the chaos 'naive' windows of the same
 * faults): same quote, figure, threshold and rule, under `<id>.document-client` right after the original.
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
  measuredAs: `share of the requests intended from the SIGKILL of redis-server to the end of the window (the crash and the recovery after the restart) that complete, safe client, ${WINDOWS} ("request completes, next requests work" read as every request)`,
};

const CRASH_SLOWDOWN: RegisteredClaim = {
  id: 'degradation.crash-slowdown',
  pattern: 'degradation',
  scenario: 'chaos',
  quote: 'Redis crashes mid-request | Request completes, next requests work | Temporary slowdown',
  claimed: 300,
  thresholdSource: 'harness',
  thresholdReason:
    '"temporary slowdown" gives no figure; the harness reads it as a slowdown bounded by the client\'s timeouts rather than by the outage: the command timeout (100 ms) plus 200 ms, as a request caught by the crash may wait out the 150 ms call budget of src/cache on its read and again on its write-back',
  unit: 'ms',
  rule: { kind: 'at-most' },
  better: 'lower',
  measuredAs: `latency the crash adds, safe client, ${WINDOWS}: p99 latency (from intended send times; a capped request at the cap) of the requests intended from the SIGKILL to the end of the window, minus the healthy baseline: the p99 of the requests before the SIGKILL, pooled over that client's kill windows`,
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
  measuredAs: `share of signal requests that complete, resilient client started while Redis is absent (Redis appears at the heal), ${WINDOWS}`,
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
  measuredAs: `share of the signal requests intended from the inject to the end of the window that complete, resilient client, while the network to Redis is a black hole and after it heals, ${WINDOWS}`,
};

const LOG_WARNING: RegisteredClaim = {
  id: 'degradation.log-warning',
  pattern: 'degradation',
  scenario: 'chaos',
  quote: 'Redis connection fails | Services continue, log warning',
  claimed: 100,
  thresholdSource: 'document',
  unit: '%',
  rule: { kind: 'at-least' },
  better: 'higher',
  measuredAs: `share of the kinds of cache failure (timeout, connection, breaker-open, ...) that happened in a window for which the service logged at least one warning line, safe client; failures counted on the generator's cache, lines captured from the service's logger (an in-memory sink, not stdout); ${WINDOWS}, from ${CONNECTION_FAULTS}; a window without a cache failure gives no figure`,
};

const LOG_WARNING_RATE: RegisteredClaim = {
  id: 'degradation.log-warning-rate',
  pattern: 'degradation',
  scenario: 'chaos',
  quote: 'Redis connection fails | Services continue, log warning',
  claimed: 1,
  thresholdSource: 'harness',
  thresholdReason:
    '"log warning" says nothing of how often; the harness reads a usable warning log as at most one line per kind of failure per second, with a count of the suppressed ones, never one line per failed request',
  unit: 'count',
  rule: { kind: 'at-most' },
  better: 'lower',
  measuredAs: `most warning lines of one kind (kind of cache failure, else the message) within any 1 s of a window (to the 1 ms of two clock reads), safe client, lines captured from the service's logger (an in-memory sink, not stdout); ${WINDOWS}, from ${CONNECTION_FAULTS}; a window without a cache failure gives no figure`,
};

const CACHE_FULL_UNDER_LOAD: RegisteredClaim = {
  id: 'degradation.cache-full-under-load',
  scenario: 'chaos',
  ...SLIGHT_HIT_RATE_DECREASE,
  measuredAs: `hit-rate decrease in percentage points, safe client, under live open-loop load when the cache is full (the shared CACHE_FULL definition: maxmemory at 50% of the window's working set bytes, volatile-lru, keys with TTL), ${WINDOWS}: hit rate before maxmemory is lowered (unlimited memory, pooled over the client's windows) minus the hit rate of the requests settled while it is lowered`,
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
    `share of the requests intended from the SIGKILL of redis-server to the end of the window that complete, for ${DOCUMENT_CLIENT}, ${WINDOWS}; ${CAPPED_NOT_COMPLETED}`,
  ),
  CRASH_SLOWDOWN,
  documentClient(
    CRASH_SLOWDOWN,
    `latency the crash adds, for ${DOCUMENT_CLIENT}, ${WINDOWS}: p99 latency of the requests intended from the SIGKILL to the end of the window (a capped request at the cap), minus the p99 before the SIGKILL pooled over that client's kill windows`,
  ),
  REDIS_NOT_INSTALLED,
  documentClient(
    REDIS_NOT_INSTALLED,
    `share of signal requests that complete when Redis is absent at service start and appears later, for ${DOCUMENT_CLIENT}, ${WINDOWS}; ${CAPPED_NOT_COMPLETED}`,
  ),
  CONNECTION_FAILS,
  documentClient(
    CONNECTION_FAILS,
    `share of the signal requests intended from the inject to the end of the window that complete while the network to Redis is a black hole and after it heals, for ${DOCUMENT_CLIENT}, ${WINDOWS}; ${CAPPED_NOT_COMPLETED}`,
  ),
  LOG_WARNING,
  documentClient(
    LOG_WARNING,
    `share of the kinds of cache failure that happened in a window with at least one warning line, for ${DOCUMENT_CLIENT}; ${WINDOWS}, from ${CONNECTION_FAULTS}; a window without a cache failure (the client waited instead) gives no figure`,
  ),
  LOG_WARNING_RATE,
  documentClient(
    LOG_WARNING_RATE,
    `most warning lines of one kind within any 1 s of a window, for ${DOCUMENT_CLIENT}; ${WINDOWS}, from ${CONNECTION_FAULTS}; a window without a cache failure (the client waited instead) gives no figure`,
  ),
  CACHE_FULL_UNDER_LOAD,
  documentClient(
    CACHE_FULL_UNDER_LOAD,
    `hit-rate decrease in percentage points under live open-loop load when the cache is full (the shared CACHE_FULL definition), for ${DOCUMENT_CLIENT}, ${WINDOWS}; a request the harness had to cap at its bound (requestCapMs) made no cache lookup and is left out of the hit rate`,
  ),
];
