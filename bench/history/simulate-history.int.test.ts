import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateHistory } from './simulate-history.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('a simulated history of real runs (smaller than bench/history/simulate-history.ts)', () => {
  it('finds +1 ms per reply where it starts (run 4 of 6) and at no other run; the unchanged runs pass', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'rpb-history-sim-'));
    dirs.push(out);
    const result = await simulateHistory({
      runs: 6,
      changed: 3,
      scenario: 'miss-vs-hit',
      sets: ['rounds=3', 'roundDurationMs=150', 'warmupDurationMs=50'],
      out,
      progress: () => undefined,
    });
    expect(result.changedAt).toEqual([4]);
    expect(result.fullExitCode).toBe(99);
    expect(result.unchangedExitCode).toBe(0);
  }, 180_000);
});
