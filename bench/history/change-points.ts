import tCdf from '@stdlib/stats-base-dists-t-cdf';

/**
 * Change points in one metric's series, the way Apache Otava (formerly Hunter) finds them:
 * E-divisive means (Matteson & James's energy statistic, alpha = 1) proposes the splits, Student's
 * t-test between neighbouring segments decides which are real (instead of E-divisive's permutation
 * test, which needs many more points).
 */
export interface ChangePointOptions {
  /** A split is kept when the t-test's two-sided p-value is below this (Otava's default is 0.001). */
  readonly maxPValue: number;
  /** Fewest points on either side of a split. */
  readonly minSegment: number;
}

export const DEFAULT_CHANGE_POINT_OPTIONS: ChangePointOptions = { maxPValue: 0.001, minSegment: 2 };

export interface ChangePoint {
  /** Index of the first point after the change. */
  readonly index: number;
  /** Mean of the segment before and of the segment after (the segments the final split gives). */
  readonly before: number;
  readonly after: number;
  /** (after - before) / |before|. */
  readonly relativeChange: number;
  /** Two-sided p-value of the t-test that accepted the split. */
  readonly pValue: number;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function sumOfSquares(values: readonly number[], centre: number): number {
  return values.reduce((sum, v) => sum + (v - centre) ** 2, 0);
}

/** Mean |a - b| over the pairs of one sample (0 for fewer than 2 points). */
function withinDistance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++)
    for (let j = i + 1; j < values.length; j++) sum += Math.abs(values[i]! - values[j]!);
  return sum / ((values.length * (values.length - 1)) / 2);
}

/** Q-hat of Matteson & James for the split of `values` at `at` (alpha = 1). */
export function energyStatistic(values: readonly number[], at: number): number {
  const left = values.slice(0, at);
  const right = values.slice(at);
  let between = 0;
  for (const a of left) for (const b of right) between += Math.abs(a - b);
  const m = left.length;
  const n = right.length;
  const energy = (2 * between) / (m * n) - withinDistance(left) - withinDistance(right);
  return ((m * n) / (m + n)) * energy;
}

/** Two-sided p-value of Student's t-test (pooled variance) for equal means of two samples. */
export function studentTTestPValue(left: readonly number[], right: readonly number[]): number {
  const df = left.length + right.length - 2;
  if (df < 1) return 1;
  const meanLeft = mean(left);
  const meanRight = mean(right);
  const pooled = (sumOfSquares(left, meanLeft) + sumOfSquares(right, meanRight)) / df;
  const difference = meanRight - meanLeft;
  if (pooled === 0) return difference === 0 ? 1 : 0;
  const t = difference / Math.sqrt(pooled * (1 / left.length + 1 / right.length));
  return 2 * tCdf(-Math.abs(t), df);
}

/** Every split binary segmentation finds down to segments of minSegment (no significance test yet). */
function candidateSplits(values: readonly number[], minSegment: number): number[] {
  const splits: number[] = [];
  const search = (start: number, end: number): void => {
    if (end - start < 2 * minSegment) return;
    const segment = values.slice(start, end);
    let best = -1;
    let bestQ = 0;
    for (let at = minSegment; at <= segment.length - minSegment; at++) {
      const q = energyStatistic(segment, at);
      if (q > bestQ) {
        bestQ = q;
        best = at;
      }
    }
    if (best < 0) return;
    splits.push(start + best);
    search(start, start + best);
    search(start + best, end);
  };
  search(0, values.length);
  return splits.sort((a, b) => a - b);
}

/** p-value of each split between its neighbouring splits (the segments on its two sides). */
function splitPValues(values: readonly number[], splits: readonly number[]): number[] {
  const bounds = [0, ...splits, values.length];
  return splits.map((_, i) =>
    studentTTestPValue(values.slice(bounds[i], bounds[i + 1]), values.slice(bounds[i + 1], bounds[i + 2])),
  );
}

/**
 * The change points of a series, in index order. As Otava does: binary segmentation with the energy
 * statistic proposes splits down to the smallest segment, then the weakest split (largest t-test
 * p-value against its neighbouring segments) is dropped until every one left is significant. This
 * finds a change that went away again (up at 4, back at 8), which a test at each split of the whole
 * series would miss. Non-finite values are not allowed (filter them first).
 */
export function findChangePoints(
  values: readonly number[],
  options: ChangePointOptions = DEFAULT_CHANGE_POINT_OPTIONS,
): ChangePoint[] {
  const splits = candidateSplits(values, Math.max(1, options.minSegment));
  let pValues = splitPValues(values, splits);
  while (splits.length > 0) {
    let weakest = 0;
    for (let i = 1; i < pValues.length; i++) if (pValues[i]! > pValues[weakest]!) weakest = i;
    if (pValues[weakest]! < options.maxPValue) break;
    splits.splice(weakest, 1);
    pValues = splitPValues(values, splits);
  }
  const bounds = [0, ...splits, values.length];
  return splits.map((index, i) => {
    const before = mean(values.slice(bounds[i], bounds[i + 1]));
    const after = mean(values.slice(bounds[i + 1], bounds[i + 2]));
    return {
      index,
      before,
      after,
      relativeChange: before === 0 ? Number.POSITIVE_INFINITY : (after - before) / Math.abs(before),
      pValue: pValues[i]!,
    };
  });
}

/**
 * Spread of a series around its segments, relative to its level: median |x - its segment's median|
 * divided by the median of the series (a robust coefficient of variation). A metric above the noise
 * limit is reported, not gated.
 */
export function relativeNoise(values: readonly number[], changePoints: readonly ChangePoint[]): number {
  const bounds = [0, ...changePoints.map((c) => c.index), values.length];
  const deviations: number[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const segment = values.slice(bounds[i], bounds[i + 1]);
    const centre = median(segment);
    for (const v of segment) deviations.push(Math.abs(v - centre));
  }
  const level = Math.abs(median(values));
  return level === 0 ? (median(deviations) === 0 ? 0 : Number.POSITIVE_INFINITY) : median(deviations) / level;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
