import type { CapacityInput } from './capacity-input.ts';
import type { HitRatioPredictor } from './miss-ratio-curve.ts';

/** Measured per-key cost (from a managed Redis and the real codec). */
export interface MeasuredKeyCost {
  readonly usedMemoryPerKey: number;
  readonly memoryUsagePerKey: number;
  readonly meanValueBytes: number;
  readonly baselineUsedMemory: number;
  readonly valueSlotBytes: number;
  readonly sizeClassWarning: string | null;
  readonly keyBytes: number;
}

/** Ops/s one node sustains within the latency budget, and where the figure comes from. */
export interface NodeThroughput {
  readonly getOpsPerSecond: number;
  readonly setOpsPerSecond: number;
  readonly source: string;
  /** p99 at that rate, when measured here. */
  readonly p99Ms: number | null;
}

export interface CurvePointBytes {
  readonly sizeKeys: number;
  readonly maxmemoryBytes: number;
  readonly hitRatio: number;
}

export interface CapacityPlan {
  readonly keySpace: number;
  readonly curve: readonly CurvePointBytes[];
  /** Highest hit rate any cache size reaches on this workload (first requests and TTL expiries are misses). */
  readonly maxHitRatio: number;
  /** Hit rate of an unbounded cache whose only misses are TTL expiries (ttl-ceiling.ts); 1 without a TTL. */
  readonly ttlCeilingHitRatio: number;
  readonly reachable: boolean;
  /** Keys that must fit, and the maxmemory that holds them, for the target hit rate (null when unreachable). */
  readonly keysNeeded: number | null;
  readonly maxmemoryNeededBytes: number | null;
  /**
   * One instance holding the sized keys plus headroom on the data (the empty-instance baseline
   * once): null when out of reach.
   */
  readonly maxmemoryWithHeadroomBytes: number | null;
  readonly hitRatioAtNeed: number | null;
  readonly redisOpsPerSecond: { readonly get: number; readonly set: number; readonly total: number };
  /** Mixed ops/s one node sustains at this GET/SET mix. */
  readonly nodeOpsPerSecond: number;
  readonly shardsByMemory: number;
  readonly shardsByThroughput: number;
  readonly shards: number;
  readonly maxmemoryPerShardBytes: number;
  readonly primaryMemoryBytes: number;
  readonly replicaMemoryBytes: number;
  readonly network: { readonly clientBytesPerSecond: number; readonly replicationBytesPerSecond: number };
  readonly warnings: readonly string[];
}

/** RESP framing around a bulk string: `$<len>\r\n...\r\n`, and a command's array header. */
const RESP_BULK_OVERHEAD = 16;
const RESP_COMMAND_OVERHEAD = 24;

