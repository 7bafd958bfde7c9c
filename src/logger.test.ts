import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogFields, Logger } from './logger.ts';
import { createRateLimitedLogger } from './logger.ts';

interface Line {
  readonly atMs: number;
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A logger that keeps every line with the fake clock's time. */
function sink(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const keep =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push({ atMs: Date.now(), level, message, fields });
    };
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/** The kind of a cache failure line: its `kind` field. */
const byKindField = (_message: string, fields: LogFields | undefined): string | undefined =>
  typeof fields?.kind === 'string' ? fields.kind : undefined;

describe('createRateLimitedLogger', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const limited = (inner: Logger) => createRateLimitedLogger(inner, { kindOf: byKindField, clock: () => Date.now() });

  it('1,000 failures of one kind in 1 s: one line in that second, then one line with the count of the others', () => {
    const out = sink();
    const logger = limited(out);
    for (let i = 0; i < 1_000; i++) {
      logger.warn('Cache call failed', { kind: 'timeout', request: i });
      vi.advanceTimersByTime(0.999);
    }
    expect(out.lines.filter((l) => l.atMs < 1_000)).toHaveLength(1);
    expect(out.lines[0]!.fields).toEqual({ kind: 'timeout', request: 0 });
    vi.advanceTimersByTime(1_000);
    expect(out.lines).toHaveLength(2);
    // The latest held line stands for itself; the 998 before it are counted.
    expect(out.lines[1]!.fields).toEqual({ kind: 'timeout', request: 999, suppressed: 998 });
    expect(out.lines[1]!.atMs).toBe(1_000);
    logger.close();
  });

  it('two kinds failing at once: one line per kind', () => {
    const out = sink();
    const logger = limited(out);
    for (let i = 0; i < 500; i++) {
      logger.warn('Cache call failed', { kind: 'timeout' });
      logger.warn('Cache call failed', { kind: 'breaker-open' });
      vi.advanceTimersByTime(1);
    }
    const firstSecond = out.lines.filter((l) => l.atMs < 1_000);
    expect(firstSecond.map((l) => l.fields?.kind)).toEqual(['timeout', 'breaker-open']);
    logger.close();
  });

  it('never writes two lines of a kind less than the interval apart, and loses no count', () => {
    const out = sink();
    const logger = limited(out);
    let sent = 0;
    for (let t = 0; t < 5_000; t += 7) {
      logger.error('Cache call failed', { kind: 'connection' });
      sent += 1;
      vi.advanceTimersByTime(7);
    }
    logger.close();
    const times = out.lines.map((l) => l.atMs);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1_000);
    const written = out.lines.length;
    const suppressed = out.lines.reduce((sum, l) => sum + Number(l.fields?.suppressed ?? 0), 0);
    expect(written + suppressed).toBe(sent);
    expect(out.lines.every((l) => l.level === 'error')).toBe(true);
  });

  it('a line after a quiet interval is written at once, without a count', () => {
    const out = sink();
    const logger = limited(out);
    logger.warn('Cache call failed', { kind: 'oom' });
    vi.advanceTimersByTime(5_000);
    logger.warn('Cache call failed', { kind: 'oom' });
    expect(out.lines.map((l) => [l.atMs, l.fields?.suppressed])).toEqual([
      [0, undefined],
      [5_000, undefined],
    ]);
  });

  it('limits lines without a kind under their message, and passes debug and info through', () => {
    const out = sink();
    const logger = limited(out);
    for (let i = 0; i < 10; i++) {
      logger.warn('Cache circuit breaker state change');
      logger.warn('Redis connection error');
      logger.info('Redis connection restored');
      logger.debug('Cache MISS');
    }
    expect(out.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'Cache circuit breaker state change',
      'Redis connection error',
    ]);
    expect(out.lines.filter((l) => l.level !== 'warn')).toHaveLength(20);
  });

  it('close() writes the lines still held back, with their counts, and leaves no timer', () => {
    const out = sink();
    const logger = limited(out);
    for (let i = 0; i < 3; i++) logger.warn('Cache call failed', { kind: 'timeout' });
    logger.close();
    expect(out.lines.map((l) => l.fields?.suppressed)).toEqual([undefined, 1]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('beyond maxKinds, new kinds share one budget', () => {
    const out = sink();
    const logger = createRateLimitedLogger(out, { maxKinds: 2, clock: () => Date.now() });
    for (let i = 0; i < 10; i++) logger.warn(`Cache SET failed for symbol ${i}`);
    expect(out.lines).toHaveLength(3);
    logger.close();
  });
});
