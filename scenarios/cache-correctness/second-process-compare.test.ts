import { describe, expect, it } from 'vitest';
import type { RoundTally } from './correctness-round.ts';
import { compareSecondProcess } from './second-process-compare.ts';
import type { DoneRound } from './second-process-compare.ts';
import { vectorHash } from './vector-bits.ts';

const tally = (): RoundTally => ({
  round: 0,
  date: '2025-01-17',
  comparisons: 0,
  differing: 0,
  differences: [],
  auditedKeys: 0,
  keysOutsideTtl: 0,
  float32MaxAbsError: 0,
  float32MaxRelError: 0,
  planted: 0,
  ttlRepairs: 0,
  plantedLeftWithoutTtl: 0,
  coalescedJoins: 0,
  clusterCompared: false,
});

describe('compareSecondProcess', () => {
  it("counts every computed and cached hash that is not the reference's, a miss included", () => {
    const a = Float64Array.of(1, 2);
    const b = Float64Array.of(1, 2 + 2 ** -40);
    const round: DoneRound = {
      keys: { round: 0, date: '2025-01-17', symbols: ['AAPL', 'MSFT'] },
      tally: tally(),
      references: new Map([
        ['AAPL', a],
        ['MSFT', b],
      ]),
    };
    compareSecondProcess([round], {
      pid: 1,
      computed: { 'AAPL@2025-01-17': vectorHash(a), 'MSFT@2025-01-17': vectorHash(a) },
      cached: { 'AAPL@2025-01-17': null, 'MSFT@2025-01-17': vectorHash(b) },
    });
    expect(round.tally.comparisons).toBe(4);
    expect(round.tally.differing).toBe(2);
    expect(round.tally.differences.join('\n')).toMatch(/computed\): MSFT@2025-01-17 has another hash/);
    expect(round.tally.differences.join('\n')).toMatch(/read from the cache\): AAPL@2025-01-17 not found/);
  });
});
