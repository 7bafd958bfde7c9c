import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { runScenarios } from '../../bench/run/runner.ts';
import type { Scenario, ScenarioContext } from '../../bench/run/scenario.ts';
import { waitUntilNotRunning } from '../../bench/targets/test-support.ts';
import { runScenariosCommand, selectScenarios } from '../../bench/commands/run.ts';
import { ConfigError } from '../../bench/errors.ts';
import { clusterFailover } from './failover.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-failover-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('cluster-failover scenario', () => {
  it('kills a cluster master under load, measures the recovery from every operation, and leaves no process', async () => {
    const pids: number[] = [];
    // Wraps the scenario only to learn the cluster's pids, to check they are gone afterwards.
    const watched: Scenario = {
      ...clusterFailover,
      run: (ctx: ScenarioContext) => {
        pids.push(...(ctx.topology?.cluster?.pids ?? []));
        return clusterFailover.run(ctx);
      },
    };
    const { summary, failures } = await runScenarios({
      scenarios: [watched],
      params: {
        quick: true,
        seed: 1,
        outDir: path.join(tmp, 'out'),
        redisUrl: null,
        missExtraMs: 0,
        dataDir: null,
        overrides: {
          trials: '1',
          preFaultMs: '800',
          postRecoveryMs: '300',
          stableMs: '500',
          rateOpsPerSecond: '150',
          keyCount: '120',
          detectionMs: '1000',
        },
        addedLatencyMs: 0,
        shard: null,
        workers: 1,
      },
      command: 'test',
      signal: new AbortController().signal,
      progress: () => {},
      claims: CLAIMS,
      knownScenarioIds: ['cluster-failover'],
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
      runScenariosCommand(
        ['cluster-failover'],
        { topology: 'sentinel', out: path.join(tmp, 'refused-1') },
        'test',
        observers,
      ),
    ).rejects.toThrow(/scenario cluster-failover does not run on --topology sentinel \(it supports: cluster\)/);
    await expect(
      runScenariosCommand(['pipelining'], { topology: 'cluster', out: path.join(tmp, 'refused-2') }, 'test', observers),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
