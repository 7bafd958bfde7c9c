/** The document's degradation rows judged on the safe client's runs: one verdict per claimed fault. */
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { claimIn, environmentConditions } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { CHAOS_CLAIMS } from './claims.ts';
import { completedSharePerBucket, fmt, hitRateDropPerBucket } from './chaos-figures.ts';
import type { FaultResult } from './chaos-figures.ts';
import type { ChaosFaultId } from './chaos-faults.ts';
import type { ChaosParams } from './chaos-types.ts';

/** Claim, the fault it is judged under, and the per-bucket figure it is judged on. */
export const CLAIM_FAULTS: readonly [string, ChaosFaultId, 'completed' | 'hit-drop'][] = [
  ['degradation.redis-not-installed', 'absent', 'completed'],
  ['degradation.connection-fails', 'blackhole', 'completed'],
  ['degradation.redis-crash', 'kill', 'completed'],
  ['degradation.cache-full-under-load', 'full-lru', 'hit-drop'],
];

type VariantResult = FaultResult['runs'][number];

/** Verdicts for the faults that ran, and the per-bucket trials behind each. */
export function degradationVerdicts(
  context: ScenarioContext,
  params: ChaosParams,
  results: readonly FaultResult[],
  faultCmd: string | undefined,
): { verdicts: ClaimVerdict[]; trials: Record<string, number[]> } {
  const verdicts: ClaimVerdict[] = [];
  const trials: Record<string, number[]> = {};
  for (const [claimId, faultId, figure] of CLAIM_FAULTS) {
    const result = results.find((r) => r.spec.id === faultId);
    const safe = result?.runs.find((r) => r.run.variant === 'safe');
    if (result === undefined || safe === undefined) continue;
    const perBucket = trialsOf(safe, figure, params);
    trials[claimId] = perBucket;
    const conditions = verdictConditions(context, params, result, safe, figure, faultCmd);
    verdicts.push(judgeClaim(claimIn(CHAOS_CLAIMS, claimId), perBucket, conditions));
  }
  return { verdicts, trials };
}

/** The trials: per bucket from the inject, the completed share (to the end) or the hit-rate drop (to the heal). */
function trialsOf({ run, figures }: VariantResult, figure: 'completed' | 'hit-drop', params: ChaosParams): number[] {
  const from = Math.max(0, run.injectMs ?? 0);
  const to = run.healedMs ?? from;
  const end = Math.max(...run.records.map((r) => r.intendedMs), to);
  return figure === 'completed'
    ? completedSharePerBucket(run.records, from, end, params.bucketMs)
    : hitRateDropPerBucket(run.records, figures.preHitRate ?? 1, from, to + params.steadyWindowMs, params.bucketMs);
}

function verdictConditions(
  context: ScenarioContext,
  params: ChaosParams,
  result: FaultResult,
  { run, figures }: VariantResult,
  figure: 'completed' | 'hit-drop',
  faultCmd: string | undefined,
): string {
  const faultId = result.spec.id;
  const naive = result.runs.find((r) => r.run.variant === 'naive');
  const naiveText =
    naive === undefined
      ? ''
      : `; naive client (ioredis defaults): ${naive.figures.failed} failed and ${naive.figures.capped} capped at ${params.requestCapMs} ms of ${naive.figures.requests}, max ${fmt(naive.figures.windowMaxMs)} ms, wrong answers ${naive.figures.wrong}`;
  const extra =
    faultId === 'full-lru'
      ? `; SET failures in the run: ${JSON.stringify(run.health?.errorsByKind ?? {})}; compare full-noeviction and full-no-ttl, where new keys are not cached`
      : faultId === 'blackhole'
        ? `; warnings logged by the service: ${run.warnings}`
        : '';
  return [
    // The system under test reaches Redis through the harness's fault proxy: the network says so.
    environmentConditions({ ...context, network: `${context.network} through the harness fault proxy` }),
    `fault "${result.spec.title}"${faultCmd === undefined ? '' : ` via --fault-cmd`}${faultId === 'full-lru' ? ` (maxmemory set to leave room for ${Math.round(params.fullFraction * 100)}% of the cached data, fullFraction)` : ''}, open loop ${params.rateOpsPerSecond} req/s, trials = ${params.bucketMs} ms buckets from the inject ${figure === 'completed' ? 'to the end' : 'to the heal'} (safe client)`,
    `safe client: ${figures.failed} failed, ${figures.capped} capped of ${figures.requests}, max ${fmt(figures.windowMaxMs)} ms in the window${naiveText}${extra}`,
  ].join('; ');
}
