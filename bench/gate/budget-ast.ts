/**
 * Budgets as plain data: what one line of a budget file says, after parsing.
 * The grammar is in budget-parser.ts and docs/ci-gates.md ("Budgets").
 */

export const COMPARATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** Statistics of a latency metric; p999 is the 99.9th percentile (also written p99.9). */
export const LATENCY_STATS = ['p50', 'p90', 'p99', 'p999', 'max', 'mean', 'min', 'stddev', 'count'] as const;
export type LatencyStat = (typeof LATENCY_STATS)[number];

/** A `[key=value]` pair that picks a variant of a parameterised scenario or metric. */
export interface Selector {
  readonly key: string;
  readonly value: string;
}

export interface PathSegment {
  readonly name: string;
  readonly selectors: readonly Selector[];
}

/** What a budget reads from a scenario's report. Names include their selectors in canonical form. */
export type BudgetTarget =
  | { readonly kind: 'metric'; readonly metric: string; readonly stat: LatencyStat }
  /** `explicit` is false for the shorthand `<scenario>.<name>` (no `value.` prefix). */
  | { readonly kind: 'value'; readonly name: string; readonly explicit: boolean }
  | { readonly kind: 'claim'; readonly claimId: string }
  | { readonly kind: 'claim-verdict'; readonly claimId: string }
  | { readonly kind: 'failed' }
  | { readonly kind: 'status' };

/** Units as written in a budget, normalised (`µs` becomes `us`). */
export type BudgetUnit = 'ns' | 'us' | 'ms' | 's' | 'x' | '%' | 'bytes' | 'KB' | 'MB' | 'KiB' | 'MiB';

export type BudgetThreshold =
  /** `unit` is null for a bare number, read in the measured quantity's own unit. */
  | { readonly kind: 'number'; readonly value: number; readonly unit: BudgetUnit | null }
  | { readonly kind: 'text'; readonly value: string };

export interface Budget {
  /** The budget as written, without its comment. */
  readonly text: string;
  /** 1-based line in the budget file. */
  readonly line: number;
  readonly scenario: PathSegment;
  /** The segments after the scenario, as written. */
  readonly path: readonly PathSegment[];
  readonly target: BudgetTarget;
  readonly comparator: Comparator;
  readonly threshold: BudgetThreshold;
}

/** `name[k=v,k2=v2]`: the key under which a variant's metric or value is looked up. */
export function canonicalSegment(segment: PathSegment): string {
  if (segment.selectors.length === 0) return segment.name;
  return `${segment.name}[${segment.selectors.map((s) => `${s.key}=${s.value}`).join(',')}]`;
}

export function thresholdText(threshold: BudgetThreshold): string {
  if (threshold.kind === 'text') return threshold.value;
  return threshold.unit === null
    ? String(threshold.value)
    : `${threshold.value}${threshold.unit === 'bytes' ? ' bytes' : threshold.unit}`;
}
