/**
 * Window operators of the Alpha158 expressions, evaluated at one point. Every function reads the window
 * `x[last-d+1 .. last]` (d rows, oldest first) in place: no copies, no allocation.
 *
 * Variances are computed two-pass on values shifted by the last element, so that a constant window
 * gives exactly 0 (a plain mean of d equal doubles can round and leave a spurious 1e-17 spread).
 * Shifted-data algorithm: Chan, Golub & LeVeque, "Algorithms for computing the sample variance" (1983).
 */

export function windowSum(x: Float64Array, last: number, d: number): number {
  let sum = 0;
  for (let i = last - d + 1; i <= last; i++) sum += x[i];
  return sum;
}

export function windowMean(x: Float64Array, last: number, d: number): number {
  return windowSum(x, last, d) / d;
}

export function windowMax(x: Float64Array, last: number, d: number): number {
  let max = x[last - d + 1];
  for (let i = last - d + 2; i <= last; i++) if (x[i] > max) max = x[i];
  return max;
}

export function windowMin(x: Float64Array, last: number, d: number): number {
  let min = x[last - d + 1];
  for (let i = last - d + 2; i <= last; i++) if (x[i] < min) min = x[i];
  return min;
}

/** Sum of squared deviations from the window mean; exactly 0 for a constant window. */
export function windowSumSquaredDeviations(x: Float64Array, last: number, d: number): number {
  const shift = x[last];
  let sum = 0;
  for (let i = last - d + 1; i <= last; i++) sum += x[i] - shift;
  const mean = sum / d;
  let ss = 0;
  for (let i = last - d + 1; i <= last; i++) {
    const dev = x[i] - shift - mean;
    ss += dev * dev;
  }
  return ss;
}

/** Sample standard deviation (divisor d-1), as pandas' rolling std. */
export function windowStd(x: Float64Array, last: number, d: number): number {
  return Math.sqrt(windowSumSquaredDeviations(x, last, d) / (d - 1));
}

/** Centre of the regressor 1..d and its sum of squared deviations, d(d^2-1)/12. */
function regressorCentre(d: number): number {
  return (d + 1) / 2;
}

function regressorSumSquares(d: number): number {
  return (d * (d * d - 1)) / 12;
}

/** Sum over the window of (i - centre)(x_i - shift); the shift cancels because the weights sum to 0. */
function windowCrossDeviation(x: Float64Array, last: number, d: number): number {
  const first = last - d + 1;
  const centre = regressorCentre(d);
  const shift = x[last];
  let sxy = 0;
  for (let i = first; i <= last; i++) sxy += (i - first + 1 - centre) * (x[i] - shift);
  return sxy;
}

/** Least-squares slope of x against 1..d. */
export function windowSlope(x: Float64Array, last: number, d: number): number {
  return windowCrossDeviation(x, last, d) / regressorSumSquares(d);
}

/**
 * R^2 of the least-squares fit against 1..d. A constant window has SST = 0: the fit is perfect but the
 * ratio is 0/0, so it is NaN (the spec's convention; the reference implementation agrees).
 */
export function windowRsquare(x: Float64Array, last: number, d: number): number {
  const sst = windowSumSquaredDeviations(x, last, d);
  if (sst === 0) return Number.NaN;
  const sxy = windowCrossDeviation(x, last, d);
  return (sxy * sxy) / (regressorSumSquares(d) * sst);
}

/** Residual of the fit at the last point: x_t - (mean + slope * (d - centre)). */
export function windowResi(x: Float64Array, last: number, d: number): number {
  const shift = x[last];
  let sum = 0;
  for (let i = last - d + 1; i <= last; i++) sum += x[i] - shift;
  const shiftedMean = sum / d;
  const fittedShifted = shiftedMean + windowSlope(x, last, d) * (d - regressorCentre(d));
  return x[last] - shift - fittedShifted;
}

/** Average 1-based rank of x_t in the window (ties averaged), divided by d (pandas rank(pct=True)). */
export function windowRank(x: Float64Array, last: number, d: number): number {
  const value = x[last];
  let less = 0;
  let equal = 0;
  for (let i = last - d + 1; i <= last; i++) {
    if (x[i] < value) less++;
    else if (x[i] === value) equal++;
  }
  return (less + (equal + 1) / 2) / d;
}

/** 1-based position of the maximum, 1 = oldest; ties pick the oldest (numpy argmax, as Qlib). */
export function windowIdxMax(x: Float64Array, last: number, d: number): number {
  const first = last - d + 1;
  let best = first;
  for (let i = first + 1; i <= last; i++) if (x[i] > x[best]) best = i;
  return best - first + 1;
}

/** 1-based position of the minimum, 1 = oldest; ties pick the oldest. */
export function windowIdxMin(x: Float64Array, last: number, d: number): number {
  const first = last - d + 1;
  let best = first;
  for (let i = first + 1; i <= last; i++) if (x[i] < x[best]) best = i;
  return best - first + 1;
}

/** Pearson correlation of two aligned windows; NaN when either has zero variance. */
export function windowCorr(x: Float64Array, y: Float64Array, last: number, d: number): number {
  const first = last - d + 1;
  const shiftX = x[last];
  const shiftY = y[last];
  let sumX = 0;
  let sumY = 0;
  for (let i = first; i <= last; i++) {
    sumX += x[i] - shiftX;
    sumY += y[i] - shiftY;
  }
  const meanX = sumX / d;
  const meanY = sumY / d;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = first; i <= last; i++) {
    const dx = x[i] - shiftX - meanX;
    const dy = y[i] - shiftY - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Number of window elements strictly greater than 0 (Mean(cond, d) is this over d). */
export function windowCountPositive(x: Float64Array, last: number, d: number): number {
  let count = 0;
  for (let i = last - d + 1; i <= last; i++) if (x[i] > 0) count++;
  return count;
}

export function windowCountNegative(x: Float64Array, last: number, d: number): number {
  let count = 0;
  for (let i = last - d + 1; i <= last; i++) if (x[i] < 0) count++;
  return count;
}

/** Sum of Greater(x, 0) over the window. */
export function windowSumPositive(x: Float64Array, last: number, d: number): number {
  let sum = 0;
  for (let i = last - d + 1; i <= last; i++) if (x[i] > 0) sum += x[i];
  return sum;
}

/** Sum of Greater(-x, 0) over the window. */
export function windowSumNegative(x: Float64Array, last: number, d: number): number {
  let sum = 0;
  for (let i = last - d + 1; i <= last; i++) if (x[i] < 0) sum -= x[i];
  return sum;
}

export function windowSumAbs(x: Float64Array, last: number, d: number): number {
  let sum = 0;
  for (let i = last - d + 1; i <= last; i++) sum += Math.abs(x[i]);
  return sum;
}

/**
 * Copies the window into out[0..d) sorted ascending (insertion sort: d <= 60 here, and it needs no
 * comparator closure or typed-array view per call).
 */
export function sortWindowInto(x: Float64Array, last: number, d: number, out: Float64Array): void {
  if (out.length < d) throw new RangeError(`sort buffer holds ${out.length} values, window needs ${d}`);
  const first = last - d + 1;
  for (let k = 0; k < d; k++) {
    const value = x[first + k];
    let j = k - 1;
    while (j >= 0 && out[j] > value) {
      out[j + 1] = out[j];
      j--;
    }
    out[j + 1] = value;
  }
}

/** Quantile of sorted[0..n) by linear interpolation between order statistics (pandas' default). */
export function quantileOfSorted(sorted: Float64Array, n: number, q: number): number {
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}
