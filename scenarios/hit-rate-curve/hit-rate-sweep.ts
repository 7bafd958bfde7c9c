/**
 * The maxmemory sweep: the first `sweepSeconds` of day 0 replayed once per maxmemory point (allkeys-lru,
 * samples 10), beside its LRU prediction on the same lookups.
 */
import { MS_PER_S } from '../../bench/core/units.ts';
import { traceUntil } from '../../bench/workload/trading-day-workload.ts';
import { cacheFullMaxmemory } from '../shared-readings.ts';
import { MB, prepareDay, replayDay } from './hit-rate-replays.ts';
import type { PreparedDay, ReplayRun, ReplaySetup, Replayer, SimClock } from './hit-rate-replays.ts';
import type { TrialResult } from './hit-rate-trials.ts';

/** One maxmemory point of the sweep and its replay. */
export interface SweepPoint {
  /** maxmemory above the empty instance, as a share of day 0's working set's bytes. */
  readonly fraction: number;
  readonly run: ReplayRun;
}

/** What a run measured: the setup, the trials, the sweep over day 0. */
export interface HitRateMeasurement {
  readonly setup: ReplaySetup;
  /** Day 0 (trial 0's day), which the charts draw. */
  readonly day0: PreparedDay;
  /** The part of day 0 the sweep replays. */
  readonly sweepDay: PreparedDay;
  readonly trials: readonly TrialResult[];
  readonly sweep: readonly SweepPoint[];
}

/** The part of day 0 the sweep replays, with its LRU model. */
export function sweepDayOf(setup: ReplaySetup, day0: PreparedDay): PreparedDay {
  return prepareDay(setup, traceUntil(day0.trace, setup.p.sweepSeconds * MS_PER_S));
}

/** The sweep's points in order of maxmemory, on the trials' last clock; none when `sweep` is 'none'. */
export async function runSweep(
  replayer: Replayer,
  clock: SimClock,
  day: PreparedDay,
  workingSet: number,
): Promise<SweepPoint[]> {
  const { setup } = replayer;
  if (setup.p.sweep === 'none') return [];
  const points: SweepPoint[] = [];
  for (const fraction of [...setup.p.memoryFractions].sort((a, b) => a - b)) {
    if (replayer.signal.aborted) break;
    const maxmemoryBytes = cacheFullMaxmemory(
      {
        baselineUsedMemory: setup.memory.baselineUsedMemory,
        usedMemoryPerKey: setup.memory.usedMemoryPerKey,
        distinctKeys: workingSet,
      },
      fraction,
    );
    replayer.progress(
      `sweep: allkeys-lru at ${Math.round(fraction * 100)}% of the working set (${(maxmemoryBytes / MB).toFixed(1)} MB)`,
    );
    const setting = { label: `maxmemory-${fraction}`, maxmemoryBytes, policy: 'allkeys-lru', samples: 10 };
    points.push({
      fraction,
      run: await replayDay(replayer, clock, day, setting),
    });
  }
  return points;
}
