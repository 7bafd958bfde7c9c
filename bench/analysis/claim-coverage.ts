import type { ClaimVerdict, CoveredClaim, RegisteredClaim } from '../core/claim.ts';
import { notMeasuredVerdict } from './verdict.ts';

/** A registry claim with nothing measured: listed, never silently dropped (built in verdict.ts). */
export { notMeasuredVerdict };

/**
 * Every claim of the registry (`claims`, in document order: scenarios/claims.ts, passed in by the
 * commands), with the verdict a run produced for it or a "not measured" entry saying why (no
 * scenario yet, scenario not run, or the scenario failed).
 */
export function coverClaims(
  claims: readonly RegisteredClaim[],
  runScenarios: readonly { id: string; status: string; verdicts: readonly ClaimVerdict[] }[],
  knownScenarios: readonly string[],
  /** Why a scenario of the run was left out (e.g. the time budget ran out before it). */
  notRun: ReadonlyMap<string, string> = new Map(),
): CoveredClaim[] {
  return claims.map((claim) => {
    const scenario = runScenarios.find((s) => s.id === claim.scenario);
    const verdict = scenario?.verdicts.find((v) => v.claimId === claim.id);
    if (verdict !== undefined) return { scenario: claim.scenario, verdict };
    let reason: string;
    if (claim.scenario === null || !knownScenarios.includes(claim.scenario))
      reason = 'no scenario measures this claim yet';
    else if (scenario === undefined)
      reason = `scenario ${claim.scenario} was not run${notRun.has(claim.scenario) ? `: ${notRun.get(claim.scenario)}` : ''}`;
    else reason = `scenario ${claim.scenario} ended ${scenario.status} before judging it`;
    return { scenario: claim.scenario, verdict: notMeasuredVerdict(claim, reason) };
  });
}
