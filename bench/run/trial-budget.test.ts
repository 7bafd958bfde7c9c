import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { formatDuration, nextBlock, parseBudget } from './trial-budget.ts';
import type { ScenarioStanding } from './trial-budget.ts';

const standing = (id: string, given: Partial<ScenarioStanding> = {}): ScenarioStanding => ({
  id,
  blocks: 1,
  lastBlockMs: 10_000,
  undecided: 1,
  failed: false,
  ...given,
});

describe('nextBlock', () => {
  it('picks the scenario with the most undecided claims per second of its block', () => {
    const standings = [
      standing('slow', { lastBlockMs: 60_000, undecided: 3 }),
      standing('fast', { lastBlockMs: 5_000 }),
    ];
    expect(nextBlock(standings, 600_000, 4)).toBe('fast');
  });

  it('skips decided, failed, exhausted and too-long scenarios, and returns null when none is left', () => {
    const standings = [
      standing('decided', { undecided: 0 }),
      standing('failed', { failed: true }),
      standing('exhausted', { blocks: 4 }),
      standing('long', { lastBlockMs: 50_000 }),
    ];
    expect(nextBlock(standings, 50_000, 4)).toBeNull();
    expect(nextBlock(standings, 56_000, 4)).toBe('long');
  });
});

describe('parseBudget', () => {
  it('reads durations with their unit and none', () => {
    expect(parseBudget('10m')).toBe(600_000);
    expect(parseBudget('90s')).toBe(90_000);
    expect(parseBudget('1.5h')).toBe(5_400_000);
    expect(parseBudget('none')).toBeNull();
  });

  it('refuses a number without a unit, a negative one and one below 10 s, with an example', () => {
    for (const bad of ['10', '-5m', '5s', 'ten minutes']) expect(() => parseBudget(bad)).toThrow(ConfigError);
    try {
      parseBudget('10');
    } catch (error) {
      expect((error as ConfigError).hint).toContain('--budget 10m');
    }
  });
});

describe('formatDuration', () => {
  it('writes seconds under a minute and minutes with seconds above', () => {
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
  });
});
