import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { waitUntilNotRunning } from '../../bench/targets/test-support.ts';
import { runScenarioForTest, useTempDir, watchedScenario } from '../../bench/test-support/scenario-test-run.ts';
import { runScenariosCommand, selectScenarios } from '../../bench/commands/run.ts';
import { ConfigError } from '../../bench/errors.ts';
import { clusterFailover } from './failover.ts';

const tmpPath = useTempDir('rpb-failover-');

describe('cluster-failover scenario', () => {
  it('kills a cluster master under load, measures the recovery from every operation, and leaves no process', async () => {
    const pids: number[] = [];
    const { summary, failures } = await runScenarioForTest({
      // Watched only to learn the cluster's pids, to check they are gone afterwards.
      scenario: watchedScenario(clusterFailover, {
        before: (ctx) => pids.push(...(ctx.topology?.cluster?.pids ?? [])),
      }),
      claims: CLAIMS,
      params: {
        outDir: tmpPath('out'),
        overrides: {
          trials: '1',
          preFaultMs: '800',
          postRecoveryMs: '300',
          stableMs: '500',
          rateOpsPerSecond: '150',
          keyCount: '120',
          detectionMs: '1000',
        },
      },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    expect(report.notes.join('\n')).toMatch(/Redis Cluster, 3 masters \+ 3 replicas, cluster-node-timeout 1000 ms/);
    const recovery = report.values['write-recovery-ms'].value;
    // Failure detection alone takes cluster-node-timeout: writes cannot recover sooner.
    expect(recovery).toBeGreaterThan(1_000);
    expect(recovery).toBeLessThan(30_000);
    expect(report.values['failed-writes'].value).toBeGreaterThan(0);
    expect(report.values['promotion-ms'].value).toBeGreaterThan(0);
    expect(report.values['lost-acknowledged-writes'].value).toBeGreaterThanOrEqual(0);
    expect(report.metrics['failover.write'].summary.count).toBeGreaterThan(0);
    expect(report.metrics['failover.op'].summary.count).toBeGreaterThan(0);
    // One trial gives no verdict: too few trials, said so.
    expect(report.verdicts).toHaveLength(1);
    expect(report.verdicts[0].outcome).toBe('inconclusive');
    expect(pids).toHaveLength(6);
    for (const pid of pids) expect(await waitUntilNotRunning(pid, 10_000)).not.toBe('running');
  }, 45_000);

  it('is refused before anything starts on a topology it cannot run on, and so are standalone-only scenarios on a cluster', async () => {
    expect(selectScenarios(['cluster-failover', 'sentinel-failover']).map((s) => s.topologies)).toEqual([
      ['cluster'],
      ['sentinel'],
    ]);
    const observers = { message: () => {}, event: () => {} };
    await expect(
      runScenariosCommand(['cluster-failover'], { topology: 'sentinel', out: tmpPath('refused-1') }, 'test', observers),
    ).rejects.toThrow(/scenario cluster-failover does not run on --topology sentinel \(it supports: cluster\)/);
    await expect(
      runScenariosCommand(['pipelining'], { topology: 'cluster', out: tmpPath('refused-2') }, 'test', observers),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
