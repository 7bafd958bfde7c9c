import type { ClaimVerdict, RegisteredClaim } from '../../bench/core/claim.ts';
import { judgeClaim, notMeasuredVerdict } from '../../bench/analysis/verdict.ts';
import { claimIn } from '../../bench/run/scenario-kit.ts';
import { PIPELINING_CLAIMS } from './claims.ts';
import type { ExampleFigures } from './pipelining-figures.ts';

/** The document's example: 5 symbols, "5 × 1ms = 5ms" one by one, "1ms total" pipelined. */
export const EXAMPLE_BATCH = 5;
/** The document's premise, "1ms" per round trip: the added round trip its three claims are judged at. */
export const EXAMPLE_RTT_MS = 1;

/** Each claim of the example and the figure of a round that it judges. */
const EXAMPLE_CLAIMS: readonly { readonly id: string; readonly figure: keyof ExampleFigures }[] = [
  { id: 'optimization.pipeline-5-gets', figure: 'speedup' },
  { id: 'optimization.pipeline-sequential-5ms', figure: 'sequentialMs' },
  { id: 'optimization.pipeline-1ms', figure: 'pipelineMs' },
];

/** The ids of the example's claims, in the document's order (the scenario's declaration lists them). */
export const EXAMPLE_CLAIM_IDS: readonly string[] = EXAMPLE_CLAIMS.map((c) => c.id);

export interface ExampleVerdicts {
  readonly verdicts: ClaimVerdict[];
  /** Per claim id, its figure in every round (trial i is round i). */
  readonly trials: Record<string, number[]>;
}

/**
 * Judges the example's three claims, each on its own figure per round (the rounds are the
 * trials). `rounds` is null when the example's cell (5 GETs at +1 ms) was not part of the run:
 * every claim is then "not measured" with `missing` as the reason.
 */
export function judgeExample(
  rounds: readonly ExampleFigures[] | null,
  conditions: string,
  missing: string,
): ExampleVerdicts {
  const verdicts: ClaimVerdict[] = [];
  const trials: Record<string, number[]> = {};
  for (const { id, figure } of EXAMPLE_CLAIMS) {
    const claim: RegisteredClaim = claimIn(PIPELINING_CLAIMS, id);
    if (rounds === null) {
      verdicts.push(notMeasuredVerdict(claim, missing, conditions));
      trials[id] = [];
      continue;
    }
    trials[id] = rounds.map((round) => round[figure]);
    verdicts.push(judgeClaim(claim, trials[id], conditions));
  }
  return { verdicts, trials };
}
