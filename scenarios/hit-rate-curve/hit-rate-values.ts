/** The hit-rate scenario's named figures and notes: bytes per key, the clock, the trials' medians, the sweep. */
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { figure } from '../../bench/run/scenario-kit.ts';
import { sizeClassWarning } from '../../bench/workload/memory-per-key.ts';
import { cacheFullDecreasePoints } from '../shared-readings.ts';
import { median } from './hit-rate-figures.ts';
import { MB, lagShareOfTtl } from './hit-rate-replays.ts';
import { RERUN_LAG_TTL_SHARE } from './hit-rate-trials.ts';
import type { ReplayRun } from './hit-rate-replays.ts';
import type { HitRateMeasurement } from './hit-rate-sweep.ts';

type Values = Record<string, ScenarioValue>;

function memoryValues({ setup, day0 }: HitRateMeasurement, values: Values): void {
  const { memory, p } = setup;
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
  values['memory.value-bytes'] = figure(memory.meanValueBytes, 'bytes', `mean encoded value (${p.codec})`);
  values['memory.value-jemalloc-slot-bytes'] = figure(
    memory.valueSlotBytes,
    'bytes',
    'jemalloc size class the mean value (with its sds header) lands in',
  );
  values['memory.baseline-used-memory-bytes'] = figure(
    memory.baselineUsedMemory,
    'bytes',
    'used_memory of the empty instance (subtracted from maxmemory to get the keys that fit)',
  );
  values['workload.key-space'] = figure(
    day0.trace.keySpace,
    'count',
    'symbols x lookback dates: the keys a day may request',
  );
}

function clockValues({ setup, trials }: HitRateMeasurement, values: Values): void {
  const runs = trials.flatMap((t) => [t.document, t.full]);
  const { clock } = setup;
  values['clock.acceleration'] = figure(
    clock.acceleration,
    'x',
    'simulated seconds per real second the trials start on',
  );
  values['clock.ttl-px-ms'] = figure(
    clock.ttlPxMs,
    'ms',
    `SET PX of every fill at that clock: ${setup.p.ttlSeconds} s / the acceleration`,
  );
  values['clock.final-acceleration'] = figure(
    trials.length > 0 ? trials[trials.length - 1].clock.acceleration : null,
    'x',
    'the clock of the last trial (lower than the start when a trial lagged and ran again at half the acceleration)',
  );
  values['trials.reruns'] = figure(
    trials.filter((t) => t.rerun).length,
    'count',
    `trials run again at half the acceleration because their replays lagged more than ${RERUN_LAG_TTL_SHARE * 100}% of the TTL`,
  );
  values['clock.calibrated-lookups-per-second'] = figure(
    setup.calibratedRate,
    'lookups/s',
    'cache-aside lookups per real second of the unpaced calibration replay (null: acceleration set)',
  );
  values['replay.achieved-rate'] = figure(
    median(runs.map((r) => r.replay.achievedRatePerSecond)),
    'lookups/s',
    'lookups per real second of the paced trial replays (median)',
  );
  values['replay.lag-p99-simulated-s'] = figure(
    median(runs.map((r) => simulatedSeconds(r, r.replay.lagP99Ms))),
    's',
    "99th percentile of the lookups' delay behind the schedule, simulated seconds (median of the trial replays)",
  );
  values['replay.max-lag-simulated-s'] = figure(
    Math.max(0, ...runs.map((r) => simulatedSeconds(r, r.replay.maxLagMs))),
    's',
    'largest delay of a lookup behind its schedule, in simulated seconds (compare with the TTL)',
  );
}

/** Real ms of a run as simulated seconds on its clock. */
function simulatedSeconds(run: ReplayRun, realMs: number): number {
  return (realMs * run.clock.acceleration) / 1_000;
}

function trialValues({ trials }: HitRateMeasurement, values: Values): void {
  const med = (pick: (t: (typeof trials)[number]) => number): number => median(trials.map(pick));
  values['workload.lookups-per-day'] = figure(
    med((t) => t.trace.keys.length),
    'count',
    'lookups of a simulated day (median)',
  );
  values['workload.working-set-keys'] = figure(
    med((t) => t.workingSetKeys),
    'count',
    'distinct keys per TTL window after the warm-up (median of the days): the working set the cache-full maxmemory is sized from',
  );
  const pair = (name: string, pick: (t: (typeof trials)[number]) => ReplayRun, what: string): void => {
    values[`${name}.measured-hit-rate`] = figure(
      med((t) => pick(t).hitRate),
      '%',
      `${what}: hit rate after the warm-up (median of the days)`,
    );
    values[`${name}.predicted-hit-rate`] = figure(
      med((t) => pick(t).predictedHitRate),
      '%',
      `${what}: exact TTL-aware LRU on the same lookups (median of the days)`,
    );
    values[`${name}.evicted-keys`] = figure(
      med((t) => pick(t).evictedKeys),
      'count',
      `${what}: INFO evicted_keys a day (median)`,
    );
  };
  pair('document', (t) => t.document, 'maxmemory 512mb volatile-lru');
  pair('cache-full', (t) => t.full, 'the shared CACHE_FULL setting');
  values['cache-full.maxmemory-mb'] = figure(
    med((t) => t.full.setting.maxmemoryBytes) / MB,
    'MB',
    'maxmemory of the full cache (median of the days)',
  );
  values['cache-full.predicted-decrease-points'] = figure(
    med((t) => cacheFullDecreasePoints(t.unlimited.predictedHitRate, t.full.predictedHitRate)),
    '%',
    'the cache-full decrease exact LRU predicts for the same lookups, percentage points (median of the days)',
  );
}

