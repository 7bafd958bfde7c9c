import { describe, expect, it } from 'vitest';
import { RecorderSet } from '../measure/recorder-set.ts';
import type { LoadPhase } from './load-phase.ts';
import { runWarmup } from './warm-up.ts';
import { Wakeup } from './wakeup.ts';

describe('runWarmup', () => {
  it('runs the load for the warm-up, drains it, then drops what it left in the recorders', async () => {
    const recorders = new RecorderSet();
    recorders.metric('op').recordNs(1_000);
    const runs: number[] = [];
    let phaseSeen: LoadPhase | undefined;
    const wakeup = new Wakeup();
    await runWarmup(
      {
        warmupDurationMs: 30,
        drainTimeoutMs: 1_000,
        wakeup,
        run: (phase, durationMs) => {
          runs.push(durationMs);
          phaseSeen = phase;
          phase.started();
          setTimeout(() => phase.succeeded(), 10);
          return Promise.resolve();
        },
      },
      recorders,
      undefined,
    );
    expect(runs).toEqual([30]);
    expect(phaseSeen).toMatchObject({ sent: 1, ok: 1, pending: 0, abandoned: 0, closed: true });
    expect(recorders.metric('op').total().totalCount).toBe(0);
  });

  it('does nothing with a zero warm-up', async () => {
    const recorders = new RecorderSet();
    recorders.metric('op').recordNs(1_000);
    let ran = false;
    await runWarmup(
      {
        warmupDurationMs: 0,
        drainTimeoutMs: 1_000,
        wakeup: new Wakeup(),
        run: () => {
          ran = true;
          return Promise.resolve();
        },
      },
      recorders,
      undefined,
    );
    expect(ran).toBe(false);
    expect(recorders.metric('op').total().totalCount).toBe(1);
  });
});
