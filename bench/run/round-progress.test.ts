import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from './progress-reporter.ts';
import { roundProgress } from './round-progress.ts';

describe('roundProgress', () => {
  it('emits warm-up, round 1..N (never past N) and done', () => {
    const events: ProgressEvent[] = [];
    const phases = roundProgress((e) => events.push(e), 's', {
      rounds: 2,
      roundDurationMs: 500,
      warmupDurationMs: 100,
    });
    phases.warmUp();
    phases.measureStarted();
    phases.roundDone(0);
    phases.roundDone(1);
    phases.done();
    expect(events).toEqual([
      { kind: 'phase', scenario: 's', phase: 'warm-up', plannedMs: 100 },
      { kind: 'phase', scenario: 's', phase: 'measure', round: 1, rounds: 2, plannedMs: 1000 },
      { kind: 'phase', scenario: 's', phase: 'measure', round: 2, rounds: 2, plannedMs: 1000 },
      { kind: 'phase', scenario: 's', phase: 'measure', round: 2, rounds: 2, plannedMs: 1000 },
      { kind: 'phase', scenario: 's', phase: 'done' },
    ]);
  });
});
