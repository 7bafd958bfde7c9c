import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { createProgressReporter, formatDuration } from './progress-reporter.ts';
import type { ProgressEvent, ProgressReporterOptions } from './progress-reporter.ts';

// 05:21:03 UTC, so the stamp is predictable.
const T0 = Date.UTC(2025, 0, 2, 5, 21, 3);
const ESC = '\x1b';

interface Harness {
  readonly writes: string[];
  readonly advance: (ms: number) => void;
  readonly report: (event: ProgressEvent) => void;
  readonly stop: () => void;
}

/**
 * A fake stream collecting writes; the injected clock is the fake timers' Date, so timers fire at
 * the time they see.
 */
function harness(
  options: Partial<ProgressReporterOptions> & { columns?: number; streamIsTTY?: boolean } = {},
): Harness {
  vi.setSystemTime(T0);
  const writes: string[] = [];
  const stream = {
    isTTY: options.streamIsTTY,
    columns: options.columns,
    write: (chunk: string) => {
      writes.push(chunk);
      return true;
    },
  };
  const { columns: _c, streamIsTTY: _s, ...rest } = options;
  const reporter = createProgressReporter({ stream, now: () => Date.now(), ...rest });
  return {
    writes,
    advance: (ms) => vi.advanceTimersByTime(ms),
    report: (event) => reporter.report(event),
    stop: () => reporter.stop(),
  };
}

const measure = (round: number, elapsedMs?: number): ProgressEvent => ({
  kind: 'phase',
  scenario: 'miss-vs-hit',
  phase: 'measure',
  round,
  rounds: 7,
  elapsedMs,
  plannedMs: 13_000,
});
const stats: ProgressEvent = {
  kind: 'stats',
  scenario: 'miss-vs-hit',
  opsPerSecond: 241.3,
  p99Ms: 1.8234,
  metric: 'hit.signal',
};

describe('formatDuration', () => {
  it('picks ms, seconds, minutes or hours', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(999.7)).toBe('1.0 s');
    expect(formatDuration(4_240)).toBe('4.2 s');
    expect(formatDuration(59_960)).toBe('1 min 00 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_725_000)).toBe('1 h 02 min');
  });

  it('never prints a negative or non-finite figure', () => {
    expect(formatDuration(-5)).toBe('0 ms');
    expect(formatDuration(Number.NaN)).toBe('n/a');
    expect(formatDuration(Infinity)).toBe('n/a');
  });
});

