/**
 * A claim is one statement of the design document, with how the harness reads it.
 * Verdicts are plain data: the measured figure with its interval, the claimed figure, the rule
 * and the conditions, so a reader can check the judgement without trusting the code.
 */
export type ClaimUnit = 'ms' | 'us' | 'x' | '%' | 'bytes' | 'count';

/**
 * How a claimed figure is read:
 * - approx: "about X": holds when the measured figure is within a factor `factor` of X.
 * - at-most / at-least: a bound.
 * - within-points: for percentages, holds when |measured - X| <= `points`.
 * - observed / never-observed: a yes/no statement ("may happen", "never happens") judged on a
 *   figure that counts occurrences: observed holds when it is > 0 in at least one trial; never-observed
 *   holds when it is 0 in every trial. The claimed figure is the boundary (0).
 */
export type ClaimRule =
  | { readonly kind: 'approx'; readonly factor: number }
  | { readonly kind: 'at-most' }
  | { readonly kind: 'at-least' }
  | { readonly kind: 'within-points'; readonly points: number }
  | { readonly kind: 'observed' }
  | { readonly kind: 'never-observed' };

/**
 * Where the claimed number comes from: the document itself, or a reading chosen by the harness
 * (then with a one-sentence reason, so a table can say why that number).
 */
export type ThresholdSource = 'document' | 'harness';

export type ClaimThreshold =
  | { readonly thresholdSource: 'document'; readonly thresholdReason?: never }
  | { readonly thresholdSource: 'harness'; readonly thresholdReason: string };

interface ClaimFields {
  /** Stable id, e.g. `cache.hit-latency`. */
  readonly id: string;
  /** Pattern of the document the claim belongs to. */
  readonly pattern: 'cache-aside' | 'pub-sub' | 'degradation' | 'monitoring' | 'optimization';
  /** The document's own words, verbatim ("…" marks an elision); any reading goes in measuredAs. */
  readonly quote: string;
  readonly claimed: number;
  readonly unit: ClaimUnit;
  readonly rule: ClaimRule;
  /** What is measured, in words (statistic, path, unit), and how the document's words are read. */
  readonly measuredAs: string;
  /** Latencies and sizes: lower is better; speedups and improvements: higher is better. */
  readonly better: 'lower' | 'higher';
}

/** A claim; a harness threshold without its reason does not compile. */
export type ClaimDefinition = ClaimFields & ClaimThreshold;

export type VerdictOutcome = 'holds' | 'does not hold' | 'inconclusive' | 'not measured';

export interface ClaimVerdict {
  readonly claimId: string;
  readonly quote: string;
  readonly outcome: VerdictOutcome;
  readonly claimed: number;
  readonly unit: ClaimUnit;
  readonly rule: ClaimRule;
  /** Where the claimed number comes from; the reason is null for the document's own numbers. */
  readonly thresholdSource: ThresholdSource;
  readonly thresholdReason: string | null;
  /** The rule in words, e.g. "<= 5 ms", "within 2x of 5 ms", "observed at least once". */
  readonly ruleText: string;
  readonly measuredAs: string;
  /** Median over trials; null when not measured. */
  readonly measured: number | null;
  readonly interval: {
    readonly low: number;
    readonly high: number;
    readonly coverage: number;
    readonly trials: number;
  } | null;
  /** The interval's confidence (e.g. 0.95); null when there is no interval. */
  readonly coverage: number | null;
  /** Finite trial figures the verdict used. */
  readonly trials: number;
  /** Trial figures that were NaN or infinite (a failed trial): counted, not used. */
  readonly failedTrials: number;
  /**
   * Every trial figure the verdict was judged on, in order (null: a failed trial). Kept so that
   * more trials (another block of the same scenario) can be added and the claim judged again.
   */
  readonly figures: readonly (number | null)[];
  /** When the claim does not hold: is reality better or worse than the document says? */
  readonly direction: 'better' | 'worse' | null;
  /** Human-readable: why this outcome, with the figures. */
  readonly explanation: string;
  /** Conditions of the measurement (loopback, CPU count, options such as --miss-extra-ms). */
  readonly conditions: string;
}

/** A claim and the scenario that measures it (null: no scenario yet, reported as "not measured"). */
export type RegisteredClaim = ClaimDefinition & { readonly scenario: string | null };

/**
 * "About X" read as "within a factor 2 of X": the document gives single round numbers, and a factor 2
 * separates "roughly right" from "a different regime". The factor is the harness's choice.
 */
export const APPROX = { kind: 'approx', factor: 2 } as const;

/**
 * A verdict needs at least this many finite trials: with 6, the interval [min, max] of the median
 * covers 96.9% (1 - 2 / 2^6), the fewest trials that reach 95%. Fewer give "inconclusive (n < 6)".
 */
export const MIN_TRIALS = 6;

/** The confidence every interval is computed at unless a run asks otherwise (`--confidence`). */
export const DEFAULT_CONFIDENCE = 0.95;

/** One row of the run's claims list: a claim's verdict, or why it was not measured. */
export interface CoveredClaim {
  readonly scenario: string | null;
  readonly verdict: ClaimVerdict;
}
