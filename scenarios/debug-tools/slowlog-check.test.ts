import { describe, expect, it } from 'vitest';
import { caughtPct, findInSlowlog, parseSlowlog } from './slowlog-check.ts';

const reply = [
  [12, 1796625828, 746007, ['KEYS', '*'], '127.0.0.1:36474', ''],
  [11, 1796625827, 12, ['GET', 'k'], '127.0.0.1:36474', 'rpb'],
  [10, 1796625827, 525485, ['KEYS', 'nomatch*'], '127.0.0.1:36474', ''],
  'garbage',
];

describe('slowlog check', () => {
  it('parses SLOWLOG GET and finds the slow command by its arguments', () => {
    const entries = parseSlowlog(reply);
    expect(entries).toHaveLength(3);
    const finding = findInSlowlog(entries, ['KEYS', '*']);
    expect(finding.slow?.durationUs).toBe(746_007);
    expect(finding.fastLogged).toBe(1);
    expect(findInSlowlog(entries, ['keys', 'nomatch*']).slow?.id).toBe(10);
  });

  it('gives 100 only when the command is logged at or above the threshold', () => {
    const entries = parseSlowlog(reply);
    expect(caughtPct(findInSlowlog(entries, ['KEYS', '*']), 10_000)).toBe(100);
    expect(caughtPct(findInSlowlog(entries, ['KEYS', '*']), 1_000_000)).toBe(0);
    expect(caughtPct(findInSlowlog(entries, ['SCAN', '0']), 10_000)).toBe(0);
    expect(parseSlowlog('not an array')).toEqual([]);
  });
});