/** Smallest size in keys whose hit ratio reaches the target (binary search; the curve is monotone up to noise). */
function smallestSizeFor(predictor: HitRatioPredictor, target: number, upper: number): number {
  let low = 1;
  let high = upper;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (predictor.hitRatioAt(mid) >= target) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** What the warnings need of the plan: reachability, the ceiling and why, and the load against one node. */
interface PlannedLoad {
  readonly reachable: boolean;
  /** The best hit ratio any size reaches: min(with every key cached, TTL ceiling). */
  readonly ceiling: number;
  /** True when TTL expiries, not first requests, set the ceiling. */
  readonly ttlLimited: boolean;
  /** Redis ops/s at peak (GET + SET). */
  readonly total: number;
  readonly nodeOpsPerSecond: number;
}

/** The plan's warnings: out of reach, a policy that cannot evict, hot symbols and keys, jemalloc size classes. */
function capacityWarnings(
  input: CapacityInput,
  cost: MeasuredKeyCost,
  hottest: { symbol: number; key: number },
  load: PlannedLoad,
): string[] {
  const warnings: string[] = [];
  if (!load.reachable) {
    warnings.push(
      `the target hit rate ${(100 * input.targetHitRate).toFixed(1)}% is out of reach: with every key cached the workload hits ${(100 * load.ceiling).toFixed(1)}% (${load.ttlLimited ? `TTL expiries: each key is refilled once per ${input.ttlSeconds} s` : 'the rest are first requests and TTL expiries'}); sized for the whole key space instead. More memory does not help; a longer TTL, fewer dates or more skew does`,
    );
  }
  if (input.policy.startsWith('volatile-') && input.ttlSeconds === 0) {
    warnings.push(
      `--policy ${input.policy} evicts only keys with a TTL, and --ttl-seconds 0 stores none: a full Redis then behaves as noeviction and refuses every SET (OOM); give the keys a TTL or use allkeys-lru`,
    );
  }
  if (input.policy === 'noeviction')
    warnings.push('noeviction: once maxmemory is reached every SET fails with OOM; a cache wants an evicting policy');
  const hotSymbolOps = hottest.symbol * load.total;
  const hotKeyOps = hottest.key * load.total;
  warnings.push(
    `hot symbol: the most popular symbol gets ${(100 * hottest.symbol).toFixed(1)}% of requests (${Math.round(hotSymbolOps)} ops/s at peak). Keys \`features:SYM:date\` hash over all slots, so a symbol's dates spread over shards; with a hash tag (\`features:{SYM}:date\`) they all land on one shard, which then carries at least that load${hotSymbolOps > load.nodeOpsPerSecond / 2 ? ' — more than half of what one node sustains: do not hash-tag by symbol' : ''}`,
  );
  if (hotKeyOps > load.nodeOpsPerSecond / 2) {
    warnings.push(
      `hot key: the most popular key alone gets ${Math.round(hotKeyOps)} ops/s, more than half of one node's ${Math.round(load.nodeOpsPerSecond)} ops/s; a key lives on one shard whatever the shard count: read from replicas or add a local cache in front`,
    );
  }
  if (cost.sizeClassWarning !== null) warnings.push(`jemalloc: ${cost.sizeClassWarning}`);
  return warnings;
}

export function planCapacity(
  input: CapacityInput,
  cost: MeasuredKeyCost,
  predictor: HitRatioPredictor,
  node: NodeThroughput,
  hottest: { symbol: number; key: number },
  ttlCeilingHitRatio = 1,
): CapacityPlan {
  const keySpace = input.symbols * input.datesHot;
  const bytesFor = (keys: number): number => cost.baselineUsedMemory + keys * cost.usedMemoryPerKey;
  const curve = Array.from({ length: 50 }, (_, i) => {
    const sizeKeys = Math.max(1, Math.round(((i + 1) / 50) * keySpace));
    return { sizeKeys, maxmemoryBytes: bytesFor(sizeKeys), hitRatio: predictor.hitRatioAt(sizeKeys) };
  });
  const maxHitRatio = predictor.hitRatioAt(keySpace);
  const reachable = Math.min(maxHitRatio, ttlCeilingHitRatio) >= input.targetHitRate;
  const keysNeeded = reachable ? smallestSizeFor(predictor, input.targetHitRate, keySpace) : null;
  const hitRatioAtNeed = keysNeeded === null ? null : predictor.hitRatioAt(keysNeeded);
  // Unreachable: size for everything that can be cached, and say so.
  const sizingKeys = keysNeeded ?? keySpace;
  const maxmemoryNeededBytes = keysNeeded === null ? null : bytesFor(keysNeeded);
  // Headroom is on the data; the empty-instance baseline is paid once per instance, as per shard below.
  const withHeadroom = (keys: number): number =>
    cost.baselineUsedMemory + keys * cost.usedMemoryPerKey * (1 + input.headroom);
  const memoryWithHeadroom = withHeadroom(sizingKeys);

  const reads = input.peakRps * input.readFraction;
  const writes = input.peakRps - reads;
  const missRatio = 1 - (hitRatioAtNeed ?? maxHitRatio);
  const get = reads;
  const set = reads * missRatio + writes;
  const total = get + set;
  const nodeOpsPerSecond = 1 / (get / total / node.getOpsPerSecond + set / total / node.setOpsPerSecond);
  const nodeMemoryBytes = input.nodeMemoryMb * 1024 * 1024;
  const shardsByMemory = Math.max(1, Math.ceil(memoryWithHeadroom / nodeMemoryBytes));
  const shardsByThroughput = Math.max(1, Math.ceil((total * (1 + input.headroom)) / nodeOpsPerSecond));
  const shards = Math.max(shardsByMemory, shardsByThroughput);
  // Each shard carries its own empty-instance baseline.
  const maxmemoryPerShardBytes = Math.ceil(withHeadroom(sizingKeys / shards));
  const primaryMemoryBytes = maxmemoryPerShardBytes * shards;
  const replicaMemoryBytes = primaryMemoryBytes * input.replicas;
  const hit = hitRatioAtNeed ?? maxHitRatio;
  const getRequest = RESP_COMMAND_OVERHEAD + cost.keyBytes;
  const getReply = hit * (cost.meanValueBytes + RESP_BULK_OVERHEAD) + (1 - hit) * 5;
  const setRequest = RESP_COMMAND_OVERHEAD + cost.keyBytes + cost.meanValueBytes + RESP_BULK_OVERHEAD + 16;
  const clientBytesPerSecond = get * (getRequest + getReply) + set * (setRequest + 5);
  const replicationBytesPerSecond = set * setRequest * input.replicas;

  const warnings = capacityWarnings(input, cost, hottest, {
    reachable,
    ceiling: Math.min(maxHitRatio, ttlCeilingHitRatio),
    ttlLimited: ttlCeilingHitRatio < maxHitRatio,
    total,
    nodeOpsPerSecond,
  });
  return {
    keySpace,
    curve,
    maxHitRatio,
    ttlCeilingHitRatio,
    reachable,
    keysNeeded,
    maxmemoryNeededBytes,
    maxmemoryWithHeadroomBytes: keysNeeded === null ? null : withHeadroom(keysNeeded),
    hitRatioAtNeed,
    redisOpsPerSecond: { get, set, total },
    nodeOpsPerSecond,
    shardsByMemory,
    shardsByThroughput,
    shards,
    maxmemoryPerShardBytes,
    primaryMemoryBytes,
    replicaMemoryBytes,
    network: { clientBytesPerSecond, replicationBytesPerSecond },
    warnings,
  };
}
