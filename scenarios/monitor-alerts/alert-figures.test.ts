import { describe, expect, it } from 'vitest';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { CheckRecord, StateWindow } from './alert-figures.ts';
import {
  checksIn,
  judgedCount,
  medianOfCounts,
  tallyAlert,
  unexpectedAlerts,
  wrongCheckTexts,
} from './alert-figures.ts';
import { countClientsExcept } from './service-load.ts';
import { MONITOR_ALERTS_CLAIMS } from './claims.ts';

const memoryWarning = { id: 'memory', severity: 'warning' } as const;
const memoryCritical = { id: 'memory', severity: 'critical' } as const;

const windows: StateWindow[] = [
  { name: 'memory-79', appliedAtMs: 0, leftAtMs: 100, expected: [] },
  { name: 'memory-81', appliedAtMs: 110, leftAtMs: 200, expected: [memoryWarning] },
  { name: 'memory-96', appliedAtMs: 210, leftAtMs: 300, expected: [memoryCritical] },
];

const check = (startMs: number, alerts: CheckRecord['alerts'] = []): CheckRecord => ({
  startMs,
  endMs: startMs + 10,
  alerts,
});

describe('monitor-alerts figures', () => {
  it('judges a check only against the condition it ran wholly inside', () => {
    const checks = [check(50), check(95, [memoryWarning]), check(130, [memoryWarning]), check(250, [memoryCritical])];
    expect(checksIn(windows[1]!, checks)).toEqual([checks[2]]);
    // The check across the change (95..105) judges nothing, though it saw the next condition's alert.
    expect(judgedCount(windows, checks)).toBe(3);
    expect(tallyAlert(memoryWarning, windows, checks)).toEqual({ misses: 0, falseAlarms: 0, detectMs: [30] });
    expect(tallyAlert(memoryCritical, windows, checks)).toEqual({ misses: 0, falseAlarms: 0, detectMs: [50] });
    expect(unexpectedAlerts(windows, checks)).toEqual([]);
  });

  it('counts a missing alert, a wrong level and a false alarm near the threshold', () => {
    const checks = [check(50, [memoryWarning]), check(130), check(250, [memoryWarning])];
    // 79%: a warning is a false alarm; 81%: no alert is a miss; 96%: a warning instead of critical
    // is a miss of the critical alert and a false alarm of the warning.
    expect(tallyAlert(memoryWarning, windows, checks)).toEqual({ misses: 1, falseAlarms: 2, detectMs: [null] });
    expect(tallyAlert(memoryCritical, windows, checks)).toEqual({ misses: 1, falseAlarms: 0, detectMs: [null] });
    expect(unexpectedAlerts(windows, checks)).toEqual(['memory-79: warning:memory', 'memory-96: warning:memory']);
    expect(wrongCheckTexts(windows, checks, 10)).toEqual([
      'memory-79: expected no alert, a check 50 ms in saw warning:memory',
      'memory-81: expected warning:memory, a check 20 ms in saw no alert',
      'memory-96: expected critical:memory, a check 40 ms in saw warning:memory',
    ]);
  });

  it('counts a condition no check ran in as a miss', () => {
    expect(tallyAlert(memoryWarning, windows, [check(50)]).misses).toBe(1);
  });

  it("counts the connections of a CLIENT LIST reply except the harness's own", () => {
    const list = [
      'id=3 addr=127.0.0.1:5000 laddr=127.0.0.1:6379 fd=8 name=rpb-admin age=1 idle=0 flags=N db=0',
      'id=4 addr=127.0.0.1:5001 laddr=127.0.0.1:6379 fd=9 name=rpb-signal-service age=1 idle=0 flags=N db=0',
      'id=5 addr=127.0.0.1:5002 laddr=127.0.0.1:6379 fd=10 name= age=1 idle=0 flags=N db=0',
      'id=6 addr=127.0.0.1:5003 laddr=127.0.0.1:6379 fd=11 name=rpb-monitor age=0 idle=0 flags=N db=0',
      '',
    ].join('\n');
    expect(countClientsExcept(list, ['rpb-admin', 'rpb-monitor'])).toBe(2);
    expect(countClientsExcept(list, [])).toBe(4);
  });

  it("judges the document's 5-10 clients as [5, 10] and the alerts as never wrong", () => {
    const clients = MONITOR_ALERTS_CLAIMS.find((c) => c.id === 'monitoring.expected-clients')!;
    expect(judgeClaim(clients, [5, 6, 10, 7, 8, 9], 'test').outcome).toBe('holds');
    expect(judgeClaim(clients, [1, 1, 1, 1, 1, 1], 'test').outcome).toBe('does not hold');
    expect(medianOfCounts([1, 2, 2, 9])).toBe(2);
    const alert = MONITOR_ALERTS_CLAIMS.find((c) => c.id === 'monitoring.alert-memory-80')!;
    expect(judgeClaim(alert, [0, 0, 0, 0, 0, 0], 'test').outcome).toBe('holds');
    expect(judgeClaim(alert, [0, 0, 1, 0, 0, 0], 'test').outcome).toBe('does not hold');
    expect(judgeClaim(alert, [0, 0, 0], 'test').outcome).toBe('inconclusive');
  });
});
