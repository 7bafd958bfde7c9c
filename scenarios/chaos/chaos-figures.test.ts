import { describe, expect, it } from 'vitest';
import type { RequestRecord } from './chaos-types.ts';
import {
  alignedTimeline,
  beforeFault,
  chaosFigures,
  chaosTimeline,
  completedShare,
  hitRate,
  latenciesFrom,
  percentile,
  settledBetween,
  steadyAfter,
} from './chaos-figures.ts';

function rec(intendedMs: number, latencyMs: number, extra: Partial<RequestRecord> = {}): RequestRecord {
  return {
    intendedMs,
    settledMs: intendedMs + latencyMs,
    latencyMs,
    outcome: 'ok',
    hits: 1,
    misses: 0,
    cacheErrors: 0,
    wrong: false,
    checked: true,
    ...extra,
  };
}

describe('chaos figures', () => {
  // 10 ms apart; fault from 1000 to 2000 ms: cache errors (fallbacks) inside, one slow request.
  const records: RequestRecord[] = [];
  for (let t = 0; t < 3_000; t += 10) {
    if (t >= 1_000 && t < 2_000) records.push(rec(t, t === 1_500 ? 120 : 5, { hits: 0, misses: 1, cacheErrors: 1 }));
    else if (t >= 2_000 && t < 2_200) records.push(rec(t, 5, { hits: 0, misses: 1 }));
    else records.push(rec(t, 2));
  }
  const figures = chaosFigures({
    records,
    samples: [{ tMs: 1_200, inFlight: 7, heapMb: 50, breaker: 'open', connected: false }],
    injectMs: 1_000,
    healedMs: 2_000,
    steadyWindowMs: 250,
    steadyHitRateTolerance: 0.1,
  });

  it('takes window latency from requests intended inside the fault window', () => {
    expect(figures.windowRequests).toBe(101);
    expect(figures.windowMaxMs).toBe(120);
    expect(figures.failed).toBe(0);
    expect(figures.maxInFlight).toBe(7);
  });

  it('measures detection, first success, first hit and steady state from the fault times', () => {
    expect(figures.detectMs).toBe(5);
    expect(figures.firstSuccessAfterHealMs).toBe(5);
    expect(figures.firstHitAfterHealMs).toBe(202);
    // The window [2000, 2250) still misses everything; [2250, ...) is back to the old hit rate.
    expect(figures.steadyAfterHealMs).toBe(250);
    expect(figures.preHitRate).toBe(1);
  });

  it('a wrong answer is neither a success nor a hit', () => {
    const wrongFirst = [rec(0, 1), rec(2_000, 1, { wrong: true }), rec(2_010, 1)];
    const f = chaosFigures({
      records: wrongFirst,
      samples: [],
      injectMs: 1_000,
      healedMs: 1_999,
      steadyWindowMs: 250,
      steadyHitRateTolerance: 0.1,
    });
    expect(f.wrong).toBe(1);
    expect(f.firstHitAfterHealMs).toBe(12);
  });

  it('steady state is null when the last windows are still failing', () => {
    const failing = [rec(0, 1), rec(1_000, 1), rec(1_300, 1, { outcome: 'capped' })];
    expect(steadyAfter(failing, 900, 1, 250, 0.1)).toBeNull();
  });

  it('one window: completed share and latencies from the inject, the healthy stretch before it', () => {
    const mixed = [
      rec(0, 1),
      rec(10, 300),
      rec(300, 1, { outcome: 'error', hits: 0 }),
      rec(310, 2, { outcome: 'capped', hits: 0 }),
      rec(320, 3, { hits: 0, misses: 1 }),
      rec(330, 4),
    ];
    expect(completedShare(mixed, 300)).toBe(50);
    // a wrong answer (another key's features) is not a completed request
    expect(completedShare([rec(300, 1), rec(310, 1, { checked: true, wrong: true })], 300)).toBe(50);
    expect(completedShare(mixed, 1_000)).toBeNull();
    expect(latenciesFrom(mixed, 300)).toEqual([1, 2, 3, 4]);
    // Intended before the inject but settled after it: not part of the healthy stretch.
    expect(beforeFault(mixed, 300).map((r) => r.intendedMs)).toEqual([0]);
    expect(hitRate(settledBetween(mixed, 300, 330))).toBe(0.5);
    expect(hitRate([rec(0, 1, { outcome: 'capped', hits: 0 })])).toBeNull();
  });

  it('timeline buckets carry throughput, hit rate and latency', () => {
    const timeline = chaosTimeline(records, [], 1_000);
    expect(timeline).toHaveLength(3);
    expect(timeline[0]!.throughputPerSec).toBe(100);
    expect(timeline[1]!.hitRatePct).toBe(0);
    expect(timeline[1]!.maxMs).toBe(120);
  });

  it('timeline buckets count failed and capped requests where they settled, the last boundary included', () => {
    const failures = [
      rec(0, 5),
      // Intended in bucket 0, failed in bucket 1: counted when the caller saw the error.
      rec(50, 70, { outcome: 'error', hits: 0 }),
      rec(100, 50, { outcome: 'error', hits: 0 }),
      // Settles exactly on the boundary 200: bucket 2, not 1.
      rec(150, 50, { outcome: 'error', hits: 0 }),
      // Given up at a 1 000 ms cap: counted in the bucket where the cap fired (1 100 -> bucket 11).
      rec(100, 1_000, { outcome: 'capped', hits: 0 }),
      // The last request settles exactly on a boundary (1 200): it still gets its bucket.
      rec(1_190, 10, { outcome: 'error', hits: 0 }),
    ];
    const timeline = chaosTimeline(failures, [], 100);
    expect(timeline).toHaveLength(13);
    expect(timeline.map((b) => b.failed)).toEqual([0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(timeline.map((b) => b.capped)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(timeline.reduce((n, b) => n + b.failed + b.capped, 0)).toBe(5);
    expect(timeline[0]!.throughputPerSec).toBe(10);
    // Latency by intended time: bucket 1 holds the 100 ms request (50) and the capped one (1 000).
    expect(timeline[1]!.p50Ms).toBe(50);
    expect(timeline[1]!.p99Ms).toBe(1_000);
    expect(chaosTimeline([], [], 100)).toEqual([]);
  });

  it('aligned timeline lays windows over each other on their own injects, failures averaged per window', () => {
    const first = {
      injectMs: 100,
      records: [
        rec(0, 5),
        rec(150, 7),
        // 150 ms after its inject: bucket [100, 200) from the inject.
        rec(200, 50, { outcome: 'error', hits: 0 }),
        rec(210, 40, { outcome: 'capped', hits: 0 }),
      ],
    };
    const second = {
      injectMs: 1_000,
      records: [rec(960, 10), rec(1_100, 60, { outcome: 'error', hits: 0 }), rec(1_150, 3)],
    };
    const aligned = alignedTimeline(
      [first, second, { injectMs: null, records: [rec(0, 1, { outcome: 'error' })] }],
      100,
    );
    expect(aligned.map((b) => b.fromInjectMs)).toEqual([-100, 0, 100]);
    // Three failures in [100, 200) from the inject over two windows of 100 ms buckets: 3 / 2 / 0.1 s.
    expect(aligned.map((b) => b.failedPerSec)).toEqual([0, 0, 15]);
    // Latency by intended time from the inject: [-100, 0) holds 5 (first) and 10 (second); [0, 100)
    // only the first's 7; [100, 200) 50, 40 (capped), 60 and 3.
    expect(aligned.map((b) => [b.p50Ms, b.p99Ms])).toEqual([
      [5, 10],
      [7, 7],
      [40, 60],
    ]);
    expect(alignedTimeline([{ injectMs: null, records: [rec(0, 1)] }], 100)).toEqual([]);
  });

  it('percentile is nearest rank', () => {
    expect(percentile([], 99)).toBeNull();
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
  });
});
