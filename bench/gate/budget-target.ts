import { LATENCY_STATS, canonicalSegment } from './budget-ast.ts';
import type { BudgetTarget, LatencyStat, PathSegment } from './budget-ast.ts';
import { BudgetSyntaxError } from './budget-line-scanner.ts';

/** A path segment with where it starts in the line, for error carets. */
export interface PlacedSegment extends PathSegment {
  readonly position: number;
  /** Where its first `[` is, or -1. */
  readonly selectorPosition: number;
}

const STAT_LIST = 'p50, p90, p99, p999 (or p99.9), max, mean, min, stddev, count';

function isStat(name: string): name is LatencyStat {
  return (LATENCY_STATS as readonly string[]).includes(name);
}

function joinNames(segments: readonly PathSegment[]): string {
  return segments.map(canonicalSegment).join('.');
}

/** `p99.9` is split at its dot by the path syntax; join it back, and reject percentiles we do not keep. */
function normaliseStatSegments(rest: readonly PlacedSegment[]): PlacedSegment[] {
  const segments = [...rest];
  const last = segments.at(-1);
  const previous = segments.at(-2);
  if (last && previous && /^\d+$/.test(last.name) && /^p\d+$/.test(previous.name) && previous.selectors.length === 0) {
    const joined = `${previous.name}.${last.name}`;
    if (joined !== 'p99.9')
      throw new BudgetSyntaxError(`unknown statistic '${joined}'; available: ${STAT_LIST}`, previous.position);
    segments.splice(-2, 2, { ...last, name: 'p999', position: previous.position });
  }
  return segments;
}

function noSelector(segment: PlacedSegment, what: string): void {
  if (segment.selectors.length > 0) {
    throw new BudgetSyntaxError(
      `a selector does not belong on ${what}; put it on the scenario or the metric`,
      segment.selectorPosition,
    );
  }
}

/**
 * Reads what a budget's path points at. The scenario is the first segment and a statistic the last,
 * so metric names and claim ids may contain dots.
 */
export function classifyPath(segments: readonly PlacedSegment[], pathEnd: number): BudgetTarget {
  const rest = normaliseStatSegments(segments.slice(1));
  const head = rest[0];
  if (head === undefined) {
    throw new BudgetSyntaxError(
      `expected '.' and what to check after the scenario id: <metric>.<stat>, value.<name>, claim.<id>, failed or status`,
      pathEnd,
    );
  }
  const last = rest[rest.length - 1];
  if (head.name === 'value' && head.selectors.length === 0) {
    if (rest.length < 2) throw new BudgetSyntaxError(`expected a value name after 'value.'`, pathEnd);
    return { kind: 'value', name: joinNames(rest.slice(1)), explicit: true };
  }
  if (head.name === 'claim' && head.selectors.length === 0) {
    if (rest.length < 2) throw new BudgetSyntaxError(`expected a claim id after 'claim.'`, pathEnd);
    if (last.name === 'verdict' && rest.length >= 3) {
      noSelector(last, "'verdict'");
      return { kind: 'claim-verdict', claimId: joinNames(rest.slice(1, -1)) };
    }
    return { kind: 'claim', claimId: joinNames(rest.slice(1)) };
  }
  if (rest.length === 1 && (head.name === 'failed' || head.name === 'status')) {
    noSelector(head, `'${head.name}'`);
    return { kind: head.name };
  }
  if (isStat(last.name)) {
    if (rest.length < 2) {
      throw new BudgetSyntaxError(
        `expected <metric>.${last.name}: the metric name is missing before '${last.name}'`,
        last.position,
      );
    }
    noSelector(last, `the statistic '${last.name}'`);
    return { kind: 'metric', metric: joinNames(rest.slice(0, -1)), stat: last.name };
  }
  if (/^p\d+$/.test(last.name))
    throw new BudgetSyntaxError(`unknown statistic '${last.name}'; available: ${STAT_LIST}`, last.position);
  // Anything else names a scalar value: `pipelining.speedup[batch=5]`.
  return { kind: 'value', name: joinNames(rest), explicit: false };
}
