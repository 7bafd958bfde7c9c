import { describe, expect, it } from 'vitest';
import type { LogFields } from '../../src/logger.ts';
import type { LoggedEvent } from './chaos-types.ts';
import { loggedKindShare, maxLinesPerKindPerSecond, suppressedWarnings, warningKind } from './chaos-warnings.ts';

function line(tMs: number, fields: LogFields, extra: Partial<LoggedEvent> = {}): LoggedEvent {
  return {
    tMs,
    level: 'warn',
    message: 'Cache call failed; continuing without the cache',
    fields,
    atClose: false,
    ...extra,
  };
}

/** One line per failed request, as the document's try/except logs: 1,000 timeouts within 0.9 s. */
const perRequest = Array.from({ length: 1_000 }, (_, i) =>
  line(i * 0.9, { error: '[timeout] cache get gave up after 150 ms' }),
);

describe('log-warning figures of one window', () => {
  it('one line per request: 1,000 lines of one kind in a second', () => {
    expect(maxLinesPerKindPerSecond(perRequest, { timeout: 1_000 })).toBe(1_000);
  });

  it('rate-limited: one line per kind per second, lines 1 s apart never share a second', () => {
    const limited = [
      line(0, { kind: 'timeout' }),
      line(5, { kind: 'breaker-open' }),
      line(1_000, { kind: 'timeout', suppressed: 40 }),
      line(1_005, { kind: 'breaker-open', suppressed: 900 }),
      // The sink reads its clock a moment after the logger: a hair under 1 s still counts as the next second.
      line(1_999.5, { kind: 'timeout', suppressed: 3 }),
    ];
    expect(maxLinesPerKindPerSecond(limited, { timeout: 45, 'breaker-open': 902 })).toBe(1);
    expect(suppressedWarnings(limited)).toBe(943);
  });

  it('two lines of a kind within a second count as two, whatever the other kinds do', () => {
    const twice = [line(0, { kind: 'timeout' }), line(400, { kind: 'timeout' }), line(410, { kind: 'connection' })];
    expect(maxLinesPerKindPerSecond(twice, { timeout: 2, connection: 1 })).toBe(2);
  });

  it('no cache failure in the window: no figure (nothing to log), for both figures', () => {
    expect(maxLinesPerKindPerSecond([], {})).toBeNull();
    expect(loggedKindShare([], { timeout: 0 })).toBeNull();
  });

  it('share of the failure kinds that logged at least one line', () => {
    const events = [line(0, { kind: 'timeout' }), line(10, { error: 'Connection is closed.' })];
    expect(loggedKindShare(events, { timeout: 3, connection: 1 })).toBe(100);
    expect(loggedKindShare(events, { timeout: 3, connection: 1, 'breaker-open': 50, oom: 1 })).toBe(50);
  });

  it('lines flushed while the harness closed the system are not the window', () => {
    const atClose = [line(0, { kind: 'timeout' }), line(10, { kind: 'timeout', suppressed: 9 }, { atClose: true })];
    expect(maxLinesPerKindPerSecond(atClose, { timeout: 11 })).toBe(1);
    expect(loggedKindShare([atClose[1]!], { timeout: 11 })).toBe(0);
  });

  it('a line about no failure is its own kind: its message', () => {
    const breaker: LoggedEvent = {
      tMs: 0,
      level: 'warn',
      message: 'Cache circuit breaker state change',
      fields: { from: 'closed', to: 'open' },
      atClose: false,
    };
    expect(warningKind(breaker)).toBe('Cache circuit breaker state change');
    expect(warningKind(line(0, { error: '[breaker-open] cache get skipped: circuit breaker open' }))).toBe(
      'breaker-open',
    );
  });
});
