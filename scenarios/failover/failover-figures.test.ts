import { describe, expect, it } from 'vitest';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { failoverTimeline, failoverTrialFigures, recoveryMs, trialFigure } from './failover-figures.ts';
import type { FailoverOp } from './failover-figures.ts';

const MS = NS_PER_MS;
const op = (sendMs: number, doneMs: number, ok: boolean, write = true, affected = true): FailoverOp => ({
  sendNs: sendMs * MS,
  doneNs: doneMs * MS,
  ok,
  write,
  affected,
});

describe('recoveryMs', () => {
  it('is the completion of the first success sent after the last failure, from the kill', () => {
    const ops = [
      op(900, 901, true),
      op(1_000, 1_100, false),
      op(1_500, 1_600, false),
      op(1_550, 1_560, true),
      op(2_000, 2_100, false),
      op(2_500, 2_520, true),
      op(2_600, 2_610, true),
    ];
    // The success at 1550 came before a later failure: it does not count.
    expect(recoveryMs(ops, 1_000 * MS, true)).toBe(1_520);
  });

  it('is null when the affected writes never succeed again, and 0 when none failed', () => {
    expect(recoveryMs([op(1_000, 1_100, false), op(2_000, 2_100, false)], 1_000 * MS, true)).toBeNull();
    expect(recoveryMs([op(1_000, 1_001, true)], 1_000 * MS, true)).toBe(0);
  });

  it('ignores reads for writes, unaffected keys, and operations done before the kill', () => {
    const ops = [
      op(500, 600, false),
      op(1_200, 1_300, false, false),
      op(1_200, 1_300, false, true, false),
      op(1_400, 1_410, true),
    ];
    expect(recoveryMs(ops, 1_000 * MS, true)).toBe(0);
    expect(recoveryMs(ops, 1_000 * MS, false)).toBeNull();
  });
});

describe('failoverTrialFigures', () => {
  it('counts failures after the kill by kind and shard, and the latency before and during', () => {
    const ops = [
      op(0, 1, true),
      op(10, 12, true, false),
      op(1_000, 1_100, false),
      op(1_000, 1_100, false, false),
      op(1_050, 1_060, false, true, false),
      op(1_800, 1_850, true),
      op(1_900, 1_901, true, false),
    ];
    const figures = failoverTrialFigures(ops, 1_000 * MS);
    expect(figures.failedWrites).toBe(2);
    expect(figures.failedReads).toBe(1);
    expect(figures.failedUnaffected).toBe(1);
    expect(figures.failedBeforeKill).toBe(0);
    expect(figures.opsAfterKill).toBe(5);
    expect(figures.writeRecoveryMs).toBe(850);
    expect(figures.steadyP99Ms).toBe(2);
    expect(figures.duringP99Ms).toBe(50);
    expect(figures.duringMaxMs).toBe(50);
  });
});

describe('trialFigure', () => {
  it('is end to end: the whole outage from the kill, failure detection included', () => {
    // Killed at 1 s; with a 2 s detection setting, writes fail until 4.2 s and work from 4.3 s on.
    const ops = [
      op(900, 901, true),
      ...Array.from({ length: 32 }, (_, i) => op(1_000 + i * 100, 1_100 + i * 100, false)),
      op(4_300, 4_310, true),
      op(4_400, 4_405, true),
    ];
    const recovery = recoveryMs(ops, 1_000 * MS, true);
    expect(recovery).toBe(3_310);
    expect(trialFigure(recovery, 17_000, false)).toEqual({ ms: 3_310, censored: false });
  });

  it('censors a trial whose writes never recovered at the time the harness stopped waiting', () => {
    const ops = [op(900, 901, true), op(1_000, 1_100, false), op(17_900, 18_000, false)];
    const recovery = recoveryMs(ops, 1_000 * MS, true);
    expect(recovery).toBeNull();
    expect(trialFigure(recovery, 17_000, false)).toEqual({ ms: 17_000, censored: true });
  });

  it('gives no figure to a trial cut short by an interrupted run, recovered or not', () => {
    expect(trialFigure(null, 17_000, true).ms).toBeNaN();
    expect(trialFigure(2_500, 17_000, true).ms).toBeNaN();
  });
});

describe('failoverTimeline', () => {
  it('buckets operations by send second relative to the kill', () => {
    const timeline = failoverTimeline(
      [op(0, 1, true), op(1_500, 1_600, false), op(2_100, 2_200, false), op(3_100, 3_101, true)],
      2_000 * MS,
    );
    expect(timeline.second).toEqual([-2, -1, 0, 1]);
    expect(timeline.ok).toEqual([1, 0, 0, 1]);
    expect(timeline.failed).toEqual([0, 1, 1, 0]);
  });
});
