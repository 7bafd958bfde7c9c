import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { ConfigError } from '../errors.ts';
import { bootstrapClusteredMedianRatio, bootstrapMedianRatio } from './bootstrap-median-ratio.ts';
import {
  compareTrialRuns,
  compareTrials,
  parseDecisionRule,
  regressionRuleText,
  resolveCompareOptions,
} from './trial-comparison.ts';

/** Per-trial figures around `center` with multiplicative Gaussian noise of `relativeSd`. */
function trials(seed: number, count: number, center: number, relativeSd = 0.05): number[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, () => center * Math.max(0.5, 1 + relativeSd * rng.nextGaussian()));
}

describe('bootstrapMedianRatio', () => {
  it('gives the exact ratio with a zero-width interval for constant trials', () => {
    const r = bootstrapMedianRatio([3, 3, 3], [2, 2, 2, 2], 500, 0.95, new SeededRandom(1));
    expect(r).toEqual({ ratio: 1.5, low: 1.5, high: 1.5, confidence: 0.95, resamples: 500 });
  });

  it('brackets the ratio of medians and narrows as confidence falls', () => {
    const c = trials(1, 9, 1.2);
    const b = trials(2, 9, 1);
    const wide = bootstrapMedianRatio(c, b, 2000, 0.99, new SeededRandom(3));
    const narrow = bootstrapMedianRatio(c, b, 2000, 0.5, new SeededRandom(3));
    expect(wide.low).toBeLessThanOrEqual(wide.ratio);
    expect(wide.high).toBeGreaterThanOrEqual(wide.ratio);
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
    expect(wide.low).toBeGreaterThanOrEqual(Math.min(...c) / Math.max(...b));
    expect(wide.high).toBeLessThanOrEqual(Math.max(...c) / Math.min(...b));
  });
});

describe('bootstrapClusteredMedianRatio', () => {
  it('resamples unpaired runs exactly as before pairing existed (figures of commit ab5c7c4)', () => {
    const c = [
      [1.1, 1.2, 1.15],
      [1.3, 1.25, 1.4],
      [1.05, 1.1, 1.0],
    ];
    const b = [
      [1.0, 1.02, 0.98],
      [1.1, 1.05, 1.2],
      [0.95, 1.0, 0.97],
      [1.01, 0.99, 1.03],
    ];
    const r = bootstrapClusteredMedianRatio(c, b, 500, 0.9, new SeededRandom(7));
    expect([r.ratio, r.low, r.high]).toEqual([1.1442786069651742, 1.0576923076923077, 1.256281407035176]);
    expect(() => bootstrapClusteredMedianRatio(c, b, 500, 0.9, new SeededRandom(7), true)).toThrow(
      'paired bootstrap: 3 candidate and 4 baseline runs',
    );
  });
});

