import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../core/run-summary.ts';
import type { AbExperimentResult } from '../run/ab-experiment.ts';
import { calibrationOf, formatCalibration } from './calibrate.ts';

/** A run whose hit.signal and other.metric have the given per-trial p50s (ns). */
function run(hit: number[], other: number[]): RunSummary {
  const trials = (xs: number[]) =>
    xs.map((x) => ({
      count: 20_000,
      minNs: x,
      meanNs: x,
      stddevNs: 0,
      p50Ns: x,
      p90Ns: x,
      p99Ns: x,
      p999Ns: x,
      maxNs: x,
    }));
  return {
    scenarios: [
      {
        id: 's',
        status: 'ok',
        metrics: { 'hit.signal': { trials: trials(hit) }, 'other.metric': { trials: trials(other) } },
      },
    ],
  } as unknown as RunSummary;
}

function experiment(pairs: [RunSummary, RunSummary][]): AbExperimentResult {
  return { a: pairs.map((p) => p[0]), b: pairs.map((p) => p[1]), aDirs: [], bDirs: [], orders: [], interrupted: false };
}

describe('calibrationOf', () => {
  it('counts a pair as flagged when any comparison is a regression, and the watched metric separately', () => {
    const same = run([100, 101, 99, 100, 102, 98], [50, 51, 49, 50, 52, 48]);
    const slowerHit = run([200, 201, 199, 200, 202, 198], [50, 51, 49, 50, 52, 48]);
    const slowerOther = run([100, 101, 99, 100, 102, 98], [90, 91, 89, 90, 92, 88]);
    const { stats } = calibrationOf(
      experiment([
        [same, same],
        [same, slowerHit],
        [same, slowerOther],
      ]),
      10,
    );
    expect(stats.pairs).toBe(3);
    expect(stats.pairsFlagged).toBe(2);
    expect(stats.watchedFlagged).toBe(1);
    expect(stats.comparisons).toBe(3 * 2 * 4);
    // slowerHit: 4 percentiles of hit.signal; slowerOther: 4 of other.metric.
    expect(stats.comparisonsFlagged).toBe(8);
  });

  it('formats rates with their counts', () => {
    const text = formatCalibration(
      { pairs: 20, pairsFlagged: 1, comparisons: 800, comparisonsFlagged: 2, watchedFlagged: 0, inconclusive: 100 },
      { pairs: 20, pairsFlagged: 20, comparisons: 800, comparisonsFlagged: 300, watchedFlagged: 19, inconclusive: 10 },
      1,
      10,
    );
    expect(text).toContain('false-positive rate per pair (any regression flagged): 5.0% (1/20)');
    expect(text).toContain('detection rate on hit.signal p50:                 95.0% (19/20)');
  });
});
