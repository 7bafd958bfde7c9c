import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { ALERT_CONDITIONS } from './alert-conditions.ts';
import { ALERT_CLAIM_KEYS } from './claims.ts';
import { monitorAlerts } from './monitor-alerts.ts';

const tmpPath = useTempDir('rpb-monitor-alerts-');

describe('monitor-alerts scenario', () => {
  it('drives Redis through every condition with the monitor checking, and puts it back', async () => {
    const { scenario, ports } = watchTargetPorts(monitorAlerts);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: { outDir: tmpPath('out'), overrides: { rounds: '2', fillerMb: '8' } },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    expect(report.status).toBe('ok');
    const values = report.values;
    // Every condition of both rounds had at least one check wholly inside it.
    expect(values['checks.judged']!.value).toBeGreaterThanOrEqual(2 * ALERT_CONDITIONS.length);
    for (const id of Object.keys(ALERT_CLAIM_KEYS)) {
      expect(report.trials[id], id).toHaveLength(2);
      const name = id.replace('monitoring.alert-', '');
      // Each alert was raised in its condition at least once (a detection time exists).
      expect(values[`${name}.detect-max-ms`]?.value, name).toBeGreaterThan(0);
    }
    // The service condition ran and its connections were counted (at least its own Redis client).
    expect(report.trials['monitoring.expected-clients']).toHaveLength(2);
    expect(values['service.clients-median']!.value).toBeGreaterThanOrEqual(1);
    expect(values['service.requests']!.value).toBeGreaterThan(0);
    expect(values['service.requests-failed']!.value).toBe(0);
    for (const verdict of report.verdicts) expect(verdict.outcome, verdict.claimId).not.toBe('not measured');
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0]!)).toBe(false);
  }, 90_000);

  it('refuses a Redis the harness did not start', async () => {
    const context = {
      target: { kind: 'url', url: 'redis://127.0.0.1:1', redactedUrl: 'redis://127.0.0.1:1' },
    } as unknown as Parameters<typeof monitorAlerts.run>[0];
    await expect(monitorAlerts.run(context)).rejects.toThrow(/runs only on a Redis the harness started/);
  });
});
