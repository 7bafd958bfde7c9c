import { describe, expect, it } from 'vitest';
import { EXAMPLE_CLAIM_IDS, judgeExample } from './document-example-verdicts.ts';

const CONDITIONS = 'loopback; 1 ms added per round trip through the fault proxy';

describe('judgeExample', () => {
  it('judges each claim on its own figure per round, the rounds being the trials', () => {
    const rounds = [
      { speedup: 4.5, sequentialMs: 6.3, pipelineMs: 1.4 },
      { speedup: 4.8, sequentialMs: 6.1, pipelineMs: 1.27 },
      { speedup: 4.6, sequentialMs: 6.4, pipelineMs: 1.39 },
      { speedup: 4.7, sequentialMs: 6.2, pipelineMs: 1.33 },
      { speedup: 4.4, sequentialMs: 6.5, pipelineMs: 1.45 },
      { speedup: 4.9, sequentialMs: 6.0, pipelineMs: 1.25 },
    ];
    const { verdicts, trials } = judgeExample(rounds, CONDITIONS, 'unused');
    expect(verdicts.map((v) => v.claimId)).toEqual(EXAMPLE_CLAIM_IDS);
    expect(trials).toEqual({
      'optimization.pipeline-5-gets': [4.5, 4.8, 4.6, 4.7, 4.4, 4.9],
      'optimization.pipeline-sequential-5ms': [6.3, 6.1, 6.4, 6.2, 6.5, 6.0],
      'optimization.pipeline-1ms': [1.4, 1.27, 1.39, 1.33, 1.45, 1.25],
    });
    for (const verdict of verdicts) {
      expect(verdict.trials, verdict.claimId).toBe(6);
      expect(verdict.conditions).toBe(CONDITIONS);
      expect(verdict.ruleText, verdict.claimId).toMatch(/^within 2x of /);
      expect(verdict.thresholdSource, verdict.claimId).toBe('document');
    }
    // Every figure lies within 2x of the document's 5x, 5 ms and 1 ms.
    expect(verdicts.map((v) => v.outcome)).toEqual(['holds', 'holds', 'holds']);
  });

  it('says which way a figure outside 2x errs, per claim', () => {
    const rounds = Array.from({ length: 6 }, () => ({ speedup: 2, sequentialMs: 12, pipelineMs: 0.4 }));
    const { verdicts } = judgeExample(rounds, CONDITIONS, 'unused');
    expect(verdicts.map((v) => [v.outcome, v.direction])).toEqual([
      ['does not hold', 'worse'],
      ['does not hold', 'worse'],
      // "About 1 ms" is two-sided: 0.4 ms is faster than the document says, and outside 2x all the same.
      ['does not hold', 'better'],
    ]);
  });

  it('counts failed rounds and does not use them', () => {
    const rounds = [
      { speedup: 5, sequentialMs: 5, pipelineMs: 1 },
      { speedup: Number.NaN, sequentialMs: 5, pipelineMs: Number.NaN },
      { speedup: 5, sequentialMs: 5, pipelineMs: 1 },
    ];
    const { verdicts } = judgeExample(rounds, CONDITIONS, 'unused');
    expect(verdicts.map((v) => [v.trials, v.failedTrials])).toEqual([
      [2, 1],
      [3, 0],
      [2, 1],
    ]);
  });

  it('lists every claim as not measured, with the reason, when the cell was not run', () => {
    const { verdicts, trials } = judgeExample(null, CONDITIONS, 'batch 5 at +1ms was not part of this run');
    expect(verdicts.map((v) => v.outcome)).toEqual(['not measured', 'not measured', 'not measured']);
    expect(verdicts[0].explanation).toBe('batch 5 at +1ms was not part of this run');
    expect(Object.values(trials)).toEqual([[], [], []]);
  });
});
