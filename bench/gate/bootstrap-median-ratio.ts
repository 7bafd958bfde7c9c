import type { SeededRandom } from '../../src/market/seeded-random.ts';

/** The ratio of two medians with its bootstrap interval. */
export interface RatioInterval {
  /** median(candidate) / median(baseline) of the trials as measured. */
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  readonly resamples: number;
}

export const BOOTSTRAP_METHOD =
  'percentile bootstrap of the ratio of medians, trials resampled with replacement on each side independently (Efron & Tibshirani 1993, An Introduction to the Bootstrap, ch. 13)';

/** Insertion sort: a resample holds a few tens of trials at most, where it is as fast as any and allocates nothing. */
function sortInPlace(values: Float64Array): void {
  for (let i = 1; i < values.length; i += 1) {
    const x = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > x) {
      values[j + 1] = values[j];
      j -= 1;
    }
    values[j + 1] = x;
  }
}

function medianInPlace(values: Float64Array): number {
  sortInPlace(values);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

function resampleMedian(source: readonly number[], scratch: Float64Array, rng: SeededRandom): number {
  for (let i = 0; i < scratch.length; i += 1) scratch[i] = source[rng.nextInt(source.length)];
  return medianInPlace(scratch);
}

/**
 * Percentile-bootstrap confidence interval of median(candidate) / median(baseline) over trials.
 * Each side is resampled on its own because the two runs are independent samples.
 * Both sides need at least one value and the baseline must be positive; the caller checks.
 */
export function bootstrapMedianRatio(
  candidate: readonly number[],
  baseline: readonly number[],
  resamples: number,
  confidence: number,
  rng: SeededRandom,
): RatioInterval {
  const ratio = medianInPlace(Float64Array.from(candidate)) / medianInPlace(Float64Array.from(baseline));
  const candidateScratch = new Float64Array(candidate.length);
  const baselineScratch = new Float64Array(baseline.length);
  const ratios = new Float64Array(resamples);
  for (let b = 0; b < resamples; b += 1) {
    const c = resampleMedian(candidate, candidateScratch, rng);
    ratios[b] = c / resampleMedian(baseline, baselineScratch, rng);
  }
  ratios.sort();
  const tail = (1 - confidence) / 2;
  const lowIndex = Math.min(resamples - 1, Math.floor(tail * resamples));
  const highIndex = Math.max(0, Math.ceil((1 - tail) * resamples) - 1);
  return { ratio, low: ratios[lowIndex], high: ratios[highIndex], confidence, resamples };
}
