import { describe, expect, it } from 'vitest';
import { poolBlockVerdicts } from '../../bench/analysis/block-verdicts.ts';
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { FAILOVER_CLAIMS } from './claims.ts';
import { trialFigure } from './failover-figures.ts';
import type { FailoverTrialFigures } from './failover-figures.ts';
import { failoverOutcome } from './failover-outcome.ts';
import type { FailoverRun } from './failover-outcome.ts';
import { DEFAULT_FAILOVER_PARAMS, gaveUpAfterMs } from './failover-params.ts';
import { FAST_TIMINGS, REDIS_DEFAULT_TIMINGS } from './failover-settings.ts';
import type { FailoverTimings } from './failover-settings.ts';
import type { TrialResult } from './failover-trial.ts';

const PARAMS = DEFAULT_FAILOVER_PARAMS.cluster;
const FAST = FAST_TIMINGS.cluster;
const DEFAULTS = REDIS_DEFAULT_TIMINGS.cluster;

function context(thorough: boolean): ScenarioContext {
  return {
    params: { thorough, confidence: 0.95 },
    network: 'loopback (127.0.0.1)',
    target: { kind: 'managed' },
    redisVersion: '7.0.15',
    recorders: { startTimeMs: 0 },
  } as unknown as ScenarioContext;
}

/** A trial whose writes recovered `recoveryMs` after the kill, or never (null: censored at the harness's wait). */
function trial(index: number, timings: FailoverTimings, recoveryMs: number | null): TrialResult {
  const figures: FailoverTrialFigures = {
    writeRecoveryMs: recoveryMs,
    readRecoveryMs: recoveryMs,
    failedWrites: 10,
    failedReads: 10,
    failedUnaffected: 0,
    opsAfterKill: 100,
    failedBeforeKill: 0,
    steadyP99Ms: 1,
    duringP99Ms: 2,
    duringMaxMs: 3,
  };
  const spec = { index, lane: index % 3, laneTrial: 0, timings, gaveUpAfterMs: gaveUpAfterMs(timings, PARAMS) };
  return {
    spec,
    figure: trialFigure(recoveryMs, spec.gaveUpAfterMs, false),
    figures,
    victim: {} as ManagedRedis,
    victimPort: 7000 + index,
    promotedPort: 8000 + index,
    promotionMs: recoveryMs,
    lostAckedWrites: 0,
    canariesChecked: 5,
    affectedKeyShare: 1 / 3,
    load: { warnings: [] } as unknown as LoadResult,
    killEpochMs: 1_000 * index,
    timeline: { second: [], ok: [], failed: [] },
  };
}

function run(modes: FailoverTimings[], results: TrialResult[], params = PARAMS): FailoverRun {
  return { kind: 'cluster', description: 'managed Redis Cluster', params, modes, results };
}

const verdictOf = (verdicts: readonly ClaimVerdict[], id: string): ClaimVerdict => {
  const verdict = verdicts.find((v) => v.claimId === id);
  if (verdict === undefined) throw new Error(`no verdict for ${id}`);
  return verdict;
};

const RECOVERIES = [3_900, 4_100, 3_700, 4_400, 3_800, 4_000];

describe('failoverOutcome', () => {
  it('judges the fast claim on the end-to-end figures, as the runner judges them again from the registry', () => {
    const results = RECOVERIES.map((ms, i) => trial(i, FAST, ms));
    const { verdicts, trials, values } = failoverOutcome(context(false), run([FAST], results));
    const fast = verdictOf(verdicts, 'production.auto-failover-cluster');
    // Detection is not subtracted: the figures are the whole outage.
    expect(fast.figures).toEqual(RECOVERIES);
    expect(trials['write-recovery-ms']).toEqual(RECOVERIES);
    expect(values['write-recovery-ms'].value).toBe(3_950);
    const claims = new Map(FAILOVER_CLAIMS.map((c) => [c.id, c]));
    const [rejudged] = poolBlockVerdicts(claims, [[fast]], 0.95);
    expect(rejudged.outcome).toBe(fast.outcome);
    expect(rejudged.measured).toBe(fast.measured);
  });

  it('counts a trial that never recovered with the time the harness waited, beyond the budget', () => {
    const results = [...RECOVERIES.slice(0, 5).map((ms, i) => trial(i, FAST, ms)), trial(5, FAST, null)];
    const { verdicts, values } = failoverOutcome(context(false), run([FAST], results));
    const fast = verdictOf(verdicts, 'production.auto-failover-cluster');
    const waited = FAST.detectionMs + 10_000 + PARAMS.waitBeyondBudgetMs;
    expect(fast.figures).toEqual([...RECOVERIES.slice(0, 5), waited]);
    expect(waited).toBeGreaterThan(fast.claimed);
    expect(fast.failedTrials).toBe(0);
    expect(fast.conditions).toMatch(/1 trial\(s\) censored/);
    expect(values['censored-trials'].value).toBe(1);
  });

  it('lets censored trials decide against the claim when none recovered', () => {
    const results = Array.from({ length: 6 }, (_, i) => trial(i, FAST, null));
    const fast = verdictOf(
      failoverOutcome(context(false), run([FAST], results)).verdicts,
      'production.auto-failover-cluster',
    );
    expect(fast.outcome).toBe('does not hold');
    expect(fast.direction).toBe('worse');
  });

  it("leaves Redis's defaults not measured without --thorough, and judges them on their own trials with it", () => {
    const fastOnly = failoverOutcome(
      context(false),
      run(
        [FAST],
        RECOVERIES.map((ms, i) => trial(i, FAST, ms)),
      ),
    );
    const notRun = verdictOf(fastOnly.verdicts, 'production.auto-failover-cluster.redis-defaults');
    expect(notRun.outcome).toBe('not measured');
    expect(notRun.explanation).toMatch(/^needs --thorough/);

    const slow = RECOVERIES.map((ms) => ms + 13_000);
    const results = [
      ...RECOVERIES.map((ms, i) => trial(i, FAST, ms)),
      ...slow.map((ms, i) => trial(6 + i, DEFAULTS, ms)),
    ];
    const thorough = failoverOutcome(context(true), run([FAST, DEFAULTS], results));
    const defaults = verdictOf(thorough.verdicts, 'production.auto-failover-cluster.redis-defaults');
    expect(defaults.claimed).toBe(25_000);
    expect(defaults.figures).toEqual(slow);
    expect(defaults.conditions).toMatch(/cluster-node-timeout 15000 ms \(Redis's default/);
    expect(thorough.values['redis-defaults.write-recovery-ms'].value).toBe(16_950);
    expect(verdictOf(thorough.verdicts, 'production.auto-failover-cluster').figures).toEqual(RECOVERIES);
  });

  it('leaves the fast claim not measured when --set changed the detection setting its budget is for', () => {
    const changed: FailoverTimings = { ...FAST, detectionMs: 1_000 };
    const results = RECOVERIES.map((ms, i) => trial(i, changed, ms));
    const { verdicts, values } = failoverOutcome(
      context(false),
      run([changed], results, { ...PARAMS, detectionMs: 1_000 }),
    );
    const fast = verdictOf(verdicts, 'production.auto-failover-cluster');
    expect(fast.outcome).toBe('not measured');
    expect(fast.explanation).toMatch(/cluster-node-timeout 1000 ms .* cluster-node-timeout 2000 ms/);
    expect(values['write-recovery-ms'].value).toBe(3_950);
  });
});
