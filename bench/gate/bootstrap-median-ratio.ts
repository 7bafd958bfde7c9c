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
  'percentile bootstrap of the ratio of medians: whole runs with replacement when a side has several (a cluster bootstrap: the spread between runs counts), else its trials; with paired runs (the same number on both sides, the i-th of each measured next to each other) one draw of pair indices serves both sides, so a slow spell that strikes both runs of a pair moves both medians alike instead of passing for a change (Efron & Tibshirani 1993, An Introduction to the Bootstrap, ch. 13; Davison & Hinkley 1997, sec. 3.8)';

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

/**
 * The same interval when each side is several runs (clusters) of trials: a side with two or more
 * runs is resampled by whole runs (their trials pooled), so a run disturbed as a whole (a noisy
 * neighbour for a few seconds) widens the interval instead of passing for a change; a side with
 * one run is resampled by trials as above. With `paired` (both sides the same number of runs, two
 * or more, the i-th of each measured next to each other: interleaved A B, B A, ...), each resample
 * draws pair indices once and takes the runs of both sides at those indices: noise the two runs of
 * a pair share (a slow minute of the machine) then cancels in the ratio, as in a paired test.
 */
export function bootstrapClusteredMedianRatio(
  candidate: readonly (readonly number[])[],
  baseline: readonly (readonly number[])[],
  resamples: number,
  confidence: number,
  rng: SeededRandom,
  paired = false,
): RatioInterval {
  if (candidate.length === 1 && baseline.length === 1)
    return bootstrapMedianRatio(candidate[0], baseline[0], resamples, confidence, rng);
  if (paired && candidate.length !== baseline.length)
    throw new RangeError(`paired bootstrap: ${candidate.length} candidate and ${baseline.length} baseline runs`);
  const pooledMedian = (runs: readonly (readonly number[])[]): number => medianInPlace(Float64Array.from(runs.flat()));
  const ratio = pooledMedian(candidate) / pooledMedian(baseline);
  const picks = new Int32Array(Math.max(candidate.length, baseline.length));
  const drawPicks = (n: number): void => {
    for (let i = 0; i < n; i += 1) picks[i] = rng.nextInt(n);
  };
  const sideSampler = (runs: readonly (readonly number[])[]): (() => number) => {
    if (runs.length === 1) {
      const scratch = new Float64Array(runs[0].length);
      return () => resampleMedian(runs[0], scratch, rng);
    }
    const buffer = new Float64Array(Math.max(...runs.map((r) => r.length)) * runs.length);
    return () => {
      if (!paired) drawPicks(runs.length);
      let n = 0;
      for (let i = 0; i < runs.length; i += 1) for (const x of runs[picks[i]]) buffer[n++] = x;
      return medianInPlace(buffer.subarray(0, n));
    };
  };
  const c = sideSampler(candidate);
  const b = sideSampler(baseline);
  const ratios = new Float64Array(resamples);
  for (let i = 0; i < resamples; i += 1) {
    if (paired) drawPicks(candidate.length);
    ratios[i] = c() / b();
  }
  ratios.sort();
  const tail = (1 - confidence) / 2;
  const lowIndex = Math.min(resamples - 1, Math.floor(tail * resamples));
  const highIndex = Math.max(0, Math.ceil((1 - tail) * resamples) - 1);
  return { ratio, low: ratios[lowIndex], high: ratios[highIndex], confidence, resamples };
}