describe('compareTrials', () => {
  it('never calls identical distributions a regression (30 data sets, 7 trials per side)', () => {
    const verdicts = Array.from(
      { length: 30 },
      (_, i) => compareTrials(trials(100 + i, 7, 1e6), trials(200 + i, 7, 1e6), {}, `aa-${i}`).verdict,
    );
    expect(verdicts.filter((v) => v === 'regression' || v === 'improvement')).toEqual([]);
    expect(verdicts.every((v) => v === 'no change' || v === 'inconclusive')).toBe(true);
    expect(verdicts).toContain('no change');
  });

  it('calls a clear +30% shift with 7 trials per side a regression', () => {
    const r = compareTrials(trials(1, 7, 1.3e6), trials(2, 7, 1e6), { maxRegressionPct: 10 });
    expect(r.verdict).toBe('regression');
    expect(r.low).toBeGreaterThan(1.1);
    expect(r.ratio).toBeGreaterThan(1.2);
    expect(r.ratio).toBeLessThan(1.4);
    expect(r.reason).toMatch(
      /^ratio 1\.\d{3}, 95% interval \[1\.\d{3}, 1\.\d{3}\] over 7 vs 7 trials: the whole interval lies above 1\.10 \(one run on a side: judged by the whole interval\)$/,
    );
  });

  it('calls a clear -30% shift an improvement', () => {
    const r = compareTrials(trials(3, 7, 0.7e6), trials(4, 7, 1e6));
    expect(r.verdict).toBe('improvement');
    expect(r.high).toBeLessThan(0.9);
    expect(r.reason).toContain('the whole interval lies below 0.90');
  });

  it('is inconclusive with fewer than 3 trials on either side, and says why', () => {
    const r = compareTrials([2e6, 2e6], [1e6, 1e6, 1e6, 1e6], {});
    expect(r).toMatchObject({
      verdict: 'inconclusive',
      ratio: null,
      low: null,
      high: null,
      candidateTrials: 2,
      baselineTrials: 4,
      candidateMedian: 2e6,
      baselineMedian: 1e6,
    });
    expect(r.reason).toBe('2 candidate and 4 baseline trial(s); at least 3 per side are needed');
    expect(compareTrials([1, 1, 1], [], {}).verdict).toBe('inconclusive');
  });

  it('drops non-finite trial figures before counting', () => {
    expect(compareTrials([1, Number.NaN, 1, 1], [1, 1, Number.POSITIVE_INFINITY], {}).baselineTrials).toBe(2);
  });

  it('classifies against the allowed band, including an interval that straddles it', () => {
    const base = [1, 1, 1, 1, 1];
    expect(compareTrials([1.2, 1.2, 1.2], base, { maxRegressionPct: 10 }).verdict).toBe('regression');
    expect(compareTrials([1.2, 1.2, 1.2], base, { maxRegressionPct: 25 }).verdict).toBe('no change');
    expect(compareTrials([1.05, 1.05, 1.05], base, { maxRegressionPct: 10 }).verdict).toBe('no change');
    expect(compareTrials([0.8, 0.8, 0.8], base, { maxRegressionPct: 10 }).verdict).toBe('improvement');
    const straddle = compareTrials([0.95, 1.05, 1.1, 1.2, 1.3], base, { maxRegressionPct: 10 });
    expect(straddle.verdict).toBe('inconclusive');
    expect(straddle.reason).toContain('the interval straddles 1.10');
    expect(straddle.band).toEqual({ low: 0.9, high: 1.1 });
  });

  it('with significant-beyond-band, needs the interval above 1 and the ratio above the band', () => {
    const rule = 'significant-beyond-band' as const;
    const base = [1, 1.01, 0.99, 1, 1.02, 0.98];
    // A +12% shift whose interval reaches below 1.10: a regression here, inconclusive for the interval rule.
    const shifted = [1.03, 1.08, 1.12, 1.12, 1.16, 1.2];
    const significant = compareTrials(shifted, base, { maxRegressionPct: 10, rule });
    expect(significant.low).toBeGreaterThan(1);
    expect(significant.low).toBeLessThan(1.1);
    expect(significant.verdict).toBe('regression');
    expect(significant.reason).toContain('the interval lies above 1.00 and the ratio above 1.10');
    expect(compareTrials(shifted, base, { maxRegressionPct: 10 }).verdict).toBe('inconclusive');
    // A real change smaller than allowed is not a regression.
    const small = compareTrials([1.05, 1.06, 1.04, 1.05, 1.07, 1.06], base, { maxRegressionPct: 3, rule });
    expect(small.ratio).toBeLessThan(1.1);
    expect(compareTrials([1.05, 1.06, 1.04, 1.05, 1.07, 1.06], base, { maxRegressionPct: 10, rule })).toMatchObject({
      verdict: 'no change',
    });
    expect(small.verdict).toBe('regression');
    const within = compareTrials([1.05, 1.06, 1.04, 1.05, 1.07, 1.16], base, { maxRegressionPct: 8, rule });
    expect(within.verdict).toBe('inconclusive');
    expect(within.reason).toContain('a real change (the interval excludes 1.00), the ratio within the allowed');
    // A large ratio whose interval holds 1 is not significant.
    const noisy = compareTrials([0.9, 1.3, 1.5, 0.95, 1.4, 1.2], base, { maxRegressionPct: 10, rule });
    expect(noisy.ratio).toBeGreaterThan(1.1);
    expect(noisy.low).toBeLessThanOrEqual(1);
    expect(noisy.verdict).toBe('inconclusive');
    expect(compareTrials([0.8, 0.82, 0.85, 0.8, 0.81, 0.79], base, { rule }).verdict).toBe('improvement');
  });

  it('is reproducible with the same seed and stream, and differs with another seed', () => {
    // Many trials and few resamples, so that the interval's ends visibly depend on the draws.
    const c = trials(5, 30, 1.1e6, 0.1);
    const b = trials(6, 30, 1e6, 0.1);
    const options = { seed: 42, resamples: 200 };
    const first = compareTrials(c, b, options, 'x');
    expect(compareTrials(c, b, options, 'x')).toEqual(first);
    const others = [compareTrials(c, b, { ...options, seed: 43 }, 'x'), compareTrials(c, b, options, 'y')];
    for (const other of others) expect([other.low, other.high]).not.toEqual([first.low, first.high]);
    expect(others.every((o) => o.ratio === first.ratio)).toBe(true);
  });

  it('cannot form a ratio over a zero baseline', () => {
    expect(compareTrials([1, 1, 1], [0, 1, 1]).reason).toContain('zero or negative');
  });
});

