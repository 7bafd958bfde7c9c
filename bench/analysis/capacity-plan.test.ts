import { describe, expect, it } from 'vitest';
import { CAPACITY_DEFAULTS } from './capacity-input.ts';
import { planCapacity } from './capacity-plan.ts';
import type { MeasuredKeyCost, NodeThroughput } from './capacity-plan.ts';
import type { HitRatioPredictor } from './miss-ratio-curve.ts';

const cost: MeasuredKeyCost = {
  usedMemoryPerKey: 3_200,
  memoryUsagePerKey: 3_144,
  meanValueBytes: 2_730,
  baselineUsedMemory: 1_000_000,
  valueSlotBytes: 3_072,
  sizeClassWarning: null,
  keyBytes: 28,
};
const node: NodeThroughput = { getOpsPerSecond: 100_000, setOpsPerSecond: 50_000, source: 'test', p99Ms: null };
/** Hit ratio rising linearly to 0.9 at the whole key space. */
const linear = (keySpace: number): HitRatioPredictor => ({
  hitRatioAt: (k) => 0.9 * Math.min(1, k / keySpace),
  countedAccesses: 1,
  processedAccesses: 1,
});

describe('capacity plan', () => {
  it('sizes maxmemory from the curve, and shards by the larger of memory and throughput', () => {
    const input = {
      ...CAPACITY_DEFAULTS,
      symbols: 1_000,
      datesHot: 100,
      peakRps: 200_000,
      readFraction: 1,
      targetHitRate: 0.45,
      headroom: 0,
      nodeMemoryMb: 100,
      replicas: 2,
    };
    const plan = planCapacity(input, cost, linear(100_000), node, { symbol: 0.1, key: 0.01 });
    expect(plan.keysNeeded).toBe(50_000);
    expect(plan.maxmemoryNeededBytes).toBe(1_000_000 + 50_000 * 3_200);
    // 200k GET + 110k SET (55% misses): mixed node rate 1 / (200/310/1e5 + 110/310/5e4) = ~73.8k/s -> 5 shards.
    expect(plan.redisOpsPerSecond.total).toBeCloseTo(310_000, 6);
    expect(plan.shardsByThroughput).toBe(5);
    expect(plan.shardsByMemory).toBe(2);
    expect(plan.shards).toBe(5);
    expect(plan.replicaMemoryBytes).toBe(2 * plan.primaryMemoryBytes);
    expect(plan.warnings.join('\n')).toMatch(/hot symbol: the most popular symbol gets 10.0% of requests/);
  });

  it('puts headroom on the data only, the same way for one instance and per shard', () => {
    const input = {
      ...CAPACITY_DEFAULTS,
      symbols: 1_000,
      datesHot: 100,
      peakRps: 100,
      readFraction: 1,
      targetHitRate: 0.45,
      headroom: 0.3,
      nodeMemoryMb: 10_000,
    };
    const plan = planCapacity(input, cost, linear(100_000), node, { symbol: 0.01, key: 0.001 });
    expect(plan.shards).toBe(1);
    expect(plan.maxmemoryWithHeadroomBytes).toBe(1_000_000 + 50_000 * 3_200 * 1.3);
    expect(plan.maxmemoryPerShardBytes).toBe(Math.ceil(plan.maxmemoryWithHeadroomBytes ?? 0));
  });

  it('says when the target is out of reach and when volatile-* meets keys without TTL', () => {
    const input = { ...CAPACITY_DEFAULTS, targetHitRate: 0.95, ttlSeconds: 0, policy: 'volatile-lru' };
    const plan = planCapacity(input, cost, linear(input.symbols * input.datesHot), node, { symbol: 0.1, key: 0.01 });
    expect(plan.reachable).toBe(false);
    expect(plan.maxmemoryNeededBytes).toBeNull();
    const text = plan.warnings.join('\n');
    expect(text).toMatch(/out of reach: with every key cached the workload hits 90.0%/);
    expect(text).toMatch(/behaves as noeviction/);
  });

  it('is out of reach when TTL expiries alone cap the hit rate below the target', () => {
    const input = { ...CAPACITY_DEFAULTS, targetHitRate: 0.8 };
    const plan = planCapacity(
      input,
      cost,
      linear(input.symbols * input.datesHot),
      node,
      { symbol: 0.1, key: 0.01 },
      0.7,
    );
    expect(plan.reachable).toBe(false);
    expect(plan.warnings.join('\n')).toMatch(/hits 70.0% \(TTL expiries: each key is refilled once per 3600 s\)/);
  });

  it('warns about a hot key that one shard cannot carry', () => {
    const input = { ...CAPACITY_DEFAULTS, peakRps: 1_000_000, readFraction: 1 };
    const plan = planCapacity(input, cost, linear(input.symbols * input.datesHot), node, { symbol: 0.2, key: 0.1 });
    expect(plan.warnings.join('\n')).toMatch(/hot key: the most popular key alone gets/);
  });
});
