/** Pure judging of the monitor's checks against the conditions the scenario put Redis in. */
import type { AlertId, AlertSeverity } from '../../src/monitoring/alert-thresholds.ts';

/** An alert at its level, e.g. memory:warning. */
export interface AlertKey {
  readonly id: AlertId;
  readonly severity: AlertSeverity;
}

export const alertKeyText = (key: AlertKey): string => `${key.severity}:${key.id}`;

/** One evaluation of the monitor loop: when it ran (ms, monotonic) and the alerts it raised. */
export interface CheckRecord {
  readonly startMs: number;
  readonly endMs: number;
  readonly alerts: readonly AlertKey[];
}

/** A condition Redis was in from `appliedAtMs` (the server showed it) until `leftAtMs` (its undoing began). */
export interface StateWindow {
  readonly name: string;
  readonly appliedAtMs: number;
  readonly leftAtMs: number;
  /** The alerts the document's thresholds raise in this condition (empty: none). */
  readonly expected: readonly AlertKey[];
}

const sameKey = (a: AlertKey, b: AlertKey): boolean => a.id === b.id && a.severity === b.severity;

/** The checks that ran wholly inside the window; a check across a change of condition judges neither. */
export function checksIn(window: StateWindow, checks: readonly CheckRecord[]): CheckRecord[] {
  return checks.filter((c) => c.startMs >= window.appliedAtMs && c.endMs <= window.leftAtMs);
}

/** How one alert fared over a set of windows (one round). */
export interface AlertTally {
  /** Checks in a window expecting the alert that did not raise it at its level (or a window with no check). */
  readonly misses: number;
  /** Checks in a window not expecting it that raised it at its level. */
  readonly falseAlarms: number;
  /** Per window expecting it: condition in place to the end of the first check that raised it (null: none did). */
  readonly detectMs: readonly (number | null)[];
}

export function tallyAlert(key: AlertKey, windows: readonly StateWindow[], checks: readonly CheckRecord[]): AlertTally {
  let misses = 0;
  let falseAlarms = 0;
  const detectMs: (number | null)[] = [];
  for (const window of windows) {
    const inside = checksIn(window, checks);
    const expected = window.expected.some((e) => sameKey(e, key));
    const raised = inside.map((c) => c.alerts.some((a) => sameKey(a, key)));
    if (expected) {
      misses += inside.length === 0 ? 1 : raised.filter((r) => !r).length;
      const first = inside.find((_, i) => raised[i]);
      detectMs.push(first === undefined ? null : first.endMs - window.appliedAtMs);
    } else {
      falseAlarms += raised.filter((r) => r).length;
    }
  }
  return { misses, falseAlarms, detectMs };
}

/** Alerts raised in checks of windows that did not expect them, any alert: "false alarms" over the whole run. */
export function unexpectedAlerts(windows: readonly StateWindow[], checks: readonly CheckRecord[]): string[] {
  const out: string[] = [];
  for (const window of windows) {
    for (const check of checksIn(window, checks)) {
      for (const alert of check.alerts) {
        if (!window.expected.some((e) => sameKey(e, alert))) out.push(`${window.name}: ${alertKeyText(alert)}`);
      }
    }
  }
  return out;
}

/** The wrong checks in words (condition, expected, seen), for the notes; at most `limit`. */
export function wrongCheckTexts(
  windows: readonly StateWindow[],
  checks: readonly CheckRecord[],
  limit: number,
): string[] {
  const out: string[] = [];
  for (const window of windows) {
    const inside = checksIn(window, checks);
    const shown = (keys: readonly AlertKey[]): string => keys.map(alertKeyText).join(', ') || 'no alert';
    if (inside.length === 0) out.push(`${window.name}: no check ran wholly inside it`);
    for (const check of inside) {
      const same =
        check.alerts.length === window.expected.length &&
        check.alerts.every((a) => window.expected.some((e) => sameKey(a, e)));
      if (!same)
        out.push(
          `${window.name}: expected ${shown(window.expected)}, a check ${(check.startMs - window.appliedAtMs).toFixed(0)} ms in saw ${shown(check.alerts)}`,
        );
    }
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}

/** Checks that ran wholly inside some window (judged), of all checks. */
export function judgedCount(windows: readonly StateWindow[], checks: readonly CheckRecord[]): number {
  return checks.filter((c) => windows.some((w) => c.startMs >= w.appliedAtMs && c.endMs <= w.leftAtMs)).length;
}

/** The median of the values (the mean of the middle two for an even count); NaN for none. */
export function medianOfCounts(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
