import type { ClaimDefinition, ClaimVerdict } from '../core/claim.ts';
import { MIN_TRIALS } from '../core/claim.ts';
import { judgeClaim } from './verdict.ts';

/**
 * A scenario run more than once in one validation (sequential trials, `rpb validate --budget`) gives one
 * list of verdicts per run ("block"). Each verdict keeps its trial figures, so the claim is judged
 * again on every block's figures pooled, at the run's confidence. Blocks are whole runs of the
 * scenario on a fresh Redis: their trials are as independent as the trials within one block.
 */
export function poolBlockVerdicts(
  claims: ReadonlyMap<string, ClaimDefinition>,
  blocks: readonly (readonly ClaimVerdict[])[],
  confidence: number,
): ClaimVerdict[] {
  const ids = [...new Set(blocks.flatMap((block) => block.map((v) => v.claimId)))];
  return ids.map((id) => {
    const verdicts = blocks.flatMap((block) => block.filter((v) => v.claimId === id));
    const latest = verdicts[verdicts.length - 1]!;
    const claim = claims.get(id);
    const figures = verdicts.flatMap((v) => v.figures.map((f) => f ?? Number.NaN));
    // A verdict with no figures ("not measured", with its reason) is kept as the scenario wrote it.
    if (claim === undefined || figures.length === 0) return latest;
    const measuredIn = verdicts.filter((v) => v.figures.length > 0).length;
    const conditions =
      measuredIn > 1
        ? `${latest.conditions}; trials pooled from ${measuredIn} runs of the scenario (blocks)`
        : latest.conditions;
    return judgeClaim(claim, figures, conditions, { confidence });
  });
}

/**
 * Verdicts still open after `blocks` runs of their scenario: inconclusive, with a figure that one
 * more block could settle. A claim short of the minimum trials because trials gave no figure is
 * pursued only if another block at the yield so far (its figures per block) brings it there: the
 * document's client gives a log-warning figure only in the rare window where it fails (0-2 of 18
 * per block), and re-running chaos for it cost 84 s of a 10-minute budget without deciding it.
 */
export function undecidedClaims(verdicts: readonly ClaimVerdict[], blocks = 1): ClaimVerdict[] {
  return verdicts.filter(
    (v) =>
      v.outcome === 'inconclusive' &&
      (v.trials >= MIN_TRIALS || v.failedTrials === 0 || v.trials + v.trials / blocks >= MIN_TRIALS),
  );
}
