/**
 * The trials behind the verdicts: one simulated trading day each (its own date and seed), replayed
 * from a flushed Redis on the document's configuration and on a full cache (and with unlimited
 * memory when 512 MB could not hold every key the day may request), in alternating order. A trial
 * whose replays fell too far behind their schedule is run again on a clock half as fast.
 */
import { MS_PER_S } from '../../bench/core/units.ts';
import { generateTradingDayTrace, workingSetKeys } from '../../bench/workload/trading-day-workload.ts';
import type { TradingDayTrace } from '../../bench/workload/trading-day-workload.ts';
import { CACHE_FULL, cacheFullMaxmemory } from '../shared-readings.ts';
import { workloadOf } from './hit-rate-plan.ts';
import { DOCUMENT_MAXMEMORY_BYTES, lagShareOfTtl, prepareDay, replayDay, simClock } from './hit-rate-replays.ts';
import type { PreparedDay, RedisSetting, ReplayRun, ReplaySetup, Replayer, SimClock } from './hit-rate-replays.ts';

/** The Redis settings a trial replays its day on. */
export type Variant = 'document' | 'unlimited' | 'full';

/** One trial: a simulated trading day replayed on each variant, on one clock. */
export interface TrialResult {
  readonly trial: number;
  readonly trace: TradingDayTrace;
  readonly clock: SimClock;
  /** True when this is the second run of the trial, on a slower clock (the first lagged too far). */
  readonly rerun: boolean;
  /** Mean distinct keys per TTL window after the warm-up: the working set CACHE_FULL sizes from. */
  readonly workingSetKeys: number;
  /** Replay order of this trial (alternating from one trial to the next). */
  readonly order: readonly Variant[];
  readonly document: ReplayRun;
  /** The reference of the cache-full figure: the document's run when 512 MB holds every key, else its own run. */
  readonly unlimited: ReplayRun;
  readonly full: ReplayRun;
}

/** The trials and the clock the last one ran on. */
export interface TrialsOutcome {
  readonly trials: readonly TrialResult[];
  readonly clock: SimClock;
}

/**
 * A trial whose replays ran behind their schedule by more than this share of the scaled TTL (99th
 * percentile) is run again at half the acceleration: keys would otherwise live noticeably more or
 * less simulated time than the TTL.
 */
export const RERUN_LAG_TTL_SHARE = 0.25;
/** The clock is never slowed below the starting acceleration divided by this (at most two halvings). */
const MAX_SLOWDOWN = 4;

const DOCUMENT_SETTING: RedisSetting = {
  label: 'document',
  maxmemoryBytes: DOCUMENT_MAXMEMORY_BYTES,
  policy: 'volatile-lru',
  samples: 5,
};

const UNLIMITED_SETTING: RedisSetting = { label: 'unlimited', maxmemoryBytes: 0, policy: 'volatile-lru', samples: 5 };

/** True when 512 MB holds every key a day may request (symbols x lookback dates): the document's run never evicts. */
function documentHoldsEveryKey(setup: ReplaySetup, keySpace: number): boolean {
  return setup.memory.baselineUsedMemory + keySpace * setup.memory.usedMemoryPerKey < DOCUMENT_MAXMEMORY_BYTES;
}

/** The shared CACHE_FULL definition applied to this day's working set. */
function fullSetting(setup: ReplaySetup, workingSet: number): RedisSetting {
  return {
    label: 'cache-full',
    maxmemoryBytes: cacheFullMaxmemory({
      baselineUsedMemory: setup.memory.baselineUsedMemory,
      usedMemoryPerKey: setup.memory.usedMemoryPerKey,
      distinctKeys: workingSet,
    }),
    policy: CACHE_FULL.policy,
    samples: CACHE_FULL.samples,
  };
}

/** Variants of trial `trial` in replay order: ABAB from one trial to the next. */
export function trialOrder(trial: number, withUnlimited: boolean): Variant[] {
  const order: Variant[] = withUnlimited ? ['document', 'unlimited', 'full'] : ['document', 'full'];
  return trial % 2 === 0 ? order : order.reverse();
}

/** True when one of the trial's replays lagged past RERUN_LAG_TTL_SHARE of the TTL. */
export function laggedTooFar(result: TrialResult): boolean {
  return [result.document, result.unlimited, result.full].some((run) => lagShareOfTtl(run) > RERUN_LAG_TTL_SHARE);
}

/** One trial on one clock; null when the run was aborted before the trial completed. */
async function runTrial(
  replayer: Replayer,
  trial: number,
  day: PreparedDay,
  clock: SimClock,
  rerun: boolean,
): Promise<TrialResult | null> {
  const { setup } = replayer;
  const workingSet = workingSetKeys(day.trace, setup.p.ttlSeconds * MS_PER_S, setup.warmupMs);
  const settings: Record<Variant, RedisSetting> = {
    document: DOCUMENT_SETTING,
    unlimited: UNLIMITED_SETTING,
    full: fullSetting(setup, workingSet),
  };
  const order = trialOrder(trial, !documentHoldsEveryKey(setup, day.trace.keySpace));
  const runs: Partial<Record<Variant, ReplayRun>> = {};
  for (const variant of order) {
    if (replayer.signal.aborted) break;
    runs[variant] = await replayDay(replayer, clock, day, settings[variant]);
  }
  const { document, full } = runs;
  if (replayer.signal.aborted || document === undefined || full === undefined) return null;
  return {
    trial,
    trace: day.trace,
    clock,
    rerun,
    workingSetKeys: workingSet,
    order,
    document,
    unlimited: runs.unlimited ?? document,
    full,
  };
}

/**
 * Every trial in turn, from the setup's clock; a trial that lagged too far runs once more at half
 * the acceleration, which later trials keep (down to a quarter of the start). Stops early (with the
 * trials done) when the run is aborted.
 */
export async function runTrials(replayer: Replayer, first: PreparedDay): Promise<TrialsOutcome> {
  const { setup } = replayer;
  const { p } = setup;
  const trials: TrialResult[] = [];
  let clock = setup.clock;
  for (let trial = 0; trial < p.trials && !replayer.signal.aborted; trial++) {
    const day = trial === 0 ? first : prepareDay(setup, generateTradingDayTrace(workloadOf(p, setup.seed), trial));
    replayer.progress(
      `trial ${trial + 1}/${p.trials}: trading day ${day.trace.date}, ${day.trace.keys.length} lookups over ${(p.sessionSeconds / 3_600).toFixed(1)} simulated hours in ${(p.sessionSeconds / clock.acceleration).toFixed(1)} s per replay`,
    );
    let result = await runTrial(replayer, trial, day, clock, false);
    const slowest = setup.clock.acceleration / MAX_SLOWDOWN;
    if (result !== null && laggedTooFar(result) && clock.acceleration / 2 >= slowest) {
      clock = simClock(p.ttlSeconds, Math.max(1, Math.floor(clock.acceleration / 2)));
      replayer.progress(
        `trial ${trial + 1}: the replays lagged more than ${RERUN_LAG_TTL_SHARE * 100}% of the TTL; again at ${clock.acceleration}x`,
      );
      result = await runTrial(replayer, trial, day, clock, true);
    }
    if (result !== null) trials.push(result);
  }
  return { trials, clock };
}
