import { describe, expect, it } from 'vitest';
import {
  confirmedAndExecutedPct,
  executedPct,
  publishCountRightPct,
  stalenessFigures,
  visibleFailuresPct,
} from './anti-pattern-figures.ts';
import type { VersionedRead } from './anti-pattern-figures.ts';

const read = (servedVersion: number, liveVersion: number, staleForMs = 0, differs = false): VersionedRead => ({
  servedVersion,
  liveVersion,
  staleForMs,
  differs,
});

describe('stalenessFigures', () => {
  it('counts reads from the first move past the served version, and the ages of stale ones', () => {
    const f = stalenessFigures([read(0, 0), read(0, 0), read(0, 2, 3), read(0, 5, 9), read(0, 7, 14)]);
    expect(f.reads).toBe(5);
    expect(f.staleReads).toBe(3);
    expect(f.readsAfterFirstMove).toBe(3);
    expect(f.staleAfterMovePct).toBe(100);
    expect(f.stalePct).toBe(60);
    expect(f.medianStaleAgeMs).toBe(9);
    expect(f.maxStaleAgeMs).toBe(14);
  });

  it('gives less than 100% when a read after the first move is fresh again (a cache that follows the source)', () => {
    const f = stalenessFigures([read(0, 0), read(0, 1, 1), read(2, 2), read(2, 2)]);
    expect(f.staleAfterMovePct).toBeCloseTo(100 / 3);
  });

  it('counts a differing immutable value as stale, and 0% when every read is live', () => {
    expect(stalenessFigures([read(0, 0), read(0, 0)]).stalePct).toBe(0);
    expect(stalenessFigures([read(0, 0), read(0, 0, 0, true)]).stalePct).toBe(50);
    expect(stalenessFigures([read(0, 0)]).staleAfterMovePct).toBeNaN();
  });
});

describe('visibleFailuresPct', () => {
  it('counts lines and suppressed counts, capped at the failures', () => {
    expect(visibleFailuresPct({ failures: 10, lines: 0, suppressed: 0 })).toBe(0);
    expect(visibleFailuresPct({ failures: 10, lines: 2, suppressed: 8 })).toBe(100);
    expect(visibleFailuresPct({ failures: 10, lines: 2, suppressed: 3 })).toBe(50);
    expect(visibleFailuresPct({ failures: 4, lines: 9, suppressed: 0 })).toBe(100);
    expect(visibleFailuresPct({ failures: 0, lines: 0, suppressed: 0 })).toBeNaN();
  });
});

describe('order and publish figures', () => {
  it('needs both the confirmation and the ledger entry', () => {
    expect(executedPct({ sent: 10, confirmed: 0, executed: 0 })).toBe(0);
    expect(confirmedAndExecutedPct({ sent: 10, confirmed: 10, executed: 9 })).toBe(90);
    expect(confirmedAndExecutedPct({ sent: 10, confirmed: 8, executed: 10 })).toBe(80);
  });

  it('counts a publish right only when its reply and the deliveries match the listeners', () => {
    expect(
      publishCountRightPct([
        { returned: 0, listening: 0, received: 0 },
        { returned: 3, listening: 3, received: 3 },
        { returned: 1, listening: 3, received: 3 },
        { returned: 3, listening: 3, received: 2 },
        { returned: null, listening: 1, received: 0 },
      ]),
    ).toBe(40);
  });
});
