import { describe, expect, it } from 'vitest';
import { liveChildPids } from '../core/cleanup-registry.ts';
import { openLoopRateSuite, OPEN_LOOP_RATE_CELLS, silentMisses } from './open-loop-rate.bench.ts';
import { checkSpeedTargets } from './speed-targets.ts';

/** Tiny rates: the plumbing (threads, merge, figures, the warning), not the machine's speed. */
describe('open-loop-rate suite', () => {
  it('runs each cell in 1 and 2 workers on a Redis of its own and records every completed GET once', async () => {
    const results = await openLoopRateSuite(
      { timeMs: 1_000, warmupTimeMs: 100 },
      { ...OPEN_LOOP_RATE_CELLS, perWorkerRates: [200] },
    );
    expect(results.map((r) => r.id)).toEqual(['rate-200-w1', 'rate-200-w2']);
    for (const [i, result] of results.entries()) {
      const f = result.figures!;
      expect(f.targetRate).toBe(200 * (i + 1));
      expect(f.failed).toBe(0);
      expect(f.recorded).toBe(f.ok);
      expect(f.ok).toBe(f.sent);
      // A loaded machine may fall behind a little; it must then say so.
      expect(f.heldFraction).toBeGreaterThan(0.5);
      expect(Math.abs(f.sent - (f.achievedRate * f.durationMs) / 1_000)).toBeLessThanOrEqual(f.sent * 0.02 + 2);
      if (f.missed === 1) expect(f.warnedFellBehind).toBe(1);
      expect(result.medianNs).toBeGreaterThan(0);
    }
    expect(silentMisses(results)).toBe(0);
    expect(liveChildPids()).toEqual([]);
  });

  it('a rate no machine reaches: the cell is a miss and the engine says it fell behind', async () => {
    const [result] = await openLoopRateSuite(
      { timeMs: 1_000, warmupTimeMs: 0 },
      { ...OPEN_LOOP_RATE_CELLS, perWorkerRates: [5_000_000], workers: [1], maxInFlightPerWorker: 4 },
    );
    expect(result!.figures!.missed).toBe(1);
    expect(result!.figures!.warnedFellBehind).toBe(1);
    expect(result!.task).toMatch(/MISSED, and the engine warned "fell behind"/);
    expect(checkSpeedTargets([result!]).find((c) => c.target.id === 'open-loop-says-when-behind')).toMatchObject({
      measured: 0,
      met: true,
    });
    expect(liveChildPids()).toEqual([]);
  });
});
