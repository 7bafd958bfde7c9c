import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { poolEndToEnd } from './pool-end-to-end.ts';

const tmpPath = useTempDir('rpb-pool-e2e-');

describe('pool-end-to-end scenario', () => {
  it('loads the pooled and the per-request service in alternation and closes every connection it opened', async () => {
    const { scenario, ports } = watchTargetPorts(poolEndToEnd);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: {
        outDir: tmpPath('out'),
        // No time bound on a phase: each sends exactly requestsPerPhase, however loaded the machine.
        overrides: { trials: '2', requestsPerPhase: '20', phaseMaxMs: '60000', warmupRequests: '5', warmSetSize: '4' },
      },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    expect(report.trials['optimization.pool-end-to-end']).toHaveLength(2);
    for (const metric of ['http.pool', 'http.new-connection']) {
      expect(report.metrics[metric].trials, metric).toHaveLength(2);
      expect(report.metrics[metric].summary.count, metric).toBeGreaterThanOrEqual(2 * 20);
    }
    const v = report.values;
    expect(v['failed-requests'].value).toBe(0);
    // Each request of the per-request service opened at least one connection, and each was closed.
    expect(v['connections-per-request'].value).toBeGreaterThanOrEqual(1);
    expect(v['connections.closed'].value).toBe(v['connections.opened'].value);
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0])).toBe(false);
  }, 120_000);
});
