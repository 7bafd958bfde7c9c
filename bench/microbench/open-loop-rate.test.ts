import { describe, expect, it } from 'vitest';
import { cellDurations, OPEN_LOOP_RATE_SUITE, rateShortfallAtTarget, silentMisses } from './open-loop-rate.bench.ts';
import type { MicroResult } from './run-bench.ts';
import { checkSpeedTargets } from './speed-targets.ts';

function cell(perWorkerRate: number, workers: number, held: number, warned: boolean): MicroResult {
  const missed = held < 0.99;
  return {
    suite: OPEN_LOOP_RATE_SUITE,
    id: `rate-${perWorkerRate}-w${workers}`,
    task: 'cell',
    samples: 1,
    medianNs: 1,
    meanNs: 1,
    p99Ns: 1,
    figures: {
      perWorkerRate,
      workers,
      heldFraction: held,
      shortfallPercent: Math.max(0, 1 - held) * 100,
      missed: missed ? 1 : 0,
      warnedFellBehind: warned ? 1 : 0,
    },
  };
}

const check = (results: MicroResult[], id: string) => checkSpeedTargets(results).find((c) => c.target.id === id);

describe('open-loop rate speed targets', () => {
  it('takes the worst 20k/s-per-worker cell, whatever the lower rates did', () => {
    const results = [cell(5_000, 1, 0.95, true), cell(20_000, 1, 0.999, false), cell(20_000, 2, 0.985, true)];
    expect(rateShortfallAtTarget(results)).toBeCloseTo(1.5, 9);
    expect(check(results, 'open-loop-rate-20k')).toMatchObject({ met: false });
    const held = check([cell(20_000, 1, 1.0001, false), cell(20_000, 2, 0.995, false)], 'open-loop-rate-20k');
    expect(held?.met).toBe(true);
    expect(held?.measured).toBeCloseTo(0.5, 9);
  });

  it('counts misses the engine did not report: a warned miss is fine, a silent one fails the target', () => {
    expect(silentMisses([cell(20_000, 2, 0.9, true), cell(10_000, 1, 1, false)])).toBe(0);
    expect(check([cell(20_000, 2, 0.9, true)], 'open-loop-says-when-behind')).toMatchObject({ measured: 0, met: true });
    expect(
      check([cell(20_000, 2, 0.9, false), cell(5_000, 1, 0.5, false)], 'open-loop-says-when-behind'),
    ).toMatchObject({ measured: 2, met: false });
  });

  it('leaves both targets out when the suite did not run, and bounds the cell durations', () => {
    expect(check([], 'open-loop-rate-20k')).toBeUndefined();
    expect(check([], 'open-loop-says-when-behind')).toBeUndefined();
    expect(cellDurations({ timeMs: 50, warmupTimeMs: 5_000 })).toEqual({ durationMs: 1_000, warmupMs: 1_000 });
    expect(cellDurations({ timeMs: 600_000, warmupTimeMs: 500 })).toEqual({ durationMs: 10_000, warmupMs: 500 });
  });
});
