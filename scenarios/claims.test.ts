import { describe, expect, it } from 'vitest';
import { ruleText } from '../bench/analysis/verdict.ts';
import { CLAIMS, claimsForScenario, findClaim } from './claims.ts';
import { SCENARIOS } from './registry.ts';

describe('CLAIMS', () => {
  it("lists the document's claims in the document's order, each once", () => {
    expect(CLAIMS.map((c) => c.id)).toEqual([
      'cache.hit-latency',
      'cache.miss-latency',
      'cache.speedup',
      'cache.parquet-read',
      'cache.compute',
      'cache.redis-get',
      'cache.json-parse',
      'cache.value-size',
      'cache.mix-no-cache',
      'cache.mix-with-cache',
      'cache.mix-improvement',
      'cache.mix-additive-model',
      'cache.deterministic',
      'cache.ttl-always-set',
      'http.mix-no-cache',
      'http.mix-with-cache',
      'http.mix-improvement',
      'optimization.pipeline-5-gets',
      'optimization.pipeline-sequential-5ms',
      'optimization.pipeline-1ms',
      'optimization.gzip-ratio',
      'optimization.connection-overhead',
      'monitoring.command-p99',
      'pubsub.latency',
      'pubsub.fanout',
      'pubsub.fire-and-forget',
      'pubsub.no-persistence',
      'pubsub.no-ordering',
      'pubsub.no-ack',
      'streams.persistence',
      'streams.replay',
      'streams.consumer-group-scaling',
      'degradation.redis-crash',
      'degradation.redis-crash.document-client',
      'degradation.crash-slowdown',
      'degradation.crash-slowdown.document-client',
      'degradation.redis-not-installed',
      'degradation.redis-not-installed.document-client',
      'degradation.connection-fails',
      'degradation.connection-fails.document-client',
      'degradation.log-warning',
      'degradation.log-warning.document-client',
      'degradation.log-warning-rate',
      'degradation.log-warning-rate.document-client',
      'degradation.cache-full-under-load',
      'degradation.cache-full-under-load.document-client',
      'monitoring.health-kill',
      'monitoring.health-pause',
      'monitoring.health-blackhole',
      'monitoring.alert-hit-rate',
      'monitoring.alert-memory-80',
      'monitoring.alert-clients',
      'monitoring.alert-keyspace-errors',
      'monitoring.alert-unreachable',
      'monitoring.alert-memory-95',
      'monitoring.alert-eviction-policy',
      'monitoring.expected-clients',
      'monitoring.hit-rate',
      'degradation.cache-full-hit-rate',
      'degradation.cache-full-new-keys-cached',
      'pubsub.publish-count',
      'antipattern.mutable-data-stale',
      'antipattern.immutable-data-fresh',
      'antipattern.silent-exceptions',
      'antipattern.logged-exceptions',
      'antipattern.pubsub-critical',
      'antipattern.http-confirms',
      'optimization.pool-end-to-end',
      'monitoring.memory-example',
      'antipattern.no-ttl',
      'antipattern.always-ttl',
      'production.maxmemory-fits',
      'production.evictions-near-zero',
      'antipattern.large-object-memory',
      'antipattern.large-object-slow',
      'antipattern.large-object-head-of-line',
      'production.auto-failover-cluster',
      'production.auto-failover-cluster.redis-defaults',
      'production.auto-failover-sentinel',
      'production.auto-failover-sentinel.redis-defaults',
      'monitoring.monitor-cost',
      'monitoring.slowlog-catches',
    ]);
  });

  it("agrees with the scenarios: each scenario's claims are the registry's claims for it", () => {
    for (const scenario of SCENARIOS) {
      expect([...scenario.claims].sort(), scenario.id).toEqual(
        claimsForScenario(scenario.id)
          .map((c) => c.id)
          .sort(),
      );
    }
    expect(findClaim('cache.speedup')?.scenario).toBe('miss-vs-hit');
    expect(findClaim('no.such-claim')).toBeUndefined();
  });

  it('says which thresholds the harness chose, each with a one-sentence reason', () => {
    // Changing this list is a decision about honesty: a number moves between the document and the harness.
    expect(CLAIMS.filter((c) => c.thresholdSource === 'harness').map((c) => c.id)).toEqual([
      'cache.mix-additive-model',
      'pubsub.fire-and-forget',
      'streams.persistence',
      'streams.replay',
      'streams.consumer-group-scaling',
      'degradation.crash-slowdown',
      'degradation.crash-slowdown.document-client',
      'degradation.log-warning-rate',
      'degradation.log-warning-rate.document-client',
      'degradation.cache-full-under-load',
      'degradation.cache-full-under-load.document-client',
      'monitoring.health-kill',
      'monitoring.health-pause',
      'monitoring.health-blackhole',
      'degradation.cache-full-hit-rate',
      'antipattern.no-ttl',
      'antipattern.always-ttl',
      'production.maxmemory-fits',
      'production.evictions-near-zero',
      'antipattern.large-object-memory',
      'antipattern.large-object-slow',
      'antipattern.large-object-head-of-line',
      'production.auto-failover-cluster',
      'production.auto-failover-cluster.redis-defaults',
      'production.auto-failover-sentinel',
      'production.auto-failover-sentinel.redis-defaults',
      'monitoring.monitor-cost',
    ]);
    for (const claim of CLAIMS) {
      expect(['document', 'harness'], claim.id).toContain(claim.thresholdSource);
      if (claim.thresholdSource === 'harness') {
        expect(claim.thresholdReason.length, claim.id).toBeGreaterThan(20);
        expect(claim.thresholdReason, claim.id).not.toMatch(/\.\s+[A-Z]/);
      }
    }
  });

  it('keeps readings out of the quotes and states every rule in words', () => {
    for (const claim of CLAIMS) {
      expect(claim.quote, claim.id).not.toMatch(/read as|\(the batch|harness/i);
      expect(ruleText(claim), claim.id).not.toBe('');
    }
    expect(
      CLAIMS.filter((c) => c.rule.kind === 'observed' || c.rule.kind === 'never-observed').map((c) => c.id),
    ).toEqual([
      'cache.deterministic',
      'cache.ttl-always-set',
      'pubsub.no-ordering',
      'pubsub.no-ack',
      'monitoring.alert-hit-rate',
      'monitoring.alert-memory-80',
      'monitoring.alert-clients',
      'monitoring.alert-keyspace-errors',
      'monitoring.alert-unreachable',
      'monitoring.alert-memory-95',
      'monitoring.alert-eviction-policy',
    ]);
  });
});
