/** The hit-rate scenario's verdicts: the document's hit rate, and what a full cache does to it and to new keys. */
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { claimIn, environmentConditions } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { CACHE_FULL, cacheFullDecreasePoints } from '../shared-readings.ts';
import { HIT_RATE_CLAIMS } from './claims.ts';
import { median } from './hit-rate-figures.ts';
import { lookupsPerSecond } from './hit-rate-plan.ts';
import { MB } from './hit-rate-replays.ts';
import type { ReplayRun, ReplaySetup } from './hit-rate-replays.ts';
import type { HitRateMeasurement } from './hit-rate-sweep.ts';
import { RERUN_LAG_TTL_SHARE } from './hit-rate-trials.ts';
import type { TrialResult } from './hit-rate-trials.ts';

export const CLAIM_HIT_RATE = 'monitoring.hit-rate';
export const CLAIM_FULL_DECREASE = 'degradation.cache-full-hit-rate';
export const CLAIM_FULL_FILLS = 'degradation.cache-full-new-keys-cached';

/** Per-trial figures of every claim, in trial order. */
function trialFigures(trials: readonly TrialResult[]): Record<string, number[]> {
  return {
    [CLAIM_HIT_RATE]: trials.map((t) => t.document.hitRate),
    [CLAIM_FULL_DECREASE]: trials.map((t) => cacheFullDecreasePoints(t.unlimited.hitRate, t.full.hitRate)),
    [CLAIM_FULL_FILLS]: trials.map((t) => t.full.fillSuccess),
  };
}

/** The simulated clock: where it started, the reruns, and how far the replays lagged behind it. */
function clockConditions(setup: ReplaySetup, trials: readonly TrialResult[]): string {
  const { p, clock } = setup;
  const runs = trials.flatMap((t) => [t.document, t.full]);
  const lagS = (run: ReplayRun, ms: number): number => (ms * run.clock.acceleration) / 1_000;
  const reruns = trials.filter((t) => t.rerun).length;
  const last = trials.length > 0 ? trials[trials.length - 1].clock : clock;
  const start = `${clock.acceleration} simulated s per real s${setup.calibratedRate === null ? ' (set)' : ` (${Math.round(p.headroom * 100)}% of the ${Math.round(setup.calibratedRate)} lookups/s measured unpaced)`}, TTL ${p.ttlSeconds} s simulated = SET PX ${clock.ttlPxMs} ms`;
  const rerun = `a trial whose replays lagged more than ${RERUN_LAG_TTL_SHARE * 100}% of the TTL at the 99th percentile ran again at half the acceleration: ${reruns} rerun(s)${last.acceleration === clock.acceleration ? '' : `, the last trials at ${last.acceleration}x (PX ${last.ttlPxMs} ms)`}`;
  const lag = `lookups behind the schedule by ${median(runs.map((r) => lagS(r, r.replay.lagP99Ms))).toFixed(0)} simulated s at the 99th percentile (median of the replays), ${Math.max(0, ...runs.map((r) => lagS(r, r.replay.maxLagMs))).toFixed(0)} s at most`;
  return `clock: ${start}; ${rerun}; ${lag}`;
}

/** The workload and the simulated clock, as every verdict states them. */
function workloadConditions(setup: ReplaySetup, trials: readonly TrialResult[]): string {
  const { p } = setup;
  const lookups = median(trials.map((t) => t.trace.keys.length));
  const dates = trials.length > 0 ? `${trials[0].trace.date}..${trials[trials.length - 1].trace.date}` : 'none';
  return [
    `workload: simulated trading days of ${(p.sessionSeconds / 3_600).toFixed(1)} h, ${p.signalRequestsPerSecond} signal request/s of ${p.symbolsPerRequest} distinct symbols (Poisson arrivals; ${lookupsPerSecond(p)} lookups/s, a harness assumption: the document gives no request rate), symbols zipfian ${p.symbolTheta} over ${p.symbols}, dates zipfian ${p.dateTheta} over the ${p.lookbackDates}-date lookback ending at the day's own date (the dates roll over from day to day), ~${Math.round(lookups)} lookups a day, ${p.codec} values`,
    clockConditions(setup, trials),
    `trials: ${trials.length} trading days (${dates}), each its own seed, each from a flushed Redis (the overnight gap outlasts the TTL: the cache is empty at the open), the first ${p.ttlSeconds} s of each day (one TTL) excluded as warm-up; variants of a trial in alternating order; replay on one lean RESP connection, ${p.concurrency} lookups in flight, each key's lookups in order`,
  ].join('; ');
}

