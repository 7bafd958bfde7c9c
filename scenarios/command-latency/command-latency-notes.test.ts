import { describe, expect, it } from 'vitest';
import { claimFailuresText, failuresText } from './command-latency-notes.ts';

describe('failure counts in words', () => {
  it('a step says "N failed or timed out" only when some did', () => {
    expect(failuresText(0)).toBeNull();
    expect(failuresText(1_234)).toBe('1,234 failed or timed out (in .all at their time to failure)');
  });

  it("the claim's conditions sum the rounds and name each command's count", () => {
    const none = { GET: 0, SET: 0, MGET5: 0 };
    expect(claimFailuresText({ failedPerCommand: none, abandonedPerCommand: none })).toBeNull();
    expect(claimFailuresText({ failedPerCommand: { GET: 3, SET: 0, MGET5: 1 }, abandonedPerCommand: none })).toBe(
      "claim rounds: 4 failed or timed out (GET 3, SET 0, MGET5 1), each in its round's figure at its time to failure",
    );
    expect(claimFailuresText({ failedPerCommand: none, abandonedPerCommand: { GET: 0, SET: 2, MGET5: 0 } })).toBe(
      'claim rounds: 2 still pending at the drain bound (abandoned: in no histogram)',
    );
  });
});
