/**
 * A claim is one quantitative statement of the design document, with how the harness reads it.
 * Verdicts are plain data: the measured figure with its interval, the claimed figure, the rule
 * and the conditions, so a reader can check the judgement without trusting the code.
 */
export type ClaimUnit = 'ms' | 'us' | 'x' | '%' | 'bytes';

/**
 * How a claimed figure is read:
 * - approx: "about X": holds when the measured figure is within a factor `factor` of X.
 * - at-most / at-least: a bound.
 * - within-points: for percentages, holds when |measured - X| <= `points`.
 */
export type ClaimRule =
  | { readonly kind: 'approx'; readonly factor: number }
  | { readonly kind: 'at-most' }
  | { readonly kind: 'at-least' }
  | { readonly kind: 'within-points'; readonly points: number };

export interface ClaimDefinition {
  /** Stable id, e.g. `cache.hit-latency`. */
  readonly id: string;
  /** Pattern of the document the claim belongs to. */
  readonly pattern: 'cache-aside' | 'pub-sub' | 'degradation' | 'monitoring' | 'optimization';
  /** The document's own words. */
  readonly quote: string;
  readonly claimed: number;
  readonly unit: ClaimUnit;
  readonly rule: ClaimRule;
  /** What is measured, in words (statistic, path, unit). */
  readonly measuredAs: string;
  /** Latencies and sizes: lower is better; speedups and improvements: higher is better. */
  readonly better: 'lower' | 'higher';
}

export type VerdictOutcome = 'holds' | 'does not hold' | 'inconclusive' | 'not measured';

export interface ClaimVerdict {
  readonly claimId: string;
  readonly quote: string;
  readonly outcome: VerdictOutcome;
  readonly claimed: number;
  readonly unit: ClaimUnit;
  readonly rule: ClaimRule;
  readonly measuredAs: string;
  /** Median over trials; null when not measured. */
  readonly measured: number | null;
  readonly interval: {
    readonly low: number;
    readonly high: number;
    readonly coverage: number;
    readonly trials: number;
  } | null;
  /** When the claim does not hold: is reality better or worse than the document says? */
  readonly direction: 'better' | 'worse' | null;
  /** Human-readable: why this outcome, with the figures. */
  readonly explanation: string;
  /** Conditions of the measurement (loopback, CPU count, options such as --miss-extra-ms). */
  readonly conditions: string;
}
