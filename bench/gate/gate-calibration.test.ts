import { describe, expect, it } from 'vitest';
import { resolveCompareOptions } from './trial-comparison.ts';
import {
  binomialRate,
  calibrationTable,
  CANARIES,
  formatCalibrationTable,
  judgeProbePair,
} from './gate-calibration.ts';
import type { CalibrationBlock, ProbeRunFigures } from './gate-calibration.ts';

/** A probe run whose trials have p50 = x, the other percentiles scaled from it, and 5000 requests each. */
function run(p50Us: readonly number[], tailFactor = 2, timeFactor = 1.1): ProbeRunFigures {
  return {
    trials: p50Us.map((x) => ({
      latency: {
        count: 5_000,
        minNs: x * 500,
        meanNs: x * 1_000,
        stddevNs: x * 100,
        p50Ns: x * 1_000,
        p90Ns: x * 1_300,
        p99Ns: x * 1_000 * tailFactor,
        p999Ns: x * 3_000,
        maxNs: x * 4_000,
      },
      timePerRequestNs: x * 1_000 * timeFactor,
    })),
  };
}

const steady = [40, 41, 39, 40, 42, 38, 40, 41];
const gate = resolveCompareOptions({ maxRegressionPct: 10, confidence: 0.95 });

describe('binomialRate (Clopper-Pearson)', () => {
  it('gives the exact bounds for 0, some and all', () => {
    const none = binomialRate(0, 200);
    expect(none.low).toBe(0);
    // 1 - 0.025^(1/200)
    expect(none.high).toBeCloseTo(1 - 0.025 ** (1 / 200), 6);
    // one-sided: 1 - 0.05^(1/200) = 1.49%, the bound "false alarms <= 3%" is read against
    expect(none.upper).toBeCloseTo(1 - 0.05 ** (1 / 200), 6);
    const all = binomialRate(20, 20);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.025 ** (1 / 20), 6);
    const some = binomialRate(5, 100);
    expect(some.rate).toBe(0.05);
    expect(some.low).toBeGreaterThan(0.01);
    expect(some.low).toBeLessThan(0.05);
    expect(some.high).toBeGreaterThan(0.05);
    expect(some.high).toBeLessThan(0.12);
  });

  it('refuses counts outside 0..of', () => {
    expect(() => binomialRate(3, 2)).toThrow(/0 <= count <= of/);
    expect(() => binomialRate(0, 0)).toThrow(/of >= 1/);
  });
});

describe('judgeProbePair', () => {
  it('compares p50, p90 and p99 (p99.9 needs 10000 requests per trial) and the time per request', () => {
    const comparisons = judgeProbePair(run(steady), run(steady), gate);
    const compared = comparisons.filter((c) => c.ratio !== null).map((c) => c.percentile);
    expect(compared).toEqual(['p50', 'p90', 'p99', 'time-per-op']);
    expect(comparisons.find((c) => c.percentile === 'p999')?.reason).toMatch(/too few samples/);
    expect(comparisons.every((c) => c.verdict !== 'regression')).toBe(true);
  });

  it('flags a run 30% slower on every statistic', () => {
    const slower = run(steady.map((x) => x * 1.3));
    const flagged = judgeProbePair(slower, run(steady), gate).filter((c) => c.verdict === 'regression');
    expect(flagged.map((c) => c.percentile)).toEqual(['p50', 'p90', 'p99', 'time-per-op']);
  });

  it('flags only the tail when only p99 moved', () => {
    const tail = run(steady, 2.6);
    const flagged = judgeProbePair(tail, run(steady), gate).filter((c) => c.verdict === 'regression');
    expect(flagged.map((c) => c.percentile)).toEqual(['p99']);
  });
});

