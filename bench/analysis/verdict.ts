import type { ClaimDefinition, ClaimRule, ClaimVerdict } from '../core/claim.ts';
import { medianInterval } from './median-interval.ts';

/** The range of measured values that satisfies a claim. */
export function acceptedRange(claimed: number, rule: ClaimRule): { low: number; high: number } {
  switch (rule.kind) {
    case 'approx':
      return { low: claimed / rule.factor, high: claimed * rule.factor };
    case 'at-most':
      return { low: Number.NEGATIVE_INFINITY, high: claimed };
    case 'at-least':
      return { low: claimed, high: Number.POSITIVE_INFINITY };
    case 'within-points':
      return { low: claimed - rule.points, high: claimed + rule.points };
  }
}

export function describeRule(rule: ClaimRule, unit: string): string {
  switch (rule.kind) {
    case 'approx':
      return `within a factor ${rule.factor} of the claimed figure`;
    case 'at-most':
      return 'at most the claimed figure';
    case 'at-least':
      return 'at least the claimed figure';
    case 'within-points':
      return `within ±${rule.points} ${unit === '%' ? 'percentage points' : unit} of the claimed figure`;
  }
}

export function formatFigure(value: number, unit: string): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 4;
  const text = value.toFixed(digits);
  return unit === 'x' ? `${text}x` : unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/**
 * Judges a claim from per-trial figures (one per round). Holds when the whole confidence
 * interval of the median lies in the accepted range, does not hold when it lies wholly outside,
 * and is inconclusive when it straddles a boundary or there are too few trials.
 */
export function judgeClaim(
  claim: ClaimDefinition,
  trialFigures: readonly number[],
  conditions: string,
  minTrials = 3,
): ClaimVerdict {
  const base = {
    claimId: claim.id,
    quote: claim.quote,
    claimed: claim.claimed,
    unit: claim.unit,
    rule: claim.rule,
    measuredAs: claim.measuredAs,
    conditions,
  };
  const finite = trialFigures.filter((v) => Number.isFinite(v));
  if (finite.length === 0) {
    return {
      ...base,
      outcome: 'not measured',
      measured: null,
      interval: null,
      direction: null,
      explanation: 'no finite measurement was produced',
    };
  }
  const ci = medianInterval(finite);
  const interval = { low: ci.low, high: ci.high, coverage: ci.coverage, trials: ci.trials };
  const range = acceptedRange(claim.claimed, claim.rule);
  const measuredText = `measured ${formatFigure(ci.median, claim.unit)} (median of ${ci.trials} trials, ${Math.round(ci.coverage * 100)}% interval ${formatFigure(ci.low, claim.unit)} .. ${formatFigure(ci.high, claim.unit)})`;
  const ruleText = `claimed ${formatFigure(claim.claimed, claim.unit)}; rule: ${describeRule(claim.rule, claim.unit)}`;
  if (finite.length < minTrials) {
    return {
      ...base,
      outcome: 'inconclusive',
      measured: ci.median,
      interval,
      direction: null,
      explanation: `${measuredText}; only ${finite.length} trial(s), ${minTrials} needed; ${ruleText}`,
    };
  }
  if (ci.low >= range.low && ci.high <= range.high) {
    return {
      ...base,
      outcome: 'holds',
      measured: ci.median,
      interval,
      direction: null,
      explanation: `${measuredText}; ${ruleText}`,
    };
  }
  const below = ci.high < range.low;
  const above = ci.low > range.high;
  if (below || above) {
    const direction = (below && claim.better === 'lower') || (above && claim.better === 'higher') ? 'better' : 'worse';
    const ratio = below ? claim.claimed / ci.median : ci.median / claim.claimed;
    const ratioText =
      Number.isFinite(ratio) && claim.unit !== '%'
        ? ` (${ratio.toFixed(1)}x ${below ? 'below' : 'above'} the claim)`
        : '';
    return {
      ...base,
      outcome: 'does not hold',
      measured: ci.median,
      interval,
      direction,
      explanation: `${measuredText}${ratioText}, ${direction} than the document says; ${ruleText}`,
    };
  }
  return {
    ...base,
    outcome: 'inconclusive',
    measured: ci.median,
    interval,
    direction: null,
    explanation: `${measuredText}; the interval straddles a boundary of the accepted range; ${ruleText}`,
  };
}