/** What the document-configuration hit rate depends on, for its verdict's conditions. */
function documentNote(setup: ReplaySetup, trials: readonly TrialResult[]): string {
  const keySpace = trials.length > 0 ? trials[0].trace.keySpace : 0;
  const evictions = trials.reduce((sum, t) => sum + t.document.evictedKeys, 0);
  const predicted = median(trials.map((t) => t.document.predictedHitRate));
  return `maxmemory 512mb volatile-lru (the document's), TTL ${setup.p.ttlSeconds} s: all ${keySpace} keys a day may request take ${((keySpace * setup.memory.usedMemoryPerKey) / MB).toFixed(1)} MB, ${evictions} evictions in all trials, so misses are a key's first lookup of the day or its first after the TTL; the exact model of the same lookups gives ${predicted.toFixed(1)}% (median); the figure follows the assumed request rate (see the series "predicted: hit rate by request rate")`;
}

/** The cache-full setting of this run, its reference, and the LRU-clock caveat with exact LRU's figure. */
function fullNote(setup: ReplaySetup, trials: readonly TrialResult[]): string {
  const workingSet = median(trials.map((t) => t.workingSetKeys));
  const maxmemory = median(trials.map((t) => t.full.setting.maxmemoryBytes));
  const evictions = median(trials.map((t) => t.full.evictedKeys));
  const predicted = median(
    trials.map((t) => cacheFullDecreasePoints(t.unlimited.predictedHitRate, t.full.predictedHitRate)),
  );
  const reference = trials.every((t) => t.unlimited === t.document)
    ? 'the document run (512 MB holds every key a day may request, so it is unlimited for this workload)'
    : 'a run with maxmemory 0';
  return `${CACHE_FULL.definition}; here: working set ${Math.round(workingSet)} keys (median of the days) -> maxmemory ${(maxmemory / MB).toFixed(1)} MB, ${Math.round(evictions)} evictions a day (median); unlimited reference: ${reference}; Redis's LRU clock ticks once per real second = ${setup.clock.acceleration} simulated s at the start, so volatile-lru ranks keys by idle time in steps that long (near-random among the sampled keys when that exceeds the time between lookups of a key): exact LRU on the same lookups predicts a decrease of ${predicted.toFixed(1)} points (median)`;
}

/** The verdicts, one figure per trial (simulated trading day) for each claim. */
export function hitRateVerdicts(
  context: ScenarioContext,
  measurement: HitRateMeasurement,
): { verdicts: ClaimVerdict[]; trials: Record<string, number[]> } {
  const { setup, trials } = measurement;
  const figures = trialFigures(trials);
  const base = `${environmentConditions(context)}; ${workloadConditions(setup, trials)}`;
  const judge = (id: string, extra: string): ClaimVerdict =>
    judgeClaim(claimIn(HIT_RATE_CLAIMS, id), figures[id], `${base}; ${extra}`);
  return {
    verdicts: [
      judge(CLAIM_HIT_RATE, documentNote(setup, trials)),
      judge(CLAIM_FULL_DECREASE, fullNote(setup, trials)),
      judge(
        CLAIM_FULL_FILLS,
        `${CACHE_FULL.definition}; every fill has a TTL, so volatile-lru can evict; figure: share of the misses after the warm-up whose SET Redis accepted`,
      ),
    ],
    trials: figures,
  };
}