function sweepValues({ sweep }: HitRateMeasurement, values: Values): void {
  for (const { fraction, run } of sweep) {
    const l = run.setting.label;
    values[`${l}.measured-hit-rate`] = figure(
      run.hitRate,
      '%',
      `day 0, allkeys-lru samples 10, maxmemory ${(run.setting.maxmemoryBytes / MB).toFixed(1)} MB (${Math.round(fraction * 100)}% of the working set)`,
    );
    values[`${l}.predicted-hit-rate`] = figure(
      run.predictedHitRate,
      '%',
      `exact TTL-aware LRU for ${run.capacityKeys} keys`,
    );
    values[`${l}.gap-points`] = figure(
      run.hitRate - run.predictedHitRate,
      '%',
      'measured - predicted, percentage points',
    );
    values[`${l}.evicted-keys`] = figure(run.evictedKeys, 'count', 'INFO evicted_keys after the replay');
  }
  values['gap.allkeys-lru-s10.max-abs-points'] = figure(
    sweep.length > 0 ? Math.max(...sweep.map((s) => Math.abs(s.run.hitRate - s.run.predictedHitRate))) : null,
    '%',
    'largest |measured - predicted| over the allkeys-lru samples-10 maxmemory sweep, percentage points',
  );
}

/** A sentence when a kept trial's replays still lagged more than the rerun threshold (99th percentile). */
function lagWarning({ trials }: HitRateMeasurement): string | null {
  const lagged = trials
    .flatMap((t) => [t.document, t.unlimited, t.full])
    .filter((r) => lagShareOfTtl(r) > RERUN_LAG_TTL_SHARE);
  if (lagged.length === 0) return null;
  const worst = Math.max(...lagged.map(lagShareOfTtl));
  return `lag: ${lagged.length} trial replay(s) ran behind their schedule by more than ${RERUN_LAG_TTL_SHARE * 100}% of the scaled TTL at the 99th percentile and were kept (already rerun, or the clock already at a quarter of its start; worst ${Math.round(100 * worst)}%): the machine was busy, and keys lived that much more or less simulated time than the TTL; compare document.measured-hit-rate with document.predicted-hit-rate, or set a lower acceleration`;
}

/** Every figure and note of a run, in the report's order (the fixed notes on the replay and the model last). */
export function hitRateValues(measurement: HitRateMeasurement): { values: Values; notes: string[] } {
  const values: Values = {};
  const notes: string[] = [];
  memoryValues(measurement, values);
  clockValues(measurement, values);
  trialValues(measurement, values);
  sweepValues(measurement, values);
  const warning = sizeClassWarning(measurement.setup.memory);
  if (warning !== null) notes.push(`jemalloc: ${warning}`);
  const lag = lagWarning(measurement);
  if (lag !== null) notes.push(lag);
  const { clock, p } = measurement.setup;
  notes.push(
    `clock: one real second is ${clock.acceleration} simulated seconds at the start; Redis's TTLs run on its real clock, so every fill's TTL is scaled (SET PX ${clock.ttlPxMs} ms = ${p.ttlSeconds} s simulated) and keys really expire; a lookup sent late by more than the one that filled its key sees that key younger than the schedule says, by the difference`,
    `LRU clock: Redis ranks keys for eviction by idle time on a clock that ticks once per real second, here ${clock.acceleration} simulated seconds; with a TTL of ${p.ttlSeconds} s that ranking is coarse, so evictions (cache-full, sweep) come out closer to random among the sampled keys than in production, which the exact LRU predictions beside them show`,
    'predicted: exact LRU miss-ratio curve from stack distances (Mattson 1970, Fenwick tree), TTL-aware (a hit needs stack distance <= keys that fit and a fill younger than the TTL); keys that fit = (maxmemory - used_memory of the empty instance) / measured used_memory per key',
  );
  return { values, notes };
}
