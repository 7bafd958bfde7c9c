import { DEFAULT_CONFIDENCE, MIN_TRIALS } from '../core/claim.ts';
import type { ClaimDefinition, ClaimRule, ClaimVerdict } from '../core/claim.ts';
import { medianInterval, type MedianInterval } from './median-interval.ts';

/** The range of measured values that satisfies a claim (yes/no rules: the side of 0 that holds). */
export function acceptedRange(claimed: number, rule: ClaimRule): { low: number; high: number } {
  switch (rule.kind) {
    case 'approx':
      return { low: claimed / rule.factor, high: claimed * rule.factor };
    case 'at-most':
    case 'never-observed':
      return { low: Number.NEGATIVE_INFINITY, high: claimed };
    case 'at-least':
    case 'observed':
      return { low: claimed, high: Number.POSITIVE_INFINITY };
    case 'within-points':
      return { low: claimed - rule.points, high: claimed + rule.points };
  }
}

/** A measured number with 3 to 4 significant digits, no unit. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 4;
  return value.toFixed(digits);
}

export function formatFigure(value: number, unit: string): string {
  const text = formatNumber(value);
  return unit === 'x' ? `${text}x` : unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/** A claimed figure as a rule states it: at most 3 significant digits, no trailing zeros, 10000 ms as 10 s. */
export function compactFigure(value: number, unit: string): string {
  if (unit === 'ms' && Math.abs(value) >= 1000) return compactFigure(value / 1000, 's');
  const text = String(Number(value.toPrecision(3)));
  return unit === 'x' || unit === '%' ? `${text}${unit}` : `${text} ${unit}`;
}

/** True for the rules that judge a yes/no statement on a count of occurrences. */
export function isYesNoRule(rule: ClaimRule): boolean {
  return rule.kind === 'observed' || rule.kind === 'never-observed';
}

/** The rule in words: "<= 5 ms", ">= 10x", "within 2x of 5 ms", "72% ± 10 points", "never observed". */
export function ruleText(claim: Pick<ClaimDefinition, 'claimed' | 'unit' | 'rule'>): string {
  const figure = compactFigure(claim.claimed, claim.unit);
  const { rule } = claim;
  switch (rule.kind) {
    case 'approx':
      return `within ${rule.factor}x of ${figure}`;
    case 'at-most':
      return `<= ${figure}`;
    case 'at-least':
      return `>= ${figure}`;
    case 'within-points':
      return `${figure} ± ${rule.points} ${claim.unit === '%' ? 'points' : claim.unit}`;
    case 'observed':
      return 'observed at least once';
    case 'never-observed':
      return 'never observed';
  }
}

/** The fields a verdict copies from its claim. */
export function claimFields(claim: ClaimDefinition) {
  return {
    claimId: claim.id,
    quote: claim.quote,
    claimed: claim.claimed,
    unit: claim.unit,
    rule: claim.rule,
    thresholdSource: claim.thresholdSource,
    thresholdReason: claim.thresholdSource === 'harness' ? claim.thresholdReason : null,
    ruleText: ruleText(claim),
    measuredAs: claim.measuredAs,
  };
}

/** A claim with nothing measured (no scenario, scenario not run or failed, no finite trial). */
export function notMeasuredVerdict(
  claim: ClaimDefinition,
  reason: string,
  conditions = '',
  failedTrials = 0,
): ClaimVerdict {
  return {
    ...claimFields(claim),
    outcome: 'not measured',
    measured: null,
    interval: null,
    coverage: null,
    trials: 0,
    failedTrials,
    figures: Array.from({ length: failedTrials }, () => null),
    direction: null,
    explanation: reason,
    conditions,
  };
}

/** "inconclusive (n < 6)": the reason a verdict with too few trials gives, with the counts. */
export function tooFewTrials(trials: number, minTrials: number): string {
  return `n < ${minTrials}: ${trials} trial(s), at least ${minTrials} needed for a verdict`;
}

type Decision = Pick<ClaimVerdict, 'outcome' | 'direction'> & { readonly why: string };

/** Which way a figure outside the accepted range errs, against the claim's better side. */
function directionOf(claim: ClaimDefinition, below: boolean): 'better' | 'worse' {
  return (below && claim.better === 'lower') || (!below && claim.better === 'higher') ? 'better' : 'worse';
}

/**
 * Numeric rules: holds when the whole confidence interval of the median lies in the accepted range,
 * does not hold when it lies wholly outside, inconclusive when it straddles a boundary.
 */
function decideOnInterval(claim: ClaimDefinition, ci: MedianInterval, minTrials: number): Decision {
  if (ci.trials < minTrials)
    return { outcome: 'inconclusive', direction: null, why: tooFewTrials(ci.trials, minTrials) };
  const range = acceptedRange(claim.claimed, claim.rule);
  if (ci.low >= range.low && ci.high <= range.high) return { outcome: 'holds', direction: null, why: '' };
  const below = ci.high < range.low;
  if (below || ci.low > range.high) {
    const direction = directionOf(claim, below);
    const ratio = below ? claim.claimed / ci.median : ci.median / claim.claimed;
    const ratioText =
      Number.isFinite(ratio) && claim.unit !== '%'
        ? `${ratio.toFixed(1)}x ${below ? 'below' : 'above'} the claim, `
        : '';
    return { outcome: 'does not hold', direction, why: `${ratioText}${direction} than the document says` };
  }
  return {
    outcome: 'inconclusive',
    direction: null,
    why: 'the interval straddles a boundary of the accepted range',
  };
}

