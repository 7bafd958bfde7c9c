import { SeededRandom } from '../../src/market/seeded-random.ts';
import { ConfigError } from '../errors.ts';
import { bootstrapClusteredMedianRatio } from './bootstrap-median-ratio.ts';

/** regression fails a gate; the other three are reported only. */
export type ComparisonVerdict = 'regression' | 'improvement' | 'no change' | 'inconclusive';

/**
 * How an interval and its ratio become a regression (the mirror image for an improvement):
 * - `interval-beyond-band`: the whole interval lies above 1 + allowed (the change is surely larger
 *   than allowed);
 * - `significant-beyond-band`: the whole interval lies above 1 (the change is real) and the ratio
 *   measured lies above 1 + allowed (it is larger than allowed): criterion.rs's rule of a significant
 *   change outside its noise threshold;
 * - `best-run-beyond-band`: each side's best run (the lowest of its runs' medians) lies more than
 *   allowed above the other's, and the whole interval lies above 1 (the change is real). Noise on a
 *   shared machine only ever adds time, and it strikes whole runs: the fastest of a side's runs is
 *   its most stable figure (Chen & Revels 2016, "Robust benchmarking in noisy environments", the
 *   estimator of Julia's BenchmarkTools), where one disturbed run of three drags the pooled median.
 *   It needs several runs on both sides: with one run on a side there is no best of several, and
 *   it judges as interval-beyond-band, the strictest (one run per side is not a calibrated setting).
 */
export const DECISION_RULES = ['interval-beyond-band', 'significant-beyond-band', 'best-run-beyond-band'] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];

export interface CompareOptions {
  /** Allowed regression in percent: 10 means a ratio up to 1.10 is acceptable. */
  readonly maxRegressionPct: number;
  readonly rule: DecisionRule;
  /** Fewer trials than this on either side: inconclusive. */
  readonly minTrials: number;
  readonly resamples: number;
  readonly confidence: number;
  /** Each comparison draws from its own stream under this seed, so results do not depend on order. */
  readonly seed: number;
  /**
   * Whether runs given in the same order on both sides are pairs measured next to each other (the
   * i-th candidate run next to the i-th baseline run: a CI job's base-1 pr-1 base-2 pr-2 ..., or
   * compare's A B B A): the interval then resamples pairs, not each side on its own
   * (bootstrap-median-ratio.ts). Used only when both sides have the same number of runs, two or more.
   * Off by default: its calibration (validation 4, docs/ci-gates.md) caught more tail regressions
   * (p99 alone 95/100 against 92/100) but let 2 of 200 A/A decisions fail against 1 unpaired.
   */
  readonly paired: boolean;
}

export const COMPARE_DEFAULTS: CompareOptions = {
  maxRegressionPct: 10,
  rule: 'best-run-beyond-band',
  minTrials: 3,
  resamples: 2000,
  confidence: 0.95,
  seed: 1,
  paired: false,
};

/**
 * When a ratio is a regression under `rule` with `pct`% allowed, in words, e.g. "the whole interval
 * lies above 1.10": the gate's summary and the calibration print it.
 */
export function regressionRuleText(rule: DecisionRule, pct: number): string {
  const high = (1 + pct / 100).toFixed(2);
  if (rule === 'interval-beyond-band') return `the whole interval lies above ${high}`;
  if (rule === 'significant-beyond-band') return `the interval lies above 1.00 and the ratio above ${high}`;
  return `the interval lies above 1.00 and the best runs' ratio above ${high}`;
}

/** The same rule both ways (regression or improvement), as `rpb compare` prints it. */
export function decisionRuleText(rule: DecisionRule, pct: number): string {
  const low = (1 - pct / 100).toFixed(2);
  const improvement =
    rule === 'interval-beyond-band'
      ? `below ${low}`
      : `below 1.00 and ${rule === 'best-run-beyond-band' ? "the best runs' ratio " : ''}under ${low}`;
  return `${regressionRuleText(rule, pct)} (or ${improvement})`;
}

/** `--rule TEXT`: one of DECISION_RULES; absent: the default. A bad name is a configuration error. */
export function parseDecisionRule(text: string | undefined): DecisionRule {
  if (text === undefined) return COMPARE_DEFAULTS.rule;
  const rule = DECISION_RULES.find((r) => r === text);
  if (rule !== undefined) return rule;
  throw new ConfigError(`--rule ${JSON.stringify(text)}: not a decision rule`, {
    hint: `use one of ${DECISION_RULES.join(', ')} (docs/ci-gates.md#calibration)`,
  });
}

