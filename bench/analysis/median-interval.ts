/**
 * Distribution-free confidence interval for a median from order statistics: for n independent
 * trials, P(x(k) <= median <= x(n+1-k)) = 1 - 2 * P(Binomial(n, 1/2) <= k - 1)
 * (e.g. Conover, "Practical Nonparametric Statistics", 3rd ed., section 3.2).
 * Trials (rounds), not individual requests, are the unit: requests within a run are correlated.
 */
export interface MedianInterval {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** The coverage actually achieved; with few trials it can be below the confidence asked for. */
  readonly coverage: number;
  readonly trials: number;
}

export function medianOf(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function binomialCdfHalf(n: number, k: number): number {
  // P(Bin(n, 1/2) <= k), exact for the small n used here (rounds, not requests).
  let sum = 0;
  let coefficient = 1;
  for (let i = 0; i <= k; i += 1) {
    if (i > 0) coefficient = (coefficient * (n - i + 1)) / i;
    sum += coefficient;
  }
  return sum / 2 ** n;
}

export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) throw new RangeError('median interval of no finite values');
  const sorted = [...finite].sort((a, b) => a - b);
  const n = sorted.length;
  const median = medianOf(sorted);
  if (n === 1) return { median, low: median, high: median, coverage: 0, trials: 1 };
  // The widest useful interval is [min, max] (k = 1); narrow it while coverage stays >= confidence.
  let k = 1;
  while (k + 1 <= Math.floor(n / 2) && 1 - 2 * binomialCdfHalf(n, k) >= confidence) k += 1;
  const coverage = 1 - 2 * binomialCdfHalf(n, k - 1);
  return { median, low: sorted[k - 1], high: sorted[n - k], coverage, trials: n };
}
