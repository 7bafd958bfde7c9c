import { describe, expect, it } from 'vitest';
import { runRounds } from './round-runner.ts';

const plan = {
  rounds: 3,
  roundDurationMs: 0,
  minIterationsPerRound: 4,
  maxIterationsPerRound: 10,
  warmupDurationMs: 0,
  warmupIterations: 2,
};

describe('runRounds', () => {
  it('runs warm-up first, then every round with at least the minimum iterations', async () => {
    const calls: number[] = [];
    const events: string[] = [];
    const result = await runRounds(plan, new AbortController().signal, {
      iterate: async (round) => {
        calls.push(round);
      },
      onWarmupDone: () => events.push('warm'),
      onRoundDone: (round, n) => events.push(`round${round}:${n}`),
    });
    expect(calls).toEqual([-1, -1, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(events).toEqual(['warm', 'round0:4', 'round1:4', 'round2:4']);
    expect(result).toEqual({ warmupIterations: 2, iterationsPerRound: [4, 4, 4], interrupted: false });
  });

  it('caps a round at the maximum iterations even when time remains', async () => {
    const result = await runRounds({ ...plan, rounds: 1, roundDurationMs: 60_000 }, new AbortController().signal, {
      iterate: async () => {},
      onWarmupDone: () => {},
      onRoundDone: () => {},
    });
    expect(result.iterationsPerRound).toEqual([10]);
  });

  it('stops when aborted and reports the interruption', async () => {
    const controller = new AbortController();
    let count = 0;
    const result = await runRounds(
      { ...plan, roundDurationMs: 60_000, maxIterationsPerRound: 1_000_000 },
      controller.signal,
      {
        iterate: async () => {
          count += 1;
          if (count === 7) controller.abort();
        },
        onWarmupDone: () => {},
        onRoundDone: () => {},
      },
    );
    expect(result.interrupted).toBe(true);
    expect(count).toBe(7);
    // Warm-up took 2, round 0 was cut short after 5: it is not reported as a finished round.
    expect(result.iterationsPerRound).toEqual([]);
  });
});