describe('compareTrialRuns with best-run-beyond-band', () => {
  const rule = 'best-run-beyond-band' as const;
  /** A run of 5 trials around `center`, 0.5% apart. */
  const run = (center: number): number[] => [0.99, 0.995, 1, 1.005, 1.01].map((f) => center * f);
  const baseline = [run(1), run(1.01), run(0.99)];

  it('flags a shift of every run beyond the band, and reports the best runs ratio', () => {
    const result = compareTrialRuns([run(1.25), run(1.26), run(1.24)], baseline, { rule });
    expect(result.bestRunRatio).toBeCloseTo(1.24 / 0.99, 10);
    expect(result.low).toBeGreaterThan(1);
    expect(result.verdict).toBe('regression');
    expect(result.reason).toContain("the interval lies above 1.00 and the best runs' ratio 1.253 above 1.10");
  });

  it('does not flag a side whose pooled median moved past the band only through its slower runs', () => {
    // Two of three candidate runs disturbed: a real change (every resample lies above 1) whose
    // pooled ratio is beyond the band, while the best runs differ by 5%.
    const candidate = [run(1.04), run(1.16), run(1.17)];
    const result = compareTrialRuns(candidate, baseline, { rule });
    expect(result.ratio).toBeGreaterThan(1.1);
    expect(result.low).toBeGreaterThan(1);
    expect(result.bestRunRatio).toBeCloseTo(1.04 / 0.99, 10);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toContain('a real change (the interval excludes 1.00)');
    expect(compareTrialRuns(candidate, baseline, { rule: 'significant-beyond-band' }).verdict).toBe('regression');
  });

  it('says so when the best runs point the other way from the interval', () => {
    // The interval lies above 1 (one fast run of eight rarely dominates a resample), yet the
    // candidate's best run is 15% faster than the baseline's.
    const candidate = [run(0.85), ...[1.2, 1.21, 1.2, 1.22, 1.21, 1.2, 1.21].map(run)];
    const result = compareTrialRuns(candidate, [1, 1.01, 1.02, 1, 1.01, 1, 1.02, 1.01].map(run), { rule });
    expect(result.low).toBeGreaterThan(1);
    expect(result.bestRunRatio).toBeLessThan(0.9);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toContain('beyond the band on the other side of 1.00 from the interval');
  });

  it('does not flag a best-run ratio beyond the band when the interval holds 1', () => {
    // The baseline's best run is unusually fast; the others match the candidate's.
    const result = compareTrialRuns([run(1), run(1.01), run(1)], [run(0.85), run(1), run(1.01)], { rule });
    expect(result.bestRunRatio).toBeGreaterThan(1.1);
    expect(result.low).toBeLessThanOrEqual(1);
    expect(result.verdict).toBe('inconclusive');
  });

  it('calls the mirror image an improvement, and with one run on a side judges by the whole interval', () => {
    expect(compareTrialRuns([run(0.8), run(0.79), run(0.81)], baseline, { rule }).verdict).toBe('improvement');
    // significant for criterion.rs's rule, inconclusive for the interval rule: no best of several runs here.
    const shifted = [1.03, 1.08, 1.12, 1.12, 1.16, 1.2];
    const base = [1, 1.01, 0.99, 1, 1.02, 0.98];
    expect(compareTrialRuns([shifted], [base], { rule: 'significant-beyond-band' }).verdict).toBe('regression');
    for (const [candidate, baselineRuns] of [
      [[shifted], [base]],
      [[shifted], baseline],
      [[run(1.3), run(1.3)], [base]],
    ] as const) {
      const best = compareTrialRuns(candidate, baselineRuns, { rule });
      const strict = compareTrialRuns(candidate, baselineRuns, { rule: 'interval-beyond-band' });
      expect(best.verdict).toBe(strict.verdict);
      expect(best.bestRunRatio).toBeNull();
      expect(best.reason).toContain('(one run on a side: judged by the whole interval)');
    }
    expect(compareTrialRuns([shifted], [base], { rule }).verdict).toBe('inconclusive');
  });

  it('is a rule the command line accepts, with its text', () => {
    expect(parseDecisionRule('best-run-beyond-band')).toBe(rule);
    expect(regressionRuleText(rule, 10)).toBe("the interval lies above 1.00 and the best runs' ratio above 1.10");
  });
});

