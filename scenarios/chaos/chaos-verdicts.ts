/**
 * The document's degradation rows, one verdict per claimed fault and client: the safe client's run
 * under the claim's own id, and the document's code as written (the 'naive' run) under
 * `<id>.document-client`, on the same figure and rule.
 */
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

/** Suffix of the claim judged on the document's code as written (the 'naive' run of the same fault). */
export const DOCUMENT_CLIENT_SUFFIX = '.document-client';

/** The clients each claim is judged on, and the claim id each verdict goes under. */
const JUDGED_CLIENTS: readonly { readonly variant: 'safe' | 'naive'; readonly suffix: string }[] = [
  { variant: 'safe', suffix: '' },
  { variant: 'naive', suffix: DOCUMENT_CLIENT_SUFFIX },
];

/** The claim ids a degradation claim is judged under: the safe client's, then the document's code's. */
export const judgedClaimIds = (claimId: string): string[] => JUDGED_CLIENTS.map(({ suffix }) => claimId + suffix);

const CLIENT_LABEL: Readonly<Record<'safe' | 'naive', string>> = {
  safe: 'safe client',
  naive:
    "the document's code as written: naive client, ioredis defaults (no command timeout, offline queue on) + the document's try/except",
};

type Figure = 'completed' | 'hit-drop';
type VariantResult = FaultResult['runs'][number];

/** Verdicts for the faults and clients that ran, and the per-bucket trials behind each. */
export function degradationVerdicts(
  context: ScenarioContext,
  params: ChaosParams,
  results: readonly FaultResult[],
  faultCmd: string | undefined,
): { verdicts: ClaimVerdict[]; trials: Record<string, number[]> } {
  const verdicts: ClaimVerdict[] = [];
  const trials: Record<string, number[]> = {};
  for (const [baseId, faultId, figure] of CLAIM_FAULTS) {
    const result = results.find((r) => r.spec.id === faultId);
    if (result === undefined) continue;
    for (const { variant, suffix } of JUDGED_CLIENTS) {
      const judged = result.runs.find((r) => r.run.variant === variant);
      // A client that did not run (an aborted run) leaves its claim "not measured".
      if (judged === undefined) continue;
      const claimId = baseId + suffix;
      const perBucket = trialsOf(judged, figure, params);
      trials[claimId] = perBucket;
      const conditions = verdictConditions(context, params, result, judged, figure, faultCmd);
      verdicts.push(judgeClaim(claimIn(CHAOS_CLAIMS, claimId), perBucket, conditions));
    }
  }
  return { verdicts, trials };
}

/**
 * The trials: per bucket from the inject, the completed share (to the end) or the hit-rate drop (to
 * the heal). A capped or failed request is not completed; it makes no lookup, so it is not in a hit rate.
 */
export function trialsOf({ run, figures }: VariantResult, figure: Figure, params: ChaosParams): number[] {
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
  judged: VariantResult,
  figure: Figure,
  faultCmd: string | undefined,
): string {
  const faultId = result.spec.id;
  const { run } = judged;
  const variant = run.variant === 'naive' ? 'naive' : 'safe';
  const extra =
    faultId === 'full-lru'
      ? `; SET failures in the run: ${JSON.stringify(run.health?.errorsByKind ?? {})}; compare full-noeviction and full-no-ttl, where new keys are not cached`
      : faultId === 'blackhole'
        ? `; warnings logged by the service: ${run.warnings}`
        : '';
  return [
    // The system under test reaches Redis through the harness's fault proxy: the network says so.
    environmentConditions({ ...context, network: `${context.network} through the harness fault proxy` }),
    `fault "${result.spec.title}"${faultCmd === undefined ? '' : ` via --fault-cmd`}${faultId === 'full-lru' ? ` (maxmemory set to leave room for ${Math.round(params.fullFraction * 100)}% of the cached data, fullFraction)` : ''}, open loop ${params.rateOpsPerSecond} req/s, trials = ${params.bucketMs} ms buckets from the inject ${figure === 'completed' ? 'to the end' : 'to the heal'} (${CLIENT_LABEL[variant]})`,
    clientFigures(result, judged, params) + extra,
  ].join('; ');
}

/** The judged client's failures first, then the other client's for comparison. */
function clientFigures(result: FaultResult, judged: VariantResult, params: ChaosParams): string {
  const safe = result.runs.find((r) => r.run.variant === 'safe');
  const naive = result.runs.find((r) => r.run.variant === 'naive');
  const safeText =
    safe === undefined
      ? ''
      : `safe client: ${safe.figures.failed} failed, ${safe.figures.capped} capped of ${safe.figures.requests}, max ${fmt(safe.figures.windowMaxMs)} ms in the window`;
  const naiveText =
    naive === undefined
      ? ''
      : `naive client (ioredis defaults): ${naive.figures.failed} failed and ${naive.figures.capped} capped at ${params.requestCapMs} ms of ${naive.figures.requests}, max ${fmt(naive.figures.windowMaxMs)} ms, wrong answers ${naive.figures.wrong}`;
  const ordered = judged.run.variant === 'naive' ? [naiveText, safeText] : [safeText, naiveText];
  return ordered.filter((text) => text !== '').join('; ');
}
