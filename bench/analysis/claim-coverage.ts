import type { ClaimVerdict } from '../core/claim.ts';
import { CLAIMS } from './claim-registry.ts';
import type { RegisteredClaim } from './claim-registry.ts';

/** A registry claim with nothing measured: listed, never silently dropped. */
export function notMeasuredVerdict(claim: RegisteredClaim, reason: string): ClaimVerdict {
  return {
    claimId: claim.id,
    quote: claim.quote,
    outcome: 'not measured',
    claimed: claim.claimed,
    unit: claim.unit,
    rule: claim.rule,
    measuredAs: claim.measuredAs,
    measured: null,
    interval: null,
    direction: null,
    explanation: reason,
    conditions: '',
  };
}

export interface CoveredClaim {
  readonly scenario: string | null;
  readonly verdict: ClaimVerdict;
}

/**
 * Every claim of the registry, in registry order, with the verdict a run produced for it or a
 * "not measured" entry saying why (no scenario yet, scenario not run, or the scenario failed).
 */
export function coverClaims(
  runScenarios: readonly { id: string; status: string; verdicts: readonly ClaimVerdict[] }[],
  knownScenarios: readonly string[],
): CoveredClaim[] {
  return CLAIMS.map((claim) => {
    const scenario = runScenarios.find((s) => s.id === claim.scenario);
    const verdict = scenario?.verdicts.find((v) => v.claimId === claim.id);
    if (verdict !== undefined) return { scenario: claim.scenario, verdict };
    let reason: string;
    if (claim.scenario === null || !knownScenarios.includes(claim.scenario))
      reason = 'no scenario measures this claim yet';
    else if (scenario === undefined) reason = `scenario ${claim.scenario} was not run`;
    else reason = `scenario ${claim.scenario} ended ${scenario.status} before judging it`;
    return { scenario: claim.scenario, verdict: notMeasuredVerdict(claim, reason) };
  });
}
