/** The hit-rate scenario's named figures and notes: bytes per key, then measured vs predicted per point. */
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { MS_PER_S } from '../../bench/core/units.ts';
import { figure } from '../../bench/run/scenario-kit.ts';
import { sizeClassWarning } from '../../bench/workload/memory-per-key.ts';
import type { HitRateParams } from './hit-rate-plan.ts';
import { MB, lruSweep } from './hit-rate-sweep.ts';
import type { HitRateMeasurement, PointResult } from './hit-rate-sweep.ts';

type Values = Record<string, ScenarioValue>;

function memoryValues({ workload, memory }: HitRateMeasurement, values: Values): void {
  values['memory.used-memory-per-key-bytes'] = figure(
    memory.usedMemoryPerKey,
    'bytes',
    `(used_memory after filling ${memory.keysFilled} keys - empty) / keys: what maxmemory counts per key (value, key, dict and expires entries, allocator slack)`,
  );
  values['memory.memory-usage-per-key-bytes'] = figure(
    memory.memoryUsagePerKey,
    'bytes',
    'mean MEMORY USAGE key SAMPLES 0 over up to 100 keys',
  );
  values['memory.value-bytes'] = figure(memory.meanValueBytes, 'bytes', `mean encoded value (${workload.p.codec})`);
  values['memory.value-jemalloc-slot-bytes'] = figure(
    memory.valueSlotBytes,
    'bytes',
    'jemalloc size class the mean value (with its sds header) lands in',
  );
  values['workload.key-space'] = figure(workload.baseTrace.keySpace, 'count', 'symbols x dates');
  values['workload.working-set-keys'] = figure(
    workload.workingSet,
    'count',
    "distinct keys the base trace requests (maxmemory fractions are shares of these keys' bytes)",
  );
  values['memory.baseline-used-memory-bytes'] = figure(
    memory.baselineUsedMemory,
    'bytes',
    'used_memory of the empty instance (subtracted from maxmemory to get the keys that fit)',
  );
}

function pointValues(r: PointResult, p: HitRateParams, values: Values, notes: string[]): void {
  const l = r.point.label;
  values[`${l}.measured-hit-rate`] = figure(
    100 * r.measured,
    '%',
    `measured hit rate after warm-up: ${r.point.policy}, maxmemory-samples ${r.point.samples}, maxmemory ${(r.maxmemoryBytes / MB).toFixed(1)} MB, TTL ${r.point.ttlSeconds} s, symbol theta ${r.point.symbolTheta}`,
  );
  values[`${l}.predicted-hit-rate`] = figure(
    100 * r.predicted,
    '%',
    `exact TTL-aware LRU prediction on the same trace for ${r.capacityKeys} keys`,
  );
  values[`${l}.gap-points`] = figure(100 * (r.measured - r.predicted), '%', 'measured - predicted, percentage points');
  values[`${l}.evicted-keys`] = figure(r.evictedKeys, 'count', 'INFO evicted_keys after the replay');
  values[`${l}.achieved-rate`] = figure(
    r.replay.achievedRatePerSecond,
    'req/s',
    `replay rate achieved (target ${p.requestsPerSecond}/s; max lag ${r.replay.maxLagMs.toFixed(0)} ms)`,
  );
  if (r.replay.fillErrors > 0)
    values[`${l}.fill-errors`] = figure(r.replay.fillErrors, 'count', 'fills (SET after a miss) Redis refused');
  if (r.replay.stoppedEarly !== null)
    notes.push(
      `${l}: replay stopped early (${r.replay.stoppedEarly}) after ${r.replay.replayed} of ${r.trace.keys.length} accesses`,
    );
  if (r.replay.maxLagMs > 1000)
    notes.push(
      `${l}: the replay fell up to ${(r.replay.maxLagMs / MS_PER_S).toFixed(1)} s behind its schedule (achieved ${r.replay.achievedRatePerSecond.toFixed(0)}/s): LRU idle times and TTLs were compressed accordingly`,
    );
}

function gapValues({ workload, results }: HitRateMeasurement, values: Values): void {
  const { p } = workload;
  const gaps = results.map((r) => Math.abs(r.measured - r.predicted)).filter(Number.isFinite);
  values['gap.max-abs-points'] = figure(
    gaps.length > 0 ? 100 * Math.max(...gaps) : null,
    '%',
    'largest |measured - predicted| over all points, percentage points',
  );
  const lruGaps = lruSweep(results, p).map((r) => Math.abs(r.measured - r.predicted));
  values['gap.allkeys-lru-s10.max-abs-points'] = figure(
    lruGaps.length > 0 ? 100 * Math.max(...lruGaps) : null,
    '%',
    'largest |measured - predicted| over the allkeys-lru samples-10 maxmemory sweep (the speed target: within 3 points)',
  );
  values['replay.lru-clock-accesses'] = figure(
    p.requestsPerSecond,
    'count',
    "accesses per tick of Redis's 1 s LRU clock at this replay rate: keys touched within one tick look equally old to eviction",
  );
}

/** Every figure and note of a run, in the report's order (the fixed notes on the replay and the model last). */
export function hitRateValues(measurement: HitRateMeasurement): { values: Values; notes: string[] } {
  const { p } = measurement.workload;
  const values: Values = {};
  const notes: string[] = [];
  memoryValues(measurement, values);
  const warning = sizeClassWarning(measurement.memory);
  if (warning !== null) notes.push(`jemalloc: ${warning}`);
  for (const r of measurement.results) pointValues(r, p, values, notes);
  gapValues(measurement, values);
  notes.push(
    `replay: one connection, in trace order, in real time at ${p.requestsPerSecond} requests/s; Redis's LRU clock has a 1 s resolution, so a replay squeezed into a few seconds makes its approximated LRU look worse than in production, where the cache spans minutes of idle time`,
    'predicted: exact LRU miss-ratio curve from stack distances (Mattson 1970, Fenwick tree), TTL-aware (a hit needs stack distance <= keys that fit and a fill younger than the TTL); keys that fit = (maxmemory - used_memory of the empty instance) / measured used_memory per key',
    `model limits: Redis evicts by sampling (maxmemory-samples) with a 1 s clock, not exact LRU; expired keys still take room in the model until touched; allkeys-lfu and volatile-ttl are not LRU and are compared with the LRU prediction only as a reference`,
  );
  return { values, notes };
}
