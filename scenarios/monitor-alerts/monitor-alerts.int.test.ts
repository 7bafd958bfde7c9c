import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { runScenarioForTest, useTempDir } from '../../bench/test-support/scenario-test-run.ts';
import { monitorAlerts } from './monitor-alerts.ts';

const tmpPath = useTempDir('rpb-monitor-alerts-');

describe('monitor-alerts scenario', () => {
  it("raises each of the document's alerts in its condition, and none on a healthy server", async () => {
    const { summary, failures } = await runScenarioForTest({
      scenario: monitorAlerts,
      claims: CLAIMS,
      params: { outDir: tmpPath('out') },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    expect(report.status).toBe('ok');
    const values = report.values;
    if (values['drills.as-expected']?.value !== 8) console.log(report.notes.join('\n'));
    for (const drill of [
      'healthy',
      'low-hit-rate',
      'error-replies',
      'many-clients',
      'memory-above-80',
      'memory-above-95',
      'no-eviction-policy',
      'unreachable',
    ]) {
      expect({
        drill,
        asExpected: values[`${drill}.as-expected`]?.value,
        why: values[`${drill}.as-expected`]?.description,
      }).toMatchObject({ drill, asExpected: 1 });
    }
    expect(values['healthy.exit-code']!.value).toBe(0);
    expect(values['low-hit-rate.exit-code']!.value).toBe(10);
    expect(values['many-clients.exit-code']!.value).toBe(10);
    expect(values['memory-above-95.exit-code']!.value).toBe(11);
    expect(values['unreachable.exit-code']!.value).toBe(11);
  });

  it('refuses a Redis the harness did not start', async () => {
    const context = {
      target: { kind: 'url', url: 'redis://127.0.0.1:1', redactedUrl: 'redis://127.0.0.1:1' },
    } as unknown as Parameters<typeof monitorAlerts.run>[0];
    await expect(monitorAlerts.run(context)).rejects.toThrow(/runs only on a Redis the harness started/);
  });
});
