/**
 * Turns the failover trials into the scenario's outcome: per detection setting, the verdict on the
 * end-to-end write recovery, medians over trials as values, notes per trial, and the per-second
 * timelines and kill-to-recovery windows for the report.
 */
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim, notMeasuredVerdict } from '../../bench/analysis/verdict.ts';
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import type { ScenarioEvent, ScenarioSeries, ScenarioValue } from '../../bench/core/run-summary.ts';
import { claimIn, environmentConditions, figure } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { FAILOVER_CLAIMS } from './claims.ts';
import { fmt } from './failover-figures.ts';
import { gaveUpAfterMs } from './failover-params.ts';
import type { FailoverParams } from './failover-params.ts';
import {
  FAST_TIMINGS,
  REDIS_DEFAULT_TIMINGS,
  detectionSetting,
  failoverClaimId,
  settingsOrigin,
  timingsText,
} from './failover-settings.ts';
import type { FailoverKind, FailoverMode, FailoverTimings } from './failover-settings.ts';
import { CANARY_EVERY } from './failover-trial.ts';
import type { TrialResult } from './failover-trial.ts';

/** What the outcome is built from: the deployment, the resolved parameters, the settings run, every trial. */
export interface FailoverRun {
  readonly kind: FailoverKind;
  /** What one deployment is (every lane runs the same). */
  readonly description: string;
  readonly params: FailoverParams;
  /** The detection settings the trials ran with, in order (the fast ones; Redis's defaults with --thorough). */
  readonly modes: readonly FailoverTimings[];
  readonly results: readonly TrialResult[];
}

/** The claim's settings for each mode: the fast claim's budget is for the harness's own fast settings. */
const CLAIM_TIMINGS: Readonly<Record<FailoverMode, Readonly<Record<FailoverKind, FailoverTimings>>>> = {
  fast: FAST_TIMINGS,
  'redis-defaults': REDIS_DEFAULT_TIMINGS,
};

const MODES: readonly FailoverMode[] = ['fast', 'redis-defaults'];

/** Value and trial names: the fast settings keep the plain names, Redis's defaults get a prefix. */
const named = (mode: FailoverMode, name: string): string => (mode === 'fast' ? name : `${mode}.${name}`);

