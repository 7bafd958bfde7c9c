import { describe, expect, it } from 'vitest';
import type { ClaimVerdict } from '../../../core/claim.ts';
import type { ScenarioValue } from '../../../core/run-summary.ts';
import type { ScenarioPlotData } from '../../report-data.ts';
import { claim, scenario, value } from '../fixtures/plot-data.ts';
import { renderHeadline } from '../headline.ts';
import { OUTCOME_COLORS } from '../palette.ts';
import { debugToolsHeadline, healthDetectionHeadline, monitorAlertsHeadline } from './monitoring-headlines.ts';
import { count, harness, withRun } from './test-fixtures.ts';

const ALERT_PREFIXES = [
  ['monitoring.alert-hit-rate', 'hit-rate'],
  ['monitoring.alert-memory-80', 'memory-80'],
  ['monitoring.alert-clients', 'clients'],
  ['monitoring.alert-keyspace-errors', 'keyspace-errors'],
  ['monitoring.alert-unreachable', 'unreachable'],
  ['monitoring.alert-memory-95', 'memory-95'],
  ['monitoring.alert-eviction-policy', 'eviction-policy'],
] as const;

function monitorAlerts(): ScenarioPlotData {
  const values: Record<string, ScenarioValue> = {};
  const trials: Record<string, number[]> = {};
  ALERT_PREFIXES.forEach(([id, prefix], i) => {
    values[`${prefix}.misses`] = value(i === 2 ? 2 : 0, 'count');
    values[`${prefix}.false-alarms`] = value(i === 2 ? 1 : 0, 'count');
    values[`${prefix}.detect-p50-ms`] = value(40 + i, 'ms');
    values[`${prefix}.detect-max-ms`] = value(60 + i, 'ms');
    trials[id] = i === 2 ? [3, 0] : [0, 0];
  });
  values['service.clients-max'] = value(9, 'count');
  values.checks = value(100, 'count');
  trials['monitoring.expected-clients'] = [7, 8];
  const verdicts = [
    ...ALERT_PREFIXES.map(([id], i) => claim(id, 0, 'count', i === 2 ? 3 : 0, i === 2 ? 'does not hold' : 'holds')),
    claim('monitoring.expected-clients', 7.5, 'count', 7.5, 'holds'),
  ];
  return withRun(scenario('monitor-alerts', { values, verdicts }), trials, { checkIntervalMs: 50 });
}

