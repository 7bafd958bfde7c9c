import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import {
  checkHistory,
  DEFAULT_HISTORY_CHECK_OPTIONS,
  formatHistoryCheck,
  historyCheckMarkdown,
} from './history-check.ts';
import { HISTORY_SCHEMA } from './history-store.ts';
import type { HistoryEntry, HistoryMetric } from './history-store.ts';

function entry(i: number, metrics: Record<string, HistoryMetric>): HistoryEntry {
  const time = new Date(Date.UTC(2026, 11, 1, i)).toISOString();
  return {
    schema: HISTORY_SCHEMA,
    commit: `c${String(i + 1).padStart(2, '0')}`,
    time,
    addedAt: time,
    quick: true,
    metrics,
  };
}

const latency = (value: number): HistoryMetric => ({ value, unit: 'ms', better: 'lower' });
const wobble = (i: number): number => [0, 0.01, -0.01, 0.02, -0.02, 0.005][i % 6]!;

/** 12 commits; from commit 9 on, `stepped` is 1 ms slower; `flat` never changes. */
function history(step: (i: number) => number): HistoryEntry[] {
  return Array.from({ length: 12 }, (_, i) =>
    entry(i, { stepped: latency(0.2 + wobble(i) + step(i)), flat: latency(0.5 + wobble(i + 3)) }),
  );
}

describe('checkHistory', () => {
  it('finds a regression at commit 9 that is still there at the head, and nothing in the flat metric', () => {
    const check = checkHistory(
      history((i) => (i >= 8 ? 1 : 0)),
      DEFAULT_HISTORY_CHECK_OPTIONS,
    );
    const stepped = check.metrics.find((m) => m.metric === 'stepped')!;
    expect(stepped.changes.map((c) => [c.commit, c.kind])).toEqual([['c09', 'regression']]);
    expect(check.regressions.map((m) => m.metric)).toEqual(['stepped']);
    expect(check.metrics.find((m) => m.metric === 'flat')!.changes).toEqual([]);
    expect(formatHistoryCheck(check, DEFAULT_HISTORY_CHECK_OPTIONS)).toMatch(
      /stepped: regression at c09 \(commit 9 of 12\)/,
    );
    expect(historyCheckMarkdown(check)).toContain('**regressed at head**');
  });

  it('passes the first 8 commits alone, an improvement, and a regression accepted through its commit', () => {
    expect(checkHistory(history(() => 0).slice(0, 8), DEFAULT_HISTORY_CHECK_OPTIONS).regressions).toEqual([]);
    const improved = checkHistory(
      history((i) => (i >= 8 ? -0.1 : 0)),
      DEFAULT_HISTORY_CHECK_OPTIONS,
    );
    expect(improved.metrics.find((m) => m.metric === 'stepped')!.changes[0]!.kind).toBe('improvement');
    expect(improved.regressions).toEqual([]);
    const accepted = checkHistory(
      history((i) => (i >= 8 ? 1 : 0)),
      {
        ...DEFAULT_HISTORY_CHECK_OPTIONS,
        acceptThrough: 'c09',
      },
    );
    expect(accepted.regressions).toEqual([]);
  });

  it('shows no change in 100 histories of 40 noise metrics over 12 and over 30 runs (family-wise rate)', () => {
    const rng = new SeededRandom(3);
    for (const runs of [12, 30]) {
      let withChange = 0;
      for (let h = 0; h < 100; h++) {
        const entries = Array.from({ length: runs }, (_, i) => {
          const metrics: Record<string, HistoryMetric> = {};
          for (let m = 0; m < 40; m++) metrics[`m${m}`] = latency(10 * Math.exp(0.1 * rng.nextGaussian()));
          return entry(i, metrics);
        });
        if (checkHistory(entries, DEFAULT_HISTORY_CHECK_OPTIONS).metrics.some((m) => m.changes.length > 0))
          withChange += 1;
      }
      expect(withChange, `${runs} runs`).toBeLessThanOrEqual(2);
    }
  }, 60_000);

  it('reports a noisy metric without gating it, and a change that went away is not at the head', () => {
    const noisy = Array.from({ length: 12 }, (_, i) =>
      entry(i, { jumpy: latency([1, 3, 1, 3, 1, 3, 1, 3, 9, 9, 9, 9][i]!) }),
    );
    const check = checkHistory(noisy, { ...DEFAULT_HISTORY_CHECK_OPTIONS, noiseLimit: 0.2 });
    expect(check.metrics[0]!.noisy).toBe(true);
    expect(check.regressions).toEqual([]);
    const back = checkHistory(
      history((i) => (i >= 4 && i < 8 ? 1 : 0)),
      DEFAULT_HISTORY_CHECK_OPTIONS,
    );
    expect(back.metrics.find((m) => m.metric === 'stepped')!.changes.map((c) => c.kind)).toEqual([
      'regression',
      'improvement',
    ]);
    expect(back.regressions).toEqual([]);
  });
});
