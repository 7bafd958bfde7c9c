import { describe, expect, it } from 'vitest';
import { RecorderSet } from '../measure/recorder-set.ts';
import { MeasuredRounds } from './measured-rounds.ts';
import type { ScenarioContext } from './scenario.ts';

describe('MeasuredRounds', () => {
  it('drops warm-up samples, makes every finished round one trial and reports each round', async () => {
    const recorders = new RecorderSet();
    const lines: string[] = [];
    const context = {
      recorders,
      signal: new AbortController().signal,
      progress: (m: string) => lines.push(m),
      progressEvent: () => {},
    } as unknown as ScenarioContext;
    const plan = {
      rounds: 2,
      roundDurationMs: 0,
      minIterationsPerRound: 3,
      maxIterationsPerRound: 3,
      warmupDurationMs: 0,
      warmupIterations: 2,
    };
    const rounds = new MeasuredRounds(context, 's', plan);
    const seen: boolean[] = [];
    const done: number[] = [];
    await rounds.run({
      iterate: async (round) => {
        seen.push(rounds.measuring);
        recorders.metric('m').recordNs(round < 0 ? 1_000_000 : 1_000);
      },
      onRoundDone: (round) => done.push(round),
    });
    expect(seen).toEqual([false, false, true, true, true, true, true, true]);
    expect(done).toEqual([0, 1]);
    const trials = recorders.metric('m').trialHistograms();
    expect(trials.map((h) => h.totalCount)).toEqual([3, 3]);
    // The warm-up's 1 ms values are gone: only the 1 µs ones remain.
    expect(recorders.metric('m').total().maxValue).toBeLessThan(2_000);
    expect(lines).toEqual(['round 1/2: 3 iterations', 'round 2/2: 3 iterations']);
  });
});
