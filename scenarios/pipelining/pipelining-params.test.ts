import { describe, expect, it } from 'vitest';
import { tunableProblems } from '../../bench/core/tunables.ts';
import {
  DEFAULT_PIPELINING_PARAMS,
  PIPELINING_TUNABLES,
  QUICK_PIPELINING_PARAMS,
  resolvePipeliningParams,
} from './pipelining-params.ts';

describe('resolvePipeliningParams', () => {
  it('keeps the default or --quick grid when no list is set', () => {
    expect(resolvePipeliningParams(false, {})).toEqual(DEFAULT_PIPELINING_PARAMS);
    expect(resolvePipeliningParams(true, { rounds: 9 })).toEqual({ ...QUICK_PIPELINING_PARAMS, rounds: 9 });
  });

  it('reads the lists from their text, distinct and ascending', () => {
    const params = resolvePipeliningParams(true, { addedRttsMs: '2:0:1:1', batchSizes: '50:5' });
    expect(params.addedRttsMs).toEqual([0, 1, 2]);
    expect(params.batchSizes).toEqual([5, 50]);
  });

  it('refuses a batch size that is not a whole number of keys', () => {
    expect(() => resolvePipeliningParams(true, { batchSizes: '5:2.5' })).toThrow(/whole numbers/);
  });

  it('checks the lists against their ranges before the run', () => {
    const problems = tunableProblems('pipelining', PIPELINING_TUNABLES, { addedRttsMs: '0:20', batchSizes: '0:5' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/addedRttsMs=0:20: expected 1 to 5 numbers from 0 to 10/);
  });
});