describe('calibrationTable', () => {
  const slow = steady.map((x) => x * 1.3);
  /** Three runs per variant; A2 and A4 as given, the canaries 30% slower except the p99 one (unchanged). */
  function block(a2: readonly number[], a4: readonly number[] = steady): CalibrationBlock {
    const three = (xs: readonly number[]): ProbeRunFigures[] => [run(xs), run(xs), run(xs)];
    const runs: Record<string, ProbeRunFigures[]> = {
      A: three(steady),
      A2: three(a2),
      A3: three(steady),
      A4: three(a4),
    };
    for (const c of CANARIES) runs[c.name] = three(c.name === 'p99+20%' ? steady : slow);
    return { order: Object.keys(runs), runs };
  }

  it('counts two A/A decisions per block, a failed one as a false alarm, and a canary by its watched statistic', () => {
    const blocks = [block(steady), block(steady, slow), block(steady), block(steady)];
    const table = calibrationTable(blocks, CANARIES, gate);
    expect(table.aa.falseAlarms.count).toBe(1);
    expect(table.aa.falseAlarms.of).toBe(8);
    expect(table.aa.flaggedBy['hit p50']).toBe(1);
    const byName = Object.fromEntries(table.canaries.map((r) => [r.canary.name, r]));
    expect(byName['reply+1ms'].detected.count).toBe(4);
    expect(byName['throughput-20%'].detected.count).toBe(4);
    expect(byName['throughput-20%'].detected.of).toBe(4);
    // the p99 canary here did not move at all: never detected.
    expect(byName['p99+20%'].detected.count).toBe(0);
    expect(byName['p99+20%'].gateFailed.count).toBe(0);
    expect(table.method).toMatch(/^3 interleaved run\(s\) per side, 8 trials each; 4 statistics compared/);
    const text = formatCalibrationTable(table);
    expect(text).toContain('| A/A (same code twice): false alarms | 8 | 12.5% (1/8;');
    expect(text).toMatch(/one-sided upper 95% bound 47\.1%/);
    expect(text).toContain('A/A false alarms by statistic: hit p50 1');
  });

  it('counts the decisions in which the watched statistic was not compared, and says why', () => {
    const blocks = [block(steady), block(steady), block(steady)];
    // In the second block the p99 canary's trials are too short for a p99: 400 requests each.
    const short = (r: ProbeRunFigures): ProbeRunFigures => ({
      trials: r.trials.map((t) => ({ ...t, latency: { ...t.latency, count: 400 } })),
    });
    blocks[1] = { ...blocks[1], runs: { ...blocks[1].runs, 'p99+20%': blocks[1].runs['p99+20%'].map(short) } };
    const table = calibrationTable(blocks, CANARIES, gate);
    const p99 = table.canaries.find((r) => r.canary.name === 'p99+20%');
    expect(p99?.notCompared.count).toBe(1);
    expect(p99?.notCompared.example).toMatch(/too few samples per trial for p99 \(fewest 400, needs 1000\)/);
    expect(table.canaries.find((r) => r.canary.name === 'reply+1ms')?.notCompared.count).toBe(0);
    const lines = formatCalibrationTable(table).split('\n');
    expect(lines.filter((l) => /not compared in/.test(l))).toEqual([
      expect.stringMatching(
        /^p99\+20%: p99 not compared in 1 of 3 decisions, counted as not detected \(first: .*fewest 400/,
      ),
    ]);
  });

  it('judges canaries against A in even blocks and A3 in odd ones', () => {
    const slowA3 = block(steady);
    const runs = { ...slowA3.runs, A3: [run(slow), run(slow), run(slow)] };
    const table = calibrationTable([block(steady), { ...slowA3, runs }], CANARIES, gate);
    const reply = table.canaries.find((r) => r.canary.name === 'reply+1ms');
    // block 1's canary is no slower than its baseline A3: only block 0 detects it
    expect(reply?.detected.count).toBe(1);
  });

  it('is stricter with a wider band', () => {
    const a2 = steady.map((x) => x * 1.16);
    const blocks = [block(a2)];
    expect(calibrationTable(blocks, CANARIES, gate).aa.falseAlarms.count).toBe(1);
    const wider = resolveCompareOptions({ maxRegressionPct: 20, confidence: 0.95 });
    expect(calibrationTable(blocks, CANARIES, wider).aa.falseAlarms.count).toBe(0);
  });

  it('widens the interval when one run of a side is disturbed as a whole (runs resampled, not trials)', () => {
    const disturbed = [run(steady), run(steady.map((x) => x * 1.5)), run(steady)];
    const clustered = judgeProbePair(disturbed, [run(steady), run(steady), run(steady)], gate);
    const p50 = clustered.find((c) => c.percentile === 'p50');
    expect(p50?.verdict).not.toBe('regression');
    expect(p50?.high ?? 0).toBeGreaterThan(1.3);
  });
});
