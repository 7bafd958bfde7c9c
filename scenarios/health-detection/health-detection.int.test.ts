import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { healthDetection } from './health-detection.ts';

const tmpPath = useTempDir('rpb-health-detection-');

describe('health-detection scenario', () => {
  it('kills, pauses and black-holes Redis under the service, times /health both ways, and leaves nothing behind', async () => {
    const { scenario, ports } = watchTargetPorts(healthDetection);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: {
        outDir: tmpPath('out'),
        overrides: { trialsPerKind: '1', detectTimeoutMs: '3000', idleProbeMs: '300' },
      },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    expect(report.status).toBe('ok');
    const values = report.values;
    // A SIGKILL closes the connection: the client sees it at once, so /health must say false and then true again.
    expect(values['kill.not-detected']!.value).toBe(0);
    expect(values['kill.not-recovered']!.value).toBe(0);
    expect(values['kill.detect-p50-ms']!.value).toBeGreaterThan(0);
    expect(values['kill.recover-p50-ms']!.value).toBeGreaterThan(0);
    for (const kind of ['pause', 'blackhole']) expect(values[`${kind}.not-recovered`]!.value, kind).toBe(0);
    // The service answers every request whatever Redis does (it computes instead).
    expect(values['signal-requests.failed']!.value, report.notes.join('\n')).toBe(0);
    expect(values['signal-requests']!.value).toBeGreaterThan(10);
    expect(values['health-polls']!.value).toBeGreaterThan(50);
    expect(values['idle-pause.detected']).toBeDefined();
    for (const id of ['monitoring.health-kill', 'monitoring.health-pause', 'monitoring.health-blackhole']) {
      expect(report.trials[id], id).toHaveLength(1);
      const verdict = report.verdicts.find((v) => v.claimId === id);
      expect(verdict?.outcome, id).toBe('inconclusive'); // one trial is fewer than a verdict needs
      expect(verdict?.conditions, id).toMatch(/polled every 10 ms/);
    }
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0]!)).toBe(false);
  }, 60_000);

  it('refuses a Redis the harness did not start', async () => {
    const context = {
      target: { kind: 'url', url: 'redis://127.0.0.1:1', redactedUrl: 'redis://127.0.0.1:1' },
    } as unknown as Parameters<typeof healthDetection.run>[0];
    await expect(healthDetection.run(context)).rejects.toThrow(/kills, pauses and restarts its Redis/);
  });
});