describe('compareTrialRuns with paired runs', () => {
  /** A run of 5 trials around `center`, 1% apart. */
  const run = (center: number): number[] => [0.98, 0.99, 1, 1.01, 1.02].map((f) => center * f);
  // The machine slows down from pair to pair (a drift both runs of a pair share): 1x, 1.3x, ... 2.5x.
  const drift = [1, 1.3, 1.6, 1.9, 2.2, 2.5];
  const baseline = drift.map(run);
  const candidate = drift.map((d) => run(1.2 * d));

  it('sees through noise both runs of a pair share, which an unpaired interval cannot', () => {
    const paired = compareTrialRuns(candidate, baseline, { paired: true });
    const unpaired = compareTrialRuns(candidate, baseline);
    expect(paired.ratio).toBe(unpaired.ratio);
    expect(paired.low).toBeGreaterThan(1.1);
    expect(paired.verdict).toBe('regression');
    expect(paired.reason).toContain('of 6 vs 6 paired runs');
    expect(unpaired.low).toBeLessThan(1);
    expect(unpaired.verdict).toBe('inconclusive');
    expect(unpaired.reason).toContain('of 6 vs 6 runs');
  });

  it('does not flag an unchanged candidate under the same drift', () => {
    const same = compareTrialRuns(
      drift.map((d) => run(d * 1.01)),
      baseline,
      { paired: true },
    );
    expect(same.verdict).toBe('no change');
  });

  it('keeps an interval wide enough for noise inside the pairs: 40 unchanged data sets, no regression', () => {
    // Each pair shares a slowdown of up to 2.5x; each run has 6% noise of its own.
    const verdicts = Array.from({ length: 40 }, (_, k) => {
      const rng = new SeededRandom(100 + k);
      const shared = Array.from({ length: 6 }, () => 1 + 1.5 * rng.nextFloat());
      const side = (): number[][] => shared.map((d) => run(d * (1 + 0.06 * rng.nextGaussian())));
      const result = compareTrialRuns(side(), side(), { paired: true }, `aa-${k}`);
      expect((result.high ?? 0) - (result.low ?? 0)).toBeGreaterThan(0.01);
      return result.verdict;
    });
    expect(verdicts.filter((v) => v === 'regression' || v === 'improvement')).toEqual([]);
  });

  it('pairs only sides with the same number of runs, and drops a pair whose one side has no figure', () => {
    const uneven = compareTrialRuns(candidate.slice(0, 5), baseline, { paired: true });
    expect(uneven.reason).toContain('of 5 vs 6 runs');
    const gap = compareTrialRuns([[Number.NaN], ...candidate.slice(1)], baseline, { paired: true });
    expect(gap.reason).toContain('over 25 vs 25 trials of 5 vs 5 paired runs');
    expect(gap.verdict).toBe('regression');
  });
});

describe('resolveCompareOptions', () => {
  it('reports every bad option at once as a ConfigError', () => {
    let caught: unknown;
    try {
      resolveCompareOptions({
        maxRegressionPct: 150,
        minTrials: 1,
        resamples: 10,
        confidence: 1,
        seed: 0.5,
        paired: 'yes' as never,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toHaveLength(6);
    expect(() => resolveCompareOptions({ rule: 'loose' as never })).toThrow(
      expect.objectContaining({ problems: [expect.stringMatching(/^decision rule must be one of/)] }),
    );
  });

  it('fills in the defaults', () => {
    expect(resolveCompareOptions()).toEqual({
      maxRegressionPct: 10,
      rule: 'best-run-beyond-band',
      minTrials: 3,
      resamples: 2000,
      confidence: 0.95,
      seed: 1,
      paired: false,
    });
  });
});
