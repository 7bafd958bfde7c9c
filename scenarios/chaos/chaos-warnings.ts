/**
 * What a window's log says about "log warning": which kinds of cache failure were logged, and how
 * many lines one kind wrote within a second. Read from the lines the system logged into the
 * window's in-memory sink (EventLog), never from stdout.
 */
import { cacheWarningKind } from '../../src/cache/resilient-feature-cache.ts';
import type { LoggedEvent } from './chaos-types.ts';

/** The span the rate is counted over, and the slack for the sink's clock read after the logger's. */
const SECOND_MS = 1_000;
const CLOCK_READ_TOLERANCE_MS = 1;

/** The warning lines of the window itself: lines flushed while the harness closed the system are not its. */
export function windowWarnings(events: readonly LoggedEvent[]): LoggedEvent[] {
  return events.filter((e) => e.level === 'warn' && !e.atClose);
}

/** The kind of a warning line: its kind of cache failure, else its message (breaker changes, connection state). */
export function warningKind(event: LoggedEvent): string {
  return cacheWarningKind(event.message, event.fields) ?? event.message;
}

/**
 * The most warning lines of one kind within any second of the window (lines less than 1 s apart, to
 * the 1 ms it takes to read two clocks); null when no cache call failed (nothing to log).
 */
export function maxLinesPerKindPerSecond(
  events: readonly LoggedEvent[],
  failuresByKind: Readonly<Record<string, number>>,
): number | null {
  if (totalFailures(failuresByKind) === 0) return null;
  const timesByKind = new Map<string, number[]>();
  for (const event of windowWarnings(events)) {
    const kind = warningKind(event);
    timesByKind.set(kind, [...(timesByKind.get(kind) ?? []), event.tMs]);
  }
  let most = 0;
  for (const times of timesByKind.values()) most = Math.max(most, densestSecond(times.sort((a, b) => a - b)));
  return most;
}

/** The most sorted times within [t, t + 1 s) for any t (sliding window). */
function densestSecond(sorted: readonly number[]): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= SECOND_MS - CLOCK_READ_TOLERANCE_MS) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/**
 * Share (%) of the kinds of cache failure that happened in the window (counted on the generator's
 * cache, outside the logger) with at least one warning line of that kind; null when none happened.
 */
export function loggedKindShare(
  events: readonly LoggedEvent[],
  failuresByKind: Readonly<Record<string, number>>,
): number | null {
  const happened = Object.keys(failuresByKind).filter((kind) => (failuresByKind[kind] ?? 0) > 0);
  if (happened.length === 0) return null;
  const logged = new Set(windowWarnings(events).map(warningKind));
  return (happened.filter((kind) => logged.has(kind)).length * 100) / happened.length;
}

/** Lines the rate-limited logger held back and counted instead of writing (the `suppressed` fields). */
export function suppressedWarnings(events: readonly LoggedEvent[]): number {
  return events.reduce((sum, e) => sum + (typeof e.fields?.suppressed === 'number' ? e.fields.suppressed : 0), 0);
}

function totalFailures(failuresByKind: Readonly<Record<string, number>>): number {
  return Object.values(failuresByKind).reduce((sum, n) => sum + n, 0);
}
