import { describe, expect, it } from 'vitest';
import type { RunSummary, ScenarioBlock } from '../core/run-summary.ts';
import { budgetText } from './run.ts';

const block = (index: number, part?: { index: number; of: number }): ScenarioBlock => ({
  index,
  startedAt: '2026-12-07T00:00:00Z',
  durationMs: 1_000,
  status: 'ok',
  ...(part !== undefined ? { part } : {}),
});

function summaryWith(
  budgetMs: number | null | undefined,
  scenarios: { id: string; blocks?: ScenarioBlock[] }[],
): RunSummary {
  return { params: { budgetMs }, scenarios } as unknown as RunSummary;
}

describe('budgetText', () => {
  it('tells spread parts from blocks run again for undecided claims', () => {
    const text = budgetText(
      summaryWith(120_000, [
        {
          id: 'miss-vs-hit',
          blocks: [block(1, { index: 1, of: 2 }), block(2, { index: 2, of: 2 }), block(3, { index: 1, of: 2 })],
        },
        { id: 'large-objects', blocks: [block(1), block(2)] },
        { id: 'pipelining' },
      ]),
    );
    expect(text).toBe(
      ', budget 2 min 00 s, trials spread over the run: miss-vs-hit in 2 parts, run again for undecided claims: miss-vs-hit +1, large-objects +1',
    );
  });

  it('says nothing without a budget and names the unbudgeted run', () => {
    expect(budgetText(summaryWith(undefined, []))).toBe('');
    expect(budgetText(summaryWith(null, []))).toBe(', no budget (one run per scenario)');
  });
});