describe('monitorAlertsHeadline', () => {
  it('draws wrong checks per alert, detection against one check interval and the clients against 5-10', () => {
    const html = renderHeadline(monitorAlerts());
    expect(html).toContain('data-headline="monitor-alerts" data-headline-kind="designed"');
    // 7 alerts in the wrong-checks panel, 7 detection bars, the service's median and max.
    expect(count(html, /<circle class="mark"/)).toBe(7 + 2);
    expect(count(html, /<rect class="mark"/)).toBe(7);
    expect(html).toContain('<title>one check interval: 50 ms</title>');
    expect(html).toContain('<title>document: expected 5</title>');
    expect(html).toContain('<title>document: up to 10</title>');
    expect(html).toContain('2 missed, 1 false alarms: does not hold');
    expect(html).toContain(`fill="${OUTCOME_COLORS['does not hold'].mark}"`);
    // Per-round dots: 7 alerts x 2 rounds + the clients' 2.
    expect(count(html, /class="trial"/)).toBe(16);
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it('leaves out the interval line without the parameter and falls back without any alert figure', () => {
    const data = monitorAlerts();
    const noInterval = monitorAlertsHeadline({ ...data, report: { ...data.report, parameters: {} } });
    expect(noInterval?.body).not.toContain('one check interval');
    expect(monitorAlertsHeadline(scenario('monitor-alerts', {}))).toBeNull();
    expect(renderHeadline(scenario('monitor-alerts', {}))).toContain('data-headline-kind="none"');
  });
});

function healthDetection(parts: { idle?: boolean; recovery?: boolean } = {}): ScenarioPlotData {
  const values: Record<string, ScenarioValue> = { 'false-while-healthy': value(0, 'count') };
  const trials: Record<string, number[]> = {};
  const verdicts: ClaimVerdict[] = [];
  for (const [fault, id, ms] of [
    ['kill', 'monitoring.health-kill', 8],
    ['pause', 'monitoring.health-pause', 100],
    ['blackhole', 'monitoring.health-blackhole', 1500],
  ] as const) {
    if (parts.recovery !== false) {
      values[`${fault}.recover-p50-ms`] = value(ms / 2);
      values[`${fault}.recover-max-ms`] = value(ms);
    }
    trials[id] = [ms * 0.9, ms, ms * 1.1];
    verdicts.push(harness(claim(id, 1000, 'ms', ms, ms > 1000 ? 'does not hold' : 'holds')));
  }
  if (parts.idle === true) values['idle-pause.detect-ms'] = value(90);
  return withRun(scenario('health-detection', { values, verdicts }), trials);
}

describe('healthDetectionHeadline', () => {
  it('draws detection and recovery per fault on a log axis against the 1 s threshold, trials as dots', () => {
    const html = renderHeadline(healthDetection({ idle: true }));
    expect(html).toContain('data-headline="health-detection" data-headline-kind="designed"');
    expect(count(html, /<rect class="mark"/)).toBe(3 * 2 + 1);
    expect(count(html, /class="trial"/)).toBe(9);
    expect(count(html, /class="reference"/)).toBe(1);
    expect(html).toContain('<title>harness&#39;s threshold: 1000 ms</title>');
    expect(html).toContain('ms (log)');
    expect(html).toContain('1500 ms vs 1000 ms: does not hold');
    expect(html).toContain(`fill="${OUTCOME_COLORS['does not hold'].mark}"`);
    expect(html).toContain('pause with no traffic');
  });

  it('draws what it has when the recovery figures are missing, falls back with nothing', () => {
    const partial = healthDetectionHeadline(healthDetection({ recovery: false }));
    expect(partial).not.toBeNull();
    expect(count(partial?.body ?? '', /<rect class="mark"/)).toBe(3);
    expect(partial?.body).toContain('not recovered');
    expect(healthDetectionHeadline(scenario('health-detection', {}))).toBeNull();
  });
});

function debugTools(slowlog: boolean): ScenarioPlotData {
  const values: Record<string, ScenarioValue> = {
    'get.rate-no-monitor': value(200_000, 'ops/s'),
    'get.rate-monitor': value(80_000, 'ops/s'),
  };
  const verdicts = [harness(claim('monitoring.monitor-cost', 50, '%', 40, 'does not hold'))];
  const trials: Record<string, number[]> = { 'monitoring.monitor-cost': [38, 40, 42] };
  if (slowlog) {
    Object.assign(values, {
      'slowlog.threshold-us': value(10_000, 'us'),
      'slowlog.logged-ms': value(40),
      'slowlog.client-ms': value(60),
      'slowlog.fast-logged': value(0, 'count'),
    });
    verdicts.push(claim('monitoring.slowlog-catches', 100, '%', 100, 'holds'));
    trials['monitoring.slowlog-catches'] = [100, 100, 100];
  }
  return withRun(scenario('debug-tools', { values, verdicts }), trials);
}

describe('debugToolsHeadline', () => {
  it('draws the GET rate with and without MONITOR against the 50% line, SLOWLOG catches per trial', () => {
    const html = renderHeadline(debugTools(true));
    expect(html).toContain('data-headline="debug-tools" data-headline-kind="designed"');
    // The 50% line sits at half the rate without MONITOR: 100000 ops/s.
    expect(html).toContain('<title>harness&#39;s threshold: 50% of the rate without</title>');
    expect(html).toContain('<title>slowlog-log-slower-than 10 ms</title>');
    expect(html).toContain('<title>document: 100%</title>');
    expect(count(html, /class="trial"/)).toBe(6);
    expect(html).toContain('80000 ops/s: does not hold');
    expect(html).toContain(`fill="${OUTCOME_COLORS['does not hold'].mark}"`);
  });

  it('draws the MONITOR part alone when a run skipped SLOWLOG', () => {
    const headline = debugToolsHeadline(debugTools(false));
    expect(headline?.body).toContain('with one MONITOR client');
    expect(headline?.body).not.toContain('caught by SLOWLOG');
    expect(headline?.body).not.toContain('slowlog-log-slower-than');
    expect(debugToolsHeadline(scenario('debug-tools', {}))).toBeNull();
  });
});