function median(values: readonly (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length === 0 ? null : medianOf(finite);
}

const resultsOf = (failover: FailoverRun, mode: FailoverMode): TrialResult[] =>
  failover.results.filter((r) => r.spec.timings.mode === mode);

export function failoverOutcome(context: ScenarioContext, failover: FailoverRun): ScenarioOutcome {
  const { kind, description, params, modes, results } = failover;
  return {
    values: Object.assign({}, ...modes.map((t) => failoverValues(resultsOf(failover, t.mode), t.mode))),
    trials: Object.assign({}, ...modes.map((t) => failoverTrials(resultsOf(failover, t.mode), t.mode))),
    verdicts: MODES.map((mode) => failoverVerdict(context, failover, mode)),
    parameters: {
      ...params,
      deployment: description,
      detectionSetting: detectionSetting(kind),
      settings: modes.map((t) => `${t.mode}: ${timingsText(kind, t)}`),
      victims: results.map((r) => r.victimPort),
    },
    notes: failoverNotes(failover),
    series: failoverSeries(results),
    events: failoverEvents(context, results),
  };
}

/**
 * The verdict of one mode's claim, judged on its trials' end-to-end figures alone. Redis's defaults
 * run only with --thorough; fast settings other than the claim's leave the claim not measured,
 * since its budget is stated for those.
 */
function failoverVerdict(context: ScenarioContext, failover: FailoverRun, mode: FailoverMode): ClaimVerdict {
  const { kind, modes } = failover;
  const claim = claimIn(FAILOVER_CLAIMS, failoverClaimId(kind, mode));
  const timings = modes.find((t) => t.mode === mode);
  if (timings === undefined)
    return notMeasuredVerdict(
      claim,
      `needs --thorough: with Redis's defaults (${timingsText(kind, REDIS_DEFAULT_TIMINGS[kind])}) every trial waits out ${REDIS_DEFAULT_TIMINGS[kind].detectionMs / 1000} s of failure detection before a failover starts`,
    );
  const claimTimings = CLAIM_TIMINGS[mode][kind];
  if (timingsText(kind, timings) !== timingsText(kind, claimTimings))
    return notMeasuredVerdict(
      claim,
      `the trials ran with ${timingsText(kind, timings)} (--set), the claim's budget is for ${timingsText(kind, claimTimings)}; the figures are in the scenario's values`,
      conditionsOf(context, failover, timings),
    );
  const figures = resultsOf(failover, mode).map((r) => r.figure.ms);
  return judgeClaim(claim, figures, conditionsOf(context, failover, timings), {
    confidence: context.params.confidence,
  });
}

function conditionsOf(context: ScenarioContext, failover: FailoverRun, timings: FailoverTimings): string {
  const { kind, description, params } = failover;
  const censored = resultsOf(failover, timings.mode).filter((r) => r.figure.censored).length;
  return [
    environmentConditions(context),
    `${description}, ${params.lanes} such deployment(s) side by side with the trials spread over them; each trial on a healthy, converged deployment (the killed node restarted and rejoined as a replica) with new clients`,
    `${timingsText(kind, timings)} (${settingsOrigin(timings, kind === 'sentinel')}; the recovery time scales with the detection setting)`,
    'replicas sync without the 5 s diskless-sync delay (repl-diskless-sync-delay 0)',
    `SIGKILL of the master under ${params.rateOpsPerSecond} ops/s open-loop FeatureCache get/set per deployment (${Math.round(params.writeFraction * 100)}% writes, ${params.keyCount} keys), cache client command timeout ${params.commandTimeoutMs} ms`,
    ...generatorCondition(resultsOf(failover, timings.mode)),
    ...(censored === 0
      ? []
      : [
          `${censored} trial(s) censored: writes had not recovered when the harness stopped waiting ${gaveUpAfterMs(timings, params)} ms after the kill, counted with that figure`,
        ]),
  ].join('; ');
}

/**
 * Trials whose load generator was busy past its bounds (bench/measure/generator-load.ts), said in
 * the conditions with the worst event-loop delay: those bounds are set for latencies of
 * milliseconds, and a delay that size moves a recovery of seconds by at most as much.
 */
function generatorCondition(results: readonly TrialResult[]): string[] {
  const busy = results.flatMap((r) => (r.load.generatorLoad?.generatorLimited === true ? [r.load.generatorLoad] : []));
  if (busy.length === 0) return [];
  const worstMs = Math.max(...busy.map((load) => load.eventLoopDelayP99Ms));
  return [
    `load generator busy in ${busy.length} of ${results.length} trial(s) (event-loop p99 up to ${worstMs.toFixed(0)} ms: the recovery figure may be late by that much)`,
  ];
}

function failoverTrials(results: readonly TrialResult[], mode: FailoverMode): Record<string, number[]> {
  const trialsOf = (pick: (r: TrialResult) => number | null): number[] => results.map((r) => pick(r) ?? Number.NaN);
  return {
    [named(mode, 'write-recovery-ms')]: trialsOf((r) => r.figure.ms),
    [named(mode, 'promotion-ms')]: trialsOf((r) => r.promotionMs),
    [named(mode, 'failed-writes')]: trialsOf((r) => r.figures.failedWrites),
    [named(mode, 'failed-reads')]: trialsOf((r) => r.figures.failedReads),
    [named(mode, 'lost-acknowledged-writes')]: trialsOf((r) => r.lostAckedWrites),
  };
}

/** One value of the outcome: its name, unit and description, and how it is taken from the trials. */
type ValueSpec = readonly [
  name: string,
  unit: string,
  description: string,
  of: (results: readonly TrialResult[]) => number | null,
];

const medianOver =
  (pick: (r: TrialResult) => number | null) =>
  (results: readonly TrialResult[]): number | null =>
    median(results.map(pick));

const total =
  (pick: (r: TrialResult) => number) =>
  (results: readonly TrialResult[]): number =>
    results.reduce((sum, r) => sum + pick(r), 0);

const VALUE_SPECS: readonly ValueSpec[] = [
  [
    'write-recovery-ms',
    'ms',
    "median over trials: kill to writes succeeding again on the killed master's keys, detection included (the verdict figure; a censored trial counts with the time waited)",
    medianOver((r) => r.figure.ms),
  ],
  [
    'censored-trials',
    'count',
    'trials whose writes had not recovered when the harness stopped waiting',
    total((r) => (r.figure.censored ? 1 : 0)),
  ],
  [
    'read-recovery-ms',
    'ms',
    'median over trials: kill to reads succeeding again (affected keys)',
    medianOver((r) => r.figures.readRecoveryMs),
  ],
  [
    'promotion-ms',
    'ms',
    'median over trials: kill to the deployment naming a new master (polled every 100 ms)',
    medianOver((r) => r.promotionMs),
  ],
  [
    'failed-writes',
    'count',
    'median over trials: writes that failed after the kill',
    medianOver((r) => r.figures.failedWrites),
  ],
  [
    'failed-reads',
    'count',
    'median over trials: reads that failed after the kill',
    medianOver((r) => r.figures.failedReads),
  ],
  [
    'lost-acknowledged-writes',
    'count',
    'all trials: canary keys whose last acknowledged write was gone after the failover',
    total((r) => r.lostAckedWrites),
  ],
  [
    'canary-keys-checked',
    'count',
    'all trials: canary keys on the killed master read back after the failover',
    total((r) => r.canariesChecked),
  ],
  [
    'steady-p99-ms',
    'ms',
    'median over trials: p99 of successful operations before the kill (from the actual send)',
    medianOver((r) => r.figures.steadyP99Ms),
  ],
  [
    'during-failover-p99-ms',
    'ms',
    'median over trials: p99 of successful operations sent between the kill and the write recovery',
    medianOver((r) => r.figures.duringP99Ms),
  ],
];

function failoverValues(results: readonly TrialResult[], mode: FailoverMode): Record<string, ScenarioValue> {
  return Object.fromEntries(
    VALUE_SPECS.map(([name, unit, description, of]) => [named(mode, name), figure(of(results), unit, description)]),
  );
}

function failoverNotes({ kind, params, modes, results }: FailoverRun): string[] {
  const unsteady = results.some((r) => r.figures.failedBeforeKill > 0)
    ? [
        `operations failed before the kill (${results.map((r) => r.figures.failedBeforeKill).join(', ')} per trial): the deployment or the machine was not steady`,
      ]
    : [];
  const loadWarnings = results.flatMap((r) =>
    r.load.warnings.filter((w) => !/aborted/.test(w)).map((w) => `trial ${r.spec.index + 1}: load: ${w}`),
  );
  return [
    ...loadWarnings,
    ...unsteady,
    `${params.trials} trials per detection setting (${modes.map((t) => `${t.mode}: ${timingsText(kind, t)}`).join('; ')}), spread over ${params.lanes} deployment(s) running side by side, each running its trials one after another; before each trial the last killed node is restarted and rejoins as a replica, the deployment is checked healthy and converged, and new clients connect (not measured)`,
    `each trial: ${params.preFaultMs} ms steady load, SIGKILL of the master, load until writes to its keys have succeeded for ${params.stableMs} ms with no failure and the deployment names a new master (the harness stops waiting ${params.waitBeyondBudgetMs} ms after the budget of detection + 10 s), then ${params.postRecoveryMs} ms more`,
    'write recovery (the verdict figure) = kill to the completion of the first successful write to an affected key sent after the last failed one, end to end (failure detection included), computed from every operation after the run; a trial not recovered when the harness stopped waiting counts with the time waited (censored), beyond the budget',
    `lost acknowledged writes: every ${CANARY_EVERY}th key is written only before the kill; after the recovery each such key on the killed master is read back, and a value older than its last acknowledged write (or gone) counts as lost (Redis replicates asynchronously: a write acknowledged just before the crash may never reach the replica)`,
    kind === 'cluster'
      ? "cluster: only keys in the killed master's slots are affected; with cluster-require-full-coverage yes (default) the other shards also answer CLUSTERDOWN once the master is marked failed, until its replica is promoted"
      : 'sentinel: every key is on the master; the client is sentinel-aware (ioredis sentinels + failoverDetector) and asks the sentinels for the new master on reconnect',
    'the document\'s deployment sketch says "Redis Cluster (3 nodes + 3 sentinels)": Redis Cluster does its own failover without sentinels, so both deployments are measured, each with its own claims',
    ...results.map(trialNote),
  ];
}

function trialNote(r: TrialResult): string {
  const { spec, figures: f } = r;
  const promotion =
    r.promotedPort === null ? 'no new master named' : `${r.promotedPort} promoted after ${fmt(r.promotionMs)} ms`;
  const writes = r.figure.censored
    ? `writes had not recovered when the harness stopped waiting (counted as ${fmt(r.figure.ms)} ms)`
    : `writes recovered after ${fmt(f.writeRecoveryMs)} ms`;
  return `trial ${spec.index + 1} (lane ${spec.lane + 1}, ${spec.timings.mode}): master ${r.victimPort} killed, ${promotion}; ${writes}, reads after ${fmt(f.readRecoveryMs)} ms; failed: ${f.failedWrites} writes, ${f.failedReads} reads (${f.failedUnaffected} on other shards) of ${f.opsAfterKill} ops after the kill; lost acknowledged writes ${r.lostAckedWrites} of ${r.canariesChecked} canary keys; affected keys ${Math.round(r.affectedKeyShare * 100)}%`;
}

/** Kill to write recovery (or to the end of the wait) of each trial, in ms from the recorders' start (shaded). */
function failoverEvents(context: ScenarioContext, results: readonly TrialResult[]): ScenarioEvent[] {
  return results
    .filter((r) => Number.isFinite(r.killEpochMs) && Number.isFinite(r.figure.ms))
    .map((r) => ({
      label: `trial ${r.spec.index + 1} (lane ${r.spec.lane + 1}, ${r.spec.timings.mode}): master ${r.victimPort} killed → writes ${r.figure.censored ? 'not recovered' : 'recovered'}`,
      startMs: r.killEpochMs - context.recorders.startTimeMs,
      endMs: r.killEpochMs - context.recorders.startTimeMs + r.figure.ms,
    }));
}

function failoverSeries(results: readonly TrialResult[]): Record<string, ScenarioSeries> {
  return Object.fromEntries(
    results.flatMap((r) => [
      [
        `trial${r.spec.index + 1}.failed-per-second`,
        { x: r.timeline.second, y: r.timeline.failed, xLabel: 's from the kill', yLabel: 'failed ops/s' },
      ],
      [
        `trial${r.spec.index + 1}.ok-per-second`,
        { x: r.timeline.second, y: r.timeline.ok, xLabel: 's from the kill', yLabel: 'successful ops/s' },
      ],
    ]),
  );
}