/** Validates every option at once; a bad one is a configuration error. */
export function resolveCompareOptions(options: Partial<CompareOptions> = {}): CompareOptions {
  const resolved = { ...COMPARE_DEFAULTS, ...options };
  const problems: string[] = [];
  const pct = resolved.maxRegressionPct;
  if (!Number.isFinite(pct) || pct < 0 || pct >= 100)
    problems.push(`max regression must be a percentage in [0, 100), got ${pct}`);
  if (!DECISION_RULES.includes(resolved.rule))
    problems.push(`decision rule must be one of ${DECISION_RULES.join(', ')}, got ${String(resolved.rule)}`);
  if (!Number.isSafeInteger(resolved.minTrials) || resolved.minTrials < 2)
    problems.push(`minimum trials must be an integer >= 2, got ${resolved.minTrials}`);
  if (!Number.isSafeInteger(resolved.resamples) || resolved.resamples < 100)
    problems.push(`bootstrap resamples must be an integer >= 100, got ${resolved.resamples}`);
  if (!(resolved.confidence > 0 && resolved.confidence < 1))
    problems.push(`confidence must lie in (0, 1), got ${resolved.confidence}`);
  if (!Number.isSafeInteger(resolved.seed)) problems.push(`seed must be a safe integer, got ${resolved.seed}`);
  if (typeof resolved.paired !== 'boolean')
    problems.push(`paired must be true or false, got ${String(resolved.paired)}`);
  if (problems.length > 0)
    throw new ConfigError('invalid baseline comparison options', { problems, hint: 'e.g. --max-regression 10%' });
  return resolved;
}

export interface TrialComparison {
  readonly verdict: ComparisonVerdict;
  /** Why, with the figures. */
  readonly reason: string;
  readonly candidateTrials: number;
  readonly baselineTrials: number;
  readonly candidateMedian: number | null;
  readonly baselineMedian: number | null;
  /** candidate / baseline; null when not computed. */
  readonly ratio: number | null;
  /** Lowest run median of the candidate over the baseline's (best-run-beyond-band); null with one run on a side. */
  readonly bestRunRatio: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly confidence: number;
  /** The band of ratios that count as no change: [1 - allowed, 1 + allowed]. */
  readonly band: { readonly low: number; readonly high: number };
}

/**
 * The two table cells of a comparison's ratios: `ratio`, and, where several runs per side were
 * compared, the best runs' ratio the rule `best-run-beyond-band` weighs (`—` with one run a side).
 */
export function ratioCells(c: Pick<TrialComparison, 'ratio' | 'bestRunRatio'>, none: string): [string, string] {
  return [
    c.ratio === null ? none : c.ratio.toFixed(3),
    c.ratio === null || c.bestRunRatio === null ? none : c.bestRunRatio.toFixed(3),
  ];
}

/**
 * The runs of one side worth comparing: those `usable`, and with `paired` only those whose partner
 * (the other side's run at the same index) is usable too, so paired runs stay aligned.
 */
export function alignedRuns<T, U extends T>(
  mine: readonly T[],
  other: readonly T[],
  usable: (run: T) => run is U,
  paired: boolean,
): U[] {
  return mine.filter((run, i): run is U => usable(run) && (!paired || usable(other[i])));
}

function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Classified {
  readonly verdict: ComparisonVerdict;
  readonly why: string;
}

const b2 = (x: number): string => x.toFixed(2);

function classifyInterval(low: number, high: number, band: TrialComparison['band']): Classified {
  if (low > band.high) return { verdict: 'regression', why: `the whole interval lies above ${b2(band.high)}` };
  if (high < band.low) return { verdict: 'improvement', why: `the whole interval lies below ${b2(band.low)}` };
  if (low >= band.low && high <= band.high)
    return { verdict: 'no change', why: `the whole interval lies within [${b2(band.low)}, ${b2(band.high)}]` };
  const crossed = [
    low < band.low && high >= band.low ? b2(band.low) : null,
    high > band.high && low <= band.high ? b2(band.high) : null,
  ].filter((x) => x !== null);
  return {
    verdict: 'inconclusive',
    why: `the interval straddles ${crossed.join(' and ')}: more trials or less noise needed to decide`,
  };
}

/**
 * significant-beyond-band and best-run-beyond-band: the interval must exclude 1 and `figure` (the
 * ratio of pooled medians, or of the best runs, `named` so in the reason) must lie beyond the band.
 */
function classifySignificant(
  figure: number,
  named: string,
  low: number,
  high: number,
  band: TrialComparison['band'],
): Classified {
  if (low > 1 && figure > band.high)
    return { verdict: 'regression', why: `the interval lies above 1.00 and ${named} above ${b2(band.high)}` };
  if (high < 1 && figure < band.low)
    return { verdict: 'improvement', why: `the interval lies below 1.00 and ${named} below ${b2(band.low)}` };
  if (low >= band.low && high <= band.high)
    return { verdict: 'no change', why: `the whole interval lies within [${b2(band.low)}, ${b2(band.high)}]` };
  if (low > 1 || high < 1) {
    // The best runs may disagree with the interval's direction (interval above 1, best runs' ratio 0.85).
    const where =
      figure >= band.low && figure <= band.high
        ? 'within the allowed'
        : 'beyond the band on the other side of 1.00 from the interval, outside';
    return {
      verdict: 'inconclusive',
      why: `a real change (the interval excludes 1.00), ${named} ${where} [${b2(band.low)}, ${b2(band.high)}]`,
    };
  }
  return {
    verdict: 'inconclusive',
    why: `no significant change (the interval holds 1.00) but it reaches beyond [${b2(band.low)}, ${b2(band.high)}]: more trials or less noise needed to decide`,
  };
}

