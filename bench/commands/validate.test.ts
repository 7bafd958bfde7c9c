import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseRepeat, runAgreementCommand, validateBudget } from './validate.ts';

describe('validate options', () => {
  it('budgets 10 minutes by default, 2 with --quick, and none on request', () => {
    expect(validateBudget({})).toEqual({ totalMs: 600_000, maxBlocks: 4 });
    expect(validateBudget({ quick: true })).toEqual({ totalMs: 120_000, maxBlocks: 4 });
    expect(validateBudget({ budget: '90s' })).toEqual({ totalMs: 90_000, maxBlocks: 4 });
    expect(validateBudget({ budget: 'none' })).toBeNull();
    expect(() => validateBudget({ budget: '10' })).toThrow(ConfigError);
  });

  it('repeats 1 to 20 times and names a bad count with an example', () => {
    expect(parseRepeat(undefined)).toBe(1);
    expect(parseRepeat('3')).toBe(3);
    for (const bad of ['0', '21', 'two', '1.5']) expect(() => parseRepeat(bad)).toThrow(/--repeat .*1 to 20/);
  });

  it('refuses to compare fewer than two runs', async () => {
    await expect(runAgreementCommand(['reports/x'], undefined)).rejects.toThrow(/at least two run folders/);
  });
});
