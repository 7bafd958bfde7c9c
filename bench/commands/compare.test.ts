import { describe, expect, it } from 'vitest';
import { compareRuns } from '../gate/baseline-compare.ts';
import { latencySummary, runOf, scenario } from '../gate/synthetic-run.fixture.ts';
import type { MetricReport } from '../core/run-summary.ts';
import { formatComparison } from './compare.ts';

/** A metric of 8 trials with `samples` values each (few samples: only the low percentiles compare). */
function metric(p50sNs: readonly number[], samples: number): MetricReport {
  return {
    unit: 'ns',
    summary: latencySummary(p50sNs[0]!, samples * p50sNs.length),
    trials: p50sNs.map((p50) => latencySummary(p50, samples)),
    clamped: 0,
    invalid: 0,
    files: { hgrm: 'x.hgrm', hlog: 'x.hlog' },
  };
}

const trialsA = [100, 102, 98, 101, 99, 100, 103, 97].map((us) => us * 1_000);

describe('rpb compare output', () => {
  it('lists only the compared rows, and the rest grouped by statistic with the reason', () => {
    const runA = runOf([scenario('s', { metrics: { m1: metric(trialsA, 40), m2: metric(trialsA, 40) } })]);
    const runB = runOf([scenario('s', { metrics: { m1: metric(trialsA, 40), m2: metric(trialsA, 40) } })]);
    const { comparisons } = compareRuns(runB, runA, { maxRegressionPct: 0 });
    const text = formatComparison(
      comparisons,
      { label: 'A', text: '', overrides: {} },
      { label: 'B', text: '', overrides: {} },
      { a: [runA], b: [runB], aDirs: [], bDirs: [], orders: ['AB'], interrupted: false },
    );
    const tableRows = text.split('\n').filter((line) => /^m[12] /.test(line));
    expect(tableRows.map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual(['m1 p50', 'm2 p50']);
    for (const row of tableRows) expect(row).toMatch(/not significant$/);
    expect(text).not.toMatch(/—\s+not compared/);
    // One run a side: the best runs' column is empty.
    for (const row of tableRows) expect(row.split(/\s{2,}/)[5]).toBe('—');
    expect(text).toMatch(/^ {2}p99 of 2 metrics: too few samples per trial \(fewest 40, needs \d+\)$/m);
  });

  it("shows the best runs' ratio B/A with several runs a side", () => {
    const runs = (factor: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        runOf([
          scenario('s', {
            metrics: {
              m1: metric(
                trialsA.map((t) => t * factor * (1 + i / 10)),
                40,
              ),
            },
          }),
        ]),
      );
    const a = runs(1, 3);
    const b = runs(1.5, 3);
    const { comparisons } = compareRuns(b, a, { maxRegressionPct: 10 });
    const text = formatComparison(
      comparisons,
      { label: 'A', text: '', overrides: {} },
      { label: 'B', text: '', overrides: {} },
      { a, b, aDirs: [], bDirs: [], orders: ['AB', 'BA', 'AB'], interrupted: false },
    );
    expect(text.split('\n').find((l) => l.startsWith('metric'))).toMatch(/B\/A +best runs +95% interval/);
    const row = text.split('\n').find((l) => l.startsWith('m1 '));
    expect(row?.split(/\s{2,}/)[5]).toBe('1.500');
  });
});