function classify(
  rule: DecisionRule,
  interval: { ratio: number; low: number; high: number },
  bestRatio: number | null,
  band: TrialComparison['band'],
): Classified {
  if (rule === 'interval-beyond-band') return classifyInterval(interval.low, interval.high, band);
  if (rule === 'significant-beyond-band')
    return classifySignificant(interval.ratio, 'the ratio', interval.low, interval.high, band);
  if (bestRatio === null) {
    const { verdict, why } = classifyInterval(interval.low, interval.high, band);
    return { verdict, why: `${why} (one run on a side: judged by the whole interval)` };
  }
  const named = `the best runs' ratio ${bestRatio.toFixed(3)}`;
  return classifySignificant(bestRatio, named, interval.low, interval.high, band);
}

/**
 * Compares two sets of per-trial figures (one figure per trial, e.g. each round's p99): the ratio
 * of medians candidate/baseline with a bootstrap interval, classified against the allowed regression.
 * `streamKey` names the comparison, so that each one has its own reproducible random stream.
 */
export function compareTrials(
  candidate: readonly number[],
  baseline: readonly number[],
  options: Partial<CompareOptions> = {},
  streamKey = '',
): TrialComparison {
  return compareTrialRuns([candidate], [baseline], options, streamKey);
}

/**
 * compareTrials with each side given as runs of trials (one array of per-trial figures per run):
 * with several runs on a side, the interval resamples whole runs (bootstrap-median-ratio.ts).
 */
export function compareTrialRuns(
  candidateRuns: readonly (readonly number[])[],
  baselineRuns: readonly (readonly number[])[],
  options: Partial<CompareOptions> = {},
  streamKey = '',
): TrialComparison {
  const o = resolveCompareOptions(options);
  const allowed = o.maxRegressionPct / 100;
  const band = { low: 1 - allowed, high: 1 + allowed };
  const paired = o.paired && candidateRuns.length === baselineRuns.length && candidateRuns.length > 1;
  const finite = (runs: readonly (readonly number[])[]): number[][] => runs.map((r) => r.filter(Number.isFinite));
  // Paired runs leave together: a pair with no figure on one side is no pair.
  const nonEmpty = (run: number[]): run is number[] => run.length > 0;
  const cAll = finite(candidateRuns);
  const bAll = finite(baselineRuns);
  const cRuns = alignedRuns(cAll, bAll, nonEmpty, paired);
  const bRuns = alignedRuns(bAll, cAll, nonEmpty, paired);
  const c = cRuns.flat();
  const b = bRuns.flat();
  const base = {
    candidateTrials: c.length,
    baselineTrials: b.length,
    candidateMedian: c.length > 0 ? median(c) : null,
    baselineMedian: b.length > 0 ? median(b) : null,
    confidence: o.confidence,
    band,
  };
  const none = { ratio: null, bestRunRatio: null, low: null, high: null };
  if (c.length < o.minTrials || b.length < o.minTrials) {
    const reason = `${c.length} candidate and ${b.length} baseline trial(s); at least ${o.minTrials} per side are needed`;
    return { ...base, ...none, verdict: 'inconclusive', reason };
  }
  if (b.some((x) => x <= 0))
    return {
      ...base,
      ...none,
      verdict: 'inconclusive',
      reason: 'a baseline trial is zero or negative, so no ratio can be formed',
    };
  const interval = bootstrapClusteredMedianRatio(
    cRuns,
    bRuns,
    o.resamples,
    o.confidence,
    SeededRandom.forKey(o.seed, streamKey),
    paired,
  );
  const bestOf = (runs: readonly (readonly number[])[]): number => Math.min(...runs.map(median));
  const bestRunRatio = cRuns.length > 1 && bRuns.length > 1 ? bestOf(cRuns) / bestOf(bRuns) : null;
  const { verdict, why } = classify(o.rule, interval, bestRunRatio, band);
  const pct = Math.round(o.confidence * 100);
  const reason = `ratio ${interval.ratio.toFixed(3)}, ${pct}% interval [${interval.low.toFixed(3)}, ${interval.high.toFixed(3)}] over ${c.length} vs ${b.length} trials${cRuns.length > 1 || bRuns.length > 1 ? ` of ${cRuns.length} vs ${bRuns.length} ${paired ? 'paired ' : ''}runs` : ''}: ${why}`;
  return { ...base, verdict, reason, ratio: interval.ratio, bestRunRatio, low: interval.low, high: interval.high };
}
