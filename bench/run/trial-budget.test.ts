import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { firstPassSchedule, formatDuration, nextBlock, parseBudget } from './trial-budget.ts';
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

describe('firstPassSchedule', () => {
  it('keeps the order and puts the later parts of a spread scenario at even steps to the end', () => {
    const parts = (id: string): number => ({ s: 3, t: 2 })[id] ?? 1;
    const show = (ids: string[]): string[] =>
      firstPassSchedule(ids, parts).map((b) => (b.part === undefined ? b.id : `${b.id}${b.part.index}/${b.part.of}`));
    expect(show(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(show(['s', 'a', 'b', 'c', 'd'])).toEqual(['s1/3', 'a', 'b', 's2/3', 'c', 'd', 's3/3']);
    expect(show(['a', 't', 'b'])).toEqual(['a', 't1/2', 'b', 't2/2']);
    // a spread scenario last, or alone: its parts back to back
    expect(show(['a', 't'])).toEqual(['a', 't1/2', 't2/2']);
    expect(show(['s'])).toEqual(['s1/3', 's2/3', 's3/3']);
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
