import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { connections } from './connections.ts';

const tmpPath = useTempDir('rpb-connections-');

describe('connections scenario', () => {
  it('times new vs shared vs pooled connections, closes every client and judges the claim', async () => {
    const { scenario, ports } = watchTargetPorts(connections);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: { outDir: tmpPath('out'), overrides: { roundDurationMs: '200', rounds: '3' } },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    for (const metric of ['new-connection', 'connect-only', 'shared-client', 'pool']) {
      expect(report.metrics[metric].summary.count).toBeGreaterThan(0);
      expect(report.metrics[metric].trials).toHaveLength(3);
    }
    const verdict = report.verdicts.find((v) => v.claimId === 'optimization.connection-overhead');
    expect(verdict?.interval?.trials).toBe(3);
    expect(verdict?.conditions).toMatch(/loopback/);
    expect(report.trials['optimization.connection-overhead']).toHaveLength(3);

    const values = report.values;
    expect(values['connections.opened'].value).toBeGreaterThan(11);
    expect(values['connections.closed'].value).toBe(values['connections.opened'].value);
    expect(values['client-list.end'].value).toBe(values['client-list.baseline'].value);
    expect(values.anomalies.value).toBe(0);
    // A connect costs at least one round trip more than a GET on an open connection.
    expect(report.metrics['new-connection'].summary.p50Ns).toBeGreaterThan(
      report.metrics['shared-client'].summary.p50Ns ?? Number.POSITIVE_INFINITY,
    );
    expect(values['connection-overhead-p50-ms'].value).toBeGreaterThan(0);

    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0])).toBe(false);
  }, 60_000);
});
