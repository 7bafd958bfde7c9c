import { describe, expect, it } from 'vitest';
import { parseRedisInfo } from '../../src/monitoring/redis-info.ts';
import { TimedSamples, commandStatDelta, percentileOf } from './invalidation-figures.ts';

describe('TimedSamples', () => {
  it('places GETs against an interval: overlapping ones, and the ones done before it', () => {
    const samples = new TimedSamples(10);
    samples.add(0, 10); // before
    samples.add(5, 120); // sent before, still waiting when it began: overlaps
    samples.add(150, 160); // inside
    samples.add(190, 400); // sent inside, done after
    samples.add(300, 310); // after
    expect(samples.overlapping(100, 200)).toEqual([115, 10, 210]);
    expect(samples.completedBefore(100)).toEqual([10]);
  });

  it('keeps at most its capacity and counts the rest', () => {
    const samples = new TimedSamples(2);
    for (let i = 0; i < 5; i++) samples.add(i, i + 1);
    expect(samples.size).toBe(2);
    expect(samples.dropped).toBe(3);
  });
});

describe('commandStatDelta', () => {
  it('takes the difference of two INFO commandstats snapshots', () => {
    const before = parseRedisInfo(
      '# Commandstats\r\ncmdstat_scan:calls=10,usec=500,usec_per_call=50.00,rejected_calls=0,failed_calls=0\r\n',
    );
    const after = parseRedisInfo(
      '# Commandstats\r\ncmdstat_scan:calls=30,usec=1500,usec_per_call=50.00,rejected_calls=0,failed_calls=0\r\ncmdstat_keys:calls=1,usec=9000,usec_per_call=9000.00\r\n',
    );
    expect(commandStatDelta(before, after, 'scan')).toEqual({ calls: 20, usec: 1000, usecPerCall: 50 });
    expect(commandStatDelta(before, after, 'keys')).toEqual({ calls: 1, usec: 9000, usecPerCall: 9000 });
    expect(commandStatDelta(before, after, 'unlink')).toEqual({ calls: 0, usec: 0, usecPerCall: null });
  });
});

describe('percentileOf', () => {
  it('nearest rank', () => {
    expect(percentileOf([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentileOf([5, 1, 3, 2, 4], 100)).toBe(5);
    expect(
      percentileOf(
        Array.from({ length: 100 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(99);
    expect(percentileOf([], 99)).toBeNaN();
  });
});
