import { describe, expect, it } from 'vitest';
import type { MetricReport } from '../core/run-summary.ts';
import { compareRuns } from './baseline-compare.ts';
import { metricFromTrials, runOf, scenario } from './synthetic-run.fixture.ts';

const BASE = [1.0e6, 1.02e6, 0.98e6, 1.01e6, 0.99e6, 1.03e6, 0.97e6];
const scaled = (factor: number): number[] => BASE.map((x, i) => x * factor * (1 + ((i % 3) - 1) * 0.01));

describe('compareRuns', () => {
  it('compares p50, p90, p99 and p999 of every metric present in both runs, over trials', () => {
    const baseline = runOf([
      scenario('miss-vs-hit', {
        metrics: {
          'hit.signal': metricFromTrials(BASE),
          'miss.signal': metricFromTrials(BASE),
          'old.metric': metricFromTrials(BASE),
        },
      }),
      scenario('gone'),
    ]);
    const candidate = runOf([
      scenario('miss-vs-hit', {
        metrics: {
          'hit.signal': metricFromTrials(scaled(1.3)),
          'miss.signal': metricFromTrials(scaled(1)),
          'new.metric': metricFromTrials(BASE),
        },
      }),
      scenario('fresh'),
    ]);
    const report = compareRuns(candidate, baseline, { maxRegressionPct: 10 });
    expect(report.comparisons.map((c) => `${c.metric}.${c.percentile}:${c.verdict}`)).toEqual([
      'hit.signal.p50:regression',
      'hit.signal.p90:regression',
      'hit.signal.p99:regression',
      'hit.signal.p999:regression',
      'miss.signal.p50:no change',
      'miss.signal.p90:no change',
      'miss.signal.p99:no change',
      'miss.signal.p999:no change',
    ]);
    const p99 = report.comparisons[2];
    // The fixture's p99 is 3 x p50 in every trial: the median of the baseline's per-trial p99 is 3 x 1 ms.
    expect(p99.baselineMedian).toBe(3e6);
    expect(p99.ratio).toBeCloseTo(1.3, 1);
    expect(p99.candidateTrials).toBe(7);
    expect(report.notes).toEqual([
      'scenario fresh is not in the baseline: not compared',
      'scenario gone is in the baseline only: not compared',
      'miss-vs-hit.new.metric is not in the baseline: not compared',
      'miss-vs-hit.old.metric is in the baseline only: not compared',
    ]);
    expect(report.method).toContain('Efron & Tibshirani 1993');
    expect(report.options.resamples).toBe(2000);
  });

  it('does not depend on the order of metrics (each comparison has its own random stream)', () => {
    const noisy = (seed: number): number[] => BASE.map((x, i) => x * (1 + 0.08 * Math.sin(seed + i * 1.7)));
    const a = { x: metricFromTrials(noisy(1)), y: metricFromTrials(noisy(2)) };
    const b = { x: metricFromTrials(noisy(3)), y: metricFromTrials(noisy(4)) };
    const forward = compareRuns(runOf([scenario('s', { metrics: a })]), runOf([scenario('s', { metrics: b })]));
    const reversed = compareRuns(
      runOf([scenario('s', { metrics: { y: a.y, x: a.x } })]),
      runOf([scenario('s', { metrics: { y: b.y, x: b.x } })]),
    );
    const key = (c: { metric: string; percentile: string }): string => `${c.metric}.${c.percentile}`;
    const byKey = new Map(reversed.comparisons.map((c) => [key(c), c]));
    for (const c of forward.comparisons) expect(byKey.get(key(c))).toEqual(c);
  });

  it('is inconclusive for summaries without per-trial figures, and says to re-run', () => {
    const { trials: _dropped, ...withoutTrials } = metricFromTrials(BASE);
    const old = runOf([scenario('s', { metrics: { m: withoutTrials as unknown as MetricReport } })]);
    const report = compareRuns(old, runOf([scenario('s', { metrics: { m: metricFromTrials(BASE) } })]));
    expect(report.comparisons.every((c) => c.verdict === 'inconclusive' && c.candidateTrials === 0)).toBe(true);
    expect(report.notes).toContain(
      'the candidate summary has no per-trial figures (written before per-trial histograms): run it again',
    );
  });

  it('keeps paired runs aligned when a run lacks a metric, and never pairs sides of different sizes', () => {
    const run = (factor: number, withMetric = true): ReturnType<typeof runOf> =>
      runOf([scenario('s', { metrics: withMetric ? { m: metricFromTrials(scaled(factor)) } : {} })]);
    // Three pairs; the second candidate run lacks the metric, so its baseline partner leaves too.
    const paired = compareRuns([run(1.3), run(1.3, false), run(1.3)], [run(1), run(1.5), run(1)], { paired: true });
    const p50 = paired.comparisons.find((c) => c.percentile === 'p50');
    expect(p50?.reason).toContain('over 14 vs 14 trials of 2 vs 2 paired runs');
    // Three candidate runs against two: dropping the one without the metric evens the counts, but
    // the runs were not measured in pairs, so they are not judged as pairs.
    const uneven = compareRuns([run(1.3), run(1.3, false), run(1.3)], [run(1), run(1)], { paired: true });
    expect(uneven.comparisons.find((c) => c.percentile === 'p50')?.reason).toContain('of 2 vs 2 runs');
  });

  it('notes a scenario that did not finish ok and still compares what was recorded', () => {
    const candidate = runOf([scenario('s', { status: 'failed', metrics: { m: metricFromTrials(BASE) } })]);
    const report = compareRuns(candidate, runOf([scenario('s', { metrics: { m: metricFromTrials(BASE) } })]));
    expect(report.notes).toEqual(['scenario s: candidate failed, baseline ok; compared on what was recorded']);
    expect(report.comparisons.every((c) => c.verdict === 'no change')).toBe(true);
  });
});
