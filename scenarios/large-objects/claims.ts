import type { RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The document's anti-pattern 5 ("Storing Large Objects"): the 10 MB DataFrame JSON measured beside
 * the ~5 KB feature vector in the same trial. scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const LARGE_OBJECTS_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'antipattern.large-object-memory',
    pattern: 'cache-aside',
    scenario: 'large-objects',
    quote: 'Memory explosion',
    claimed: 100,
    thresholdSource: 'harness',
    thresholdReason:
      "'explosion' gives no figure; the harness reads it against the document's own sizing: one such object per key of its example keyspace (DBSIZE 500) would not fit in its maxmemory 512mb (100%)",
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'lower',
    measuredAs:
      "MEMORY USAGE (SAMPLES 0) of all_data:{symbol} holding the 10 MB DataFrame JSON (dataframe.to_json(), pandas' default orient=columns) x 500 keys (the document's DBSIZE 500), in % of maxmemory 512mb; the ~5 KB feature vector's figure is reported beside it; one trial = one SET of each on the same Redis",
  },
  {
    id: 'antipattern.large-object-slow',
    pattern: 'cache-aside',
    scenario: 'large-objects',
    quote: 'slow serialization/deserialization',
    claimed: 5,
    thresholdSource: 'harness',
    thresholdReason:
      "'slow' gives no figure; the harness holds it to the document's own cache hit (5 ms in '10x faster (5ms vs 50ms)'): serialising and parsing the object once costs more than the whole hit the cache is for",
    unit: 'ms',
    rule: { kind: 'at-least' },
    better: 'lower',
    measuredAs:
      "per trial: median over repetitions of (JSON serialisation of the DataFrame to a Buffer + parsing it back) of the 10 MB JSON, in ms, in a Node worker thread; the feature vector's encode + decode (the service's default codec) is timed in the same trial, alternating",
  },
  {
    id: 'antipattern.large-object-head-of-line',
    pattern: 'cache-aside',
    scenario: 'large-objects',
    quote: "DON'T cache entire DataFrames",
    claimed: 5,
    thresholdSource: 'harness',
    thresholdReason:
      "the document gives no figure for the harm to other clients; the harness holds it to the document's own command latency target 'P99 < 5ms': storing and reading the object adds more than that whole budget to other clients' p99",
    unit: 'ms',
    rule: { kind: 'at-least' },
    better: 'lower',
    measuredAs:
      "per trial, paired: p99 of another client's small GETs (open loop, latency from the intended send) while one connection SETs and GETs the 10 MB value back to back, minus the same p99 while it SETs and GETs the ~5 KB feature vector (Redis serves one command at a time), in ms; the two windows of a trial back to back, their order alternating",
  },
];
