/**
 * Turns the failover trials into the scenario's outcome: medians over trials as values, the
 * verdict on the write recovery beyond failure detection, notes per trial, and the per-second
 * timelines and kill-to-recovery windows for the report.
 */
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import type { ScenarioEvent, ScenarioSeries, ScenarioValue } from '../../bench/core/run-summary.ts';
import { environmentConditions, figure } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { ScenarioTopology } from '../../bench/targets/topology-target.ts';
import { FAILOVER_CLAIMS } from './claims.ts';
import { fmt } from './failover-figures.ts';
import type { FailoverParams } from './failover-params.ts';
import type { FailoverKind } from './failover-target.ts';
import { CANARY_EVERY } from './failover-trial.ts';
import type { TrialResult } from './failover-trial.ts';

/** What the outcome is built from: the deployment, the resolved parameters, every trial. */
export interface FailoverRun {
  readonly kind: FailoverKind;
  readonly topology: ScenarioTopology;
  readonly params: FailoverParams;
  readonly results: readonly TrialResult[];
  /** Notes gathered while the trials ran (load warnings). */
  readonly notes: readonly string[];
}

function median(values: readonly (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length === 0 ? null : medianOf(finite);
}

const detectionSetting = (kind: FailoverKind): string =>
  kind === 'cluster' ? 'cluster-node-timeout' : 'down-after-milliseconds';

/** Per trial: write recovery minus the configured failure-detection time (the verdict figure). */
const beyondDetection = ({ results, params }: FailoverRun): (number | null)[] =>
  results.map((r) => (r.figures.writeRecoveryMs === null ? null : r.figures.writeRecoveryMs - params.detectionMs));

export function failoverOutcome(context: ScenarioContext, failover: FailoverRun): ScenarioOutcome {
  const { kind, topology, params, results } = failover;
  const beyond = beyondDetection(failover);
  const trialsOf = (pick: (r: TrialResult) => number | null): number[] => results.map((r) => pick(r) ?? Number.NaN);
  return {
    values: failoverValues(failover),
    trials: {
      'write-recovery-ms': trialsOf((r) => r.figures.writeRecoveryMs),
      'write-recovery-beyond-detection-ms': beyond.map((v) => v ?? Number.NaN),
      'promotion-ms': trialsOf((r) => r.promotionMs),
      'failed-writes': trialsOf((r) => r.figures.failedWrites),
      'failed-reads': trialsOf((r) => r.figures.failedReads),
      'lost-acknowledged-writes': trialsOf((r) => r.lostAckedWrites),
    },
    verdicts: failoverVerdicts(context, failover),
    parameters: {
      ...params,
      topology: topology.description,
      detectionSetting: detectionSetting(kind),
      victims: results.map((r) => r.victimPort),
    },
    notes: failoverNotes(failover),
    series: failoverSeries(results),
    events: failoverEvents(context, failover),
  };
}

function failoverVerdicts(context: ScenarioContext, failover: FailoverRun): ClaimVerdict[] {
  const { kind, topology, params, results } = failover;
  const beyond = beyondDetection(failover);
  const conditions = [
    environmentConditions(context),
    topology.description
      .replace(/cluster-node-timeout \d+ ms|down-after-milliseconds \d+, failover-timeout \d+/, '')
      .replace(/,\s*$/, ''),
    `${detectionSetting(kind)} ${params.detectionMs} ms${kind === 'sentinel' ? `, failover-timeout ${params.failoverTimeoutMs} ms` : ''} (the recovery time scales with it; Redis defaults: ${kind === 'cluster' ? '15000' : '30000'} ms)`,
    `SIGKILL of the master under ${params.rateOpsPerSecond} ops/s open-loop FeatureCache get/set (${Math.round(params.writeFraction * 100)}% writes, ${params.keyCount} keys), cache client command timeout ${params.commandTimeoutMs} ms`,
  ].join('; ');
  const unrecovered = results.map((r, i) => (r.figures.writeRecoveryMs === null ? i + 1 : 0)).filter((i) => i > 0);
  return FAILOVER_CLAIMS.filter((c) => c.scenario === `${kind}-failover`).map((claim) => {
    const verdict = judgeClaim(
      claim,
      beyond.filter((v): v is number => v !== null),
      conditions,
    );
    // An interrupted run's last trial was cut short, not failed.
    if (unrecovered.length === 0 || context.signal.aborted) return verdict;
    // A trial whose writes never recovered is the strongest evidence against the claim: never dropped.
    return {
      ...verdict,
      outcome: 'does not hold',
      direction: 'worse',
      explanation: `writes to the killed master's keys had not recovered ${params.maxRecoveryMs} ms after the kill in trial(s) ${unrecovered.join(', ')}; ${verdict.explanation}`,
    };
  });
}

function failoverValues(failover: FailoverRun): Record<string, ScenarioValue> {
  const { kind, results } = failover;
  const medianOver = (pick: (r: TrialResult) => number | null): number | null => median(results.map(pick));
  const total = (pick: (r: TrialResult) => number): number => results.reduce((sum, r) => sum + pick(r), 0);
  return {
    'write-recovery-ms': figure(
      medianOver((r) => r.figures.writeRecoveryMs),
      'ms',
      'median over trials: kill to writes succeeding again (affected keys)',
    ),
    'write-recovery-beyond-detection-ms': figure(
      median(beyondDetection(failover)),
      'ms',
      `median over trials: write recovery minus ${detectionSetting(kind)} (the verdict figure)`,
    ),
    'read-recovery-ms': figure(
      medianOver((r) => r.figures.readRecoveryMs),
      'ms',
      'median over trials: kill to reads succeeding again (affected keys)',
    ),
    'promotion-ms': figure(
      medianOver((r) => r.promotionMs),
      'ms',
      'median over trials: kill to the deployment naming a new master (polled every 100 ms)',
    ),
    'failed-writes': figure(
      medianOver((r) => r.figures.failedWrites),
      'count',
      'median over trials: writes that failed after the kill',
    ),
    'failed-reads': figure(
      medianOver((r) => r.figures.failedReads),
      'count',
      'median over trials: reads that failed after the kill',
    ),
    'lost-acknowledged-writes': figure(
      total((r) => r.lostAckedWrites),
      'count',
      'all trials: canary keys whose last acknowledged write was gone after the failover',
    ),
    'canary-keys-checked': figure(
      total((r) => r.canariesChecked),
      'count',
      'all trials: canary keys on the killed master read back after the failover',
    ),
    'steady-p99-ms': figure(
      medianOver((r) => r.figures.steadyP99Ms),
      'ms',
      'median over trials: p99 of successful operations before the kill (from the actual send)',
    ),
    'during-failover-p99-ms': figure(
      medianOver((r) => r.figures.duringP99Ms),
      'ms',
      'median over trials: p99 of successful operations sent between the kill and the write recovery',
    ),
  };
}

function failoverNotes({ kind, params, results, notes }: FailoverRun): string[] {
  const unsteady = results.some((r) => r.figures.failedBeforeKill > 0)
    ? [
        `operations failed before the kill (${results.map((r) => r.figures.failedBeforeKill).join(', ')} per trial): the deployment or the machine was not steady`,
      ]
    : [];
  return [
    ...notes,
    ...unsteady,
    `each trial: ${params.preFaultMs} ms steady load, SIGKILL of the master, load until writes to its keys have succeeded for ${params.stableMs} ms with no failure and the deployment names a new master (at most ${params.maxRecoveryMs} ms), then ${params.postRecoveryMs} ms more; between trials the killed node is restarted and rejoins as a replica (not measured)`,
    'write recovery = kill to the completion of the first successful write to an affected key sent after the last failed one, computed from every operation after the run; the verdict figure subtracts the configured failure-detection time',
    `lost acknowledged writes: every ${CANARY_EVERY}th key is written only before the kill; after the recovery each such key on the killed master is read back, and a value older than its last acknowledged write (or gone) counts as lost (Redis replicates asynchronously: a write acknowledged just before the crash may never reach the replica)`,
    kind === 'cluster'
      ? "cluster: only keys in the killed master's slots are affected; with cluster-require-full-coverage yes (default) the other shards also answer CLUSTERDOWN once the master is marked failed, until its replica is promoted"
      : 'sentinel: every key is on the master; the client is sentinel-aware (ioredis sentinels + failoverDetector) and asks the sentinels for the new master on reconnect',
    'the document\'s deployment sketch says "Redis Cluster (3 nodes + 3 sentinels)": Redis Cluster does its own failover without sentinels, so both deployments are measured, each with its own claim',
    ...results.map(
      (r, i) =>
        `trial ${i + 1}: master ${r.victimPort} killed, ${r.promotedPort === null ? 'no new master named' : `${r.promotedPort} promoted after ${fmt(r.promotionMs)} ms`}; writes recovered after ${fmt(r.figures.writeRecoveryMs)} ms, reads after ${fmt(r.figures.readRecoveryMs)} ms; failed: ${r.figures.failedWrites} writes, ${r.figures.failedReads} reads (${r.figures.failedUnaffected} on other shards) of ${r.figures.opsAfterKill} ops after the kill; lost acknowledged writes ${r.lostAckedWrites} of ${r.canariesChecked} canary keys; affected keys ${Math.round(r.affectedKeyShare * 100)}%`,
    ),
  ];
}

/** Kill to write recovery of each trial, in ms from the recorders' start (the report shades them). */
function failoverEvents(context: ScenarioContext, { params, results }: FailoverRun): ScenarioEvent[] {
  return results
    .filter((r) => Number.isFinite(r.killEpochMs))
    .map((r, i) => ({
      label: `trial ${i + 1}: master ${r.victimPort} killed → writes recovered`,
      startMs: r.killEpochMs - context.recorders.startTimeMs,
      endMs: r.killEpochMs - context.recorders.startTimeMs + (r.figures.writeRecoveryMs ?? params.maxRecoveryMs),
    }));
}

function failoverSeries(results: readonly TrialResult[]): Record<string, ScenarioSeries> {
  return Object.fromEntries(
    results.flatMap((r, i) => [
      [
        `trial${i + 1}.failed-per-second`,
        { x: r.timeline.second, y: r.timeline.failed, xLabel: 's from the kill', yLabel: 'failed ops/s' },
      ],
      [
        `trial${i + 1}.ok-per-second`,
        { x: r.timeline.second, y: r.timeline.ok, xLabel: 's from the kill', yLabel: 'successful ops/s' },
      ],
    ]),
  );
}