/**
 * Yes/no rules: one trial with the figure > 0 shows the thing happens; showing that it does not
 * happen takes the minimum number of trials, all at 0.
 */
function decideYesNo(claim: ClaimDefinition, finite: readonly number[], minTrials: number): Decision {
  const seen = finite.filter((v) => v > 0);
  const wantSeen = claim.rule.kind === 'observed';
  const max = Math.max(...finite);
  const seenText = `observed (> 0) in ${seen.length} of ${finite.length} trial(s)${seen.length > 0 ? `, at most ${formatFigure(max, claim.unit)}` : ''}`;
  if (seen.length > 0) {
    return wantSeen
      ? { outcome: 'holds', direction: null, why: seenText }
      : { outcome: 'does not hold', direction: directionOf(claim, false), why: seenText };
  }
  if (finite.length < minTrials)
    return {
      outcome: 'inconclusive',
      direction: null,
      why: `${seenText}; ${tooFewTrials(finite.length, minTrials)} to say it never happens`,
    };
  return wantSeen
    ? { outcome: 'does not hold', direction: directionOf(claim, true), why: seenText }
    : { outcome: 'holds', direction: null, why: seenText };
}

function ruleNote(claim: ClaimDefinition): string {
  const source = claim.thresholdSource === 'harness' ? ' (threshold chosen by the harness)' : '';
  const claimed = isYesNoRule(claim.rule) ? '' : `claimed ${formatFigure(claim.claimed, claim.unit)}; `;
  return `${claimed}rule: ${ruleText(claim)}${source}`;
}

function failedNote(failedTrials: number): string {
  return failedTrials === 0 ? '' : `${failedTrials} failed trial(s) (no finite figure) not counted`;
}

/** How a claim is judged: the fewest finite trials for a verdict and the interval's confidence. */
export interface JudgeOptions {
  readonly minTrials?: number;
  readonly confidence?: number;
}

/**
 * Judges a claim from per-trial figures (one per independent trial). Non-finite figures (a failed
 * trial) are counted in `failedTrials` and named in the explanation, never used. Numeric rules compare
 * the confidence interval of the median with the accepted range; yes/no rules (observed,
 * never-observed) look for an occurrence in any trial. Fewer than `minTrials` (default 6) finite
 * trials give "inconclusive (n < 6)" unless a yes/no rule already saw the thing happen.
 */
export function judgeClaim(
  claim: ClaimDefinition,
  trialFigures: readonly number[],
  conditions: string,
  options: JudgeOptions = {},
): ClaimVerdict {
  const minTrials = options.minTrials ?? MIN_TRIALS;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const finite = trialFigures.filter((v) => Number.isFinite(v));
  const failedTrials = trialFigures.length - finite.length;
  if (finite.length === 0 && failedTrials === 0) return notMeasuredVerdict(claim, 'no trial was run', conditions, 0);
  if (finite.length === 0) {
    // Trials ran and none gave a figure (e.g. a window in which the client never failed has no
    // warning to judge): measured and too few, so "inconclusive (n < 6)" like one or five figures,
    // not "not measured", which is kept for claims whose trials did not run.
    return {
      ...notMeasuredVerdict(claim, '', conditions, failedTrials),
      outcome: 'inconclusive',
      explanation: [tooFewTrials(0, minTrials), failedNote(failedTrials), ruleNote(claim)]
        .filter((x) => x !== '')
        .join('; '),
    };
  }
  const ci = medianInterval(finite, confidence);
  const decision = isYesNoRule(claim.rule)
    ? decideYesNo(claim, finite, minTrials)
    : decideOnInterval(claim, ci, minTrials);
  const measured = `measured ${formatFigure(ci.median, claim.unit)} (median of ${ci.trials} trials, ${formatCoverage(ci.coverage)} interval ${formatFigure(ci.low, claim.unit)} .. ${formatFigure(ci.high, claim.unit)})`;
  return {
    ...claimFields(claim),
    outcome: decision.outcome,
    measured: ci.median,
    interval: { low: ci.low, high: ci.high, coverage: ci.coverage, trials: ci.trials },
    coverage: ci.coverage,
    trials: ci.trials,
    failedTrials,
    figures: trialFigures.map((v) => (Number.isFinite(v) ? v : null)),
    direction: decision.direction,
    explanation: [measured, decision.why, failedNote(failedTrials), ruleNote(claim)].filter((s) => s !== '').join('; '),
    conditions,
  };
}

/** A coverage as a percentage with the precision it has: 0.969 as "96.9%", 0.95 as "95%". */
export function formatCoverage(coverage: number): string {
  const pct = coverage * 100;
  return `${Number.isInteger(Math.round(pct * 10) / 10) ? Math.round(pct) : (Math.round(pct * 10) / 10).toFixed(1)}%`;
}