describe('createProgressReporter', () => {
  let stdout: MockInstance;

  beforeEach(() => {
    vi.useFakeTimers();
    stdout = vi.spyOn(process.stdout, 'write');
  });

  afterEach(() => {
    // Nothing ever goes to stdout: it may carry --json output.
    expect(stdout).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  describe('on a terminal', () => {
    it('redraws one status line in place and erases it on stop', () => {
      const h = harness({ isTTY: true });
      h.report(measure(3, 4_200));
      h.advance(100);
      h.report(stats);
      expect(h.writes.every((w) => w.startsWith('\r\x1b[2K'))).toBe(true);
      expect(h.writes.some((w) => w.includes('\n'))).toBe(false);
      expect(h.writes.at(-1)).toBe(
        '\r\x1b[2Kmiss-vs-hit: measure round 3/7, 4.3 s elapsed, ~8.7 s left, 241 ops/s, p99 1.82 ms (hit.signal)',
      );
      h.stop();
      expect(h.writes.at(-1)).toBe('\r\x1b[2K');
      expect(vi.getTimerCount()).toBe(0);
    });

    it('follows the stream isTTY when not told', () => {
      const h = harness({ streamIsTTY: true });
      h.report(measure(1));
      expect(h.writes[0]?.startsWith('\r\x1b[2K')).toBe(true);
      h.stop();
    });

    it('redraws at most once per redraw interval and shows the last state of a burst', () => {
      const h = harness({ isTTY: true });
      for (let round = 1; round <= 50; round++) {
        h.report(measure(round));
        h.advance(10);
      }
      // 500 ms of events, 100 ms apart at most: the leading draw plus one per 100 ms.
      expect(h.writes.length).toBeLessThanOrEqual(6);
      h.advance(100);
      expect(h.writes.at(-1)).toContain('round 50/7');
      h.stop();
    });

    it('keeps the clock moving between events, and stops when the phase is done', () => {
      const h = harness({ isTTY: true });
      h.report(measure(1));
      h.advance(3_000);
      expect(h.writes.at(-1)).toContain('measure round 1/7, 3.0 s elapsed, ~10.0 s left');
      h.report({ kind: 'phase', scenario: 'miss-vs-hit', phase: 'done' });
      h.advance(100);
      expect(h.writes.at(-1)).toBe('\r\x1b[2Kmiss-vs-hit: done in 3.0 s');
      h.advance(5_000);
      expect(h.writes.at(-1)).toBe('\r\x1b[2Kmiss-vs-hit: done in 3.0 s');
      h.stop();
      expect(vi.getTimerCount()).toBe(0);
    });

    it('times a later run of the same scenario (a block or part) from its own start', () => {
      const h = harness({ isTTY: true });
      h.report(measure(1));
      h.advance(2_000);
      h.report({ kind: 'phase', scenario: 'miss-vs-hit', phase: 'done' });
      h.advance(60_000);
      h.report(measure(1));
      h.advance(1_000);
      h.report({ kind: 'phase', scenario: 'miss-vs-hit', phase: 'done' });
      h.advance(100);
      expect(h.writes.at(-1)).toBe('\r\x1b[2Kmiss-vs-hit: done in 1.0 s');
      h.stop();
    });

    it('prints a message above the status line at once, even inside the throttle window', () => {
      const h = harness({ isTTY: true });
      h.report(measure(2));
      h.report(measure(3));
      h.report({ kind: 'message', text: 'miss-vs-hit: round 2/7: 102 iterations' });
      expect(h.writes.at(-1)).toBe(
        '\r\x1b[2K[rpb 05:21:03] miss-vs-hit: round 2/7: 102 iterations\nmiss-vs-hit: measure round 3/7, 0 ms elapsed, ~13.0 s left',
      );
      h.stop();
    });

    it('prints a message as a plain line when no status line is shown', () => {
      const h = harness({ isTTY: true });
      h.report({ kind: 'message', text: 'starting' });
      expect(h.writes).toEqual(['[rpb 05:21:03] starting\n']);
      h.stop();
      // Nothing was drawn, so there is nothing to erase.
      expect(h.writes).toHaveLength(1);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('cuts the status line to the terminal width so it never wraps', () => {
      const h = harness({ isTTY: true, columns: 30 });
      h.report(measure(3));
      expect(h.writes[0]).toBe(`\r\x1b[2K${'miss-vs-hit: measure round 3/7, 0 ms'.slice(0, 29)}`);
      h.stop();
    });

    it("does not show one scenario's rate on the next scenario", () => {
      const h = harness({ isTTY: true });
      h.report(measure(7));
      h.report(stats);
      h.advance(200);
      h.report({ kind: 'phase', scenario: 'pipelining', phase: 'warm-up', plannedMs: 2_000 });
      expect(h.writes.at(-1)).toBe('\r\x1b[2Kpipelining: warm-up, 0 ms elapsed, ~2.0 s left');
      h.stop();
    });
  });

  describe('not on a terminal', () => {
    it('writes plain lines only: no carriage return, no escape code', () => {
      const h = harness({ isTTY: false });
      h.report({ kind: 'message', text: 'miss-vs-hit: starting a managed redis-server' });
      h.report(measure(3, 4_200));
      h.report(stats);
      h.advance(1_000);
      h.report({ kind: 'phase', scenario: 'miss-vs-hit', phase: 'done' });
      h.advance(1_000);
      h.stop();
      expect(h.writes).toEqual([
        '[rpb 05:21:03] miss-vs-hit: starting a managed redis-server\n',
        '[rpb 05:21:03] miss-vs-hit: measure round 3/7, 4.2 s elapsed, ~8.8 s left\n',
        '[rpb 05:21:04] miss-vs-hit: measure round 3/7, 5.2 s elapsed, ~7.8 s left, 241 ops/s, p99 1.82 ms (hit.signal)\n',
        '[rpb 05:21:05] miss-vs-hit: done in 1.0 s, 241 ops/s, p99 1.82 ms (hit.signal)\n',
      ]);
      const all = h.writes.join('');
      expect(all).not.toContain('\r');
      expect(all).not.toContain(ESC);
    });

    it('folds phase and stats events into at most one line per interval', () => {
      const h = harness({ isTTY: false, intervalMs: 1_000 });
      for (let step = 0; step < 50; step++) {
        h.report(step % 2 === 0 ? measure(1 + Math.floor(step / 10)) : stats);
        h.advance(100);
      }
      // 5 s of events every 100 ms: one line per second, never two within the interval.
      expect(h.writes.length).toBeLessThanOrEqual(6);
      expect(h.writes.length).toBeGreaterThanOrEqual(5);
      const stamps = h.writes.map((w) => w.slice(0, 15));
      expect(new Set(stamps).size).toBe(stamps.length);
      h.stop();
      expect(vi.getTimerCount()).toBe(0);
    });

    it('does not repeat a line when nothing happened', () => {
      const h = harness({ isTTY: false });
      h.report(measure(1));
      h.advance(10_000);
      expect(h.writes).toHaveLength(1);
      expect(vi.getTimerCount()).toBe(0);
      h.stop();
    });

    it('lets a message through at once, inside the interval', () => {
      const h = harness({ isTTY: false });
      h.report(measure(1));
      h.report(measure(2));
      h.report({ kind: 'message', text: 'round 1/7: 99 iterations' });
      expect(h.writes.at(-1)).toBe('[rpb 05:21:03] round 1/7: 99 iterations\n');
      expect(h.writes).toHaveLength(2);
      h.advance(1_000);
      expect(h.writes.at(-1)).toContain('measure round 2/7');
      h.stop();
    });
  });

  describe('stop', () => {
    it('is idempotent, clears the pending timer and ignores later status events', () => {
      const h = harness({ isTTY: true });
      h.report(measure(1));
      h.report(measure(2));
      expect(vi.getTimerCount()).toBe(2);
      h.stop();
      h.stop();
      expect(vi.getTimerCount()).toBe(0);
      expect(h.writes.filter((w) => w === '\r\x1b[2K')).toHaveLength(1);
      const count = h.writes.length;
      h.report(measure(3));
      h.advance(5_000);
      expect(h.writes).toHaveLength(count);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('still prints messages after stop, as plain lines', () => {
      const h = harness({ isTTY: true });
      h.report(measure(1));
      h.stop();
      h.report({ kind: 'message', text: 'report: written' });
      expect(h.writes.at(-1)).toBe('[rpb 05:21:03] report: written\n');
    });

    it('leaves no timer in plain mode either', () => {
      const h = harness({ isTTY: false });
      h.report(measure(1));
      h.report(stats);
      expect(vi.getTimerCount()).toBe(1);
      h.stop();
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  it('writes to process.stderr by default, never to stdout', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const reporter = createProgressReporter({ isTTY: false, now: () => T0 });
    reporter.report({ kind: 'message', text: 'hello' });
    reporter.report(measure(1));
    reporter.stop();
    expect(stderr).toHaveBeenCalledWith('[rpb 05:21:03] hello\n');
    expect(stderr).toHaveBeenCalledTimes(2);
  });

  it('rejects an interval that is not a positive number', () => {
    expect(() => createProgressReporter({ stream: { write: () => true }, intervalMs: 0 })).toThrow(/intervalMs/);
    expect(() => createProgressReporter({ stream: { write: () => true }, redrawIntervalMs: Number.NaN })).toThrow(
      /redrawIntervalMs/,
    );
  });

  it('the real timers are unref-ed', () => {
    vi.useRealTimers();
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const reporter = createProgressReporter({ stream: { write: () => true }, isTTY: true });
    reporter.report(measure(1));
    reporter.report(measure(2));
    const timers = [timeouts.mock.results.at(-1)?.value, intervals.mock.results.at(-1)?.value] as NodeJS.Timeout[];
    expect(timers.map((timer) => timer.hasRef())).toEqual([false, false]);
    reporter.stop();
  });
});
