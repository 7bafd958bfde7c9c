import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { liveChildPids } from '../../bench/core/cleanup-registry.ts';
import type { ScenarioReport } from '../../bench/core/run-summary.ts';
import type { Scenario } from '../../bench/run/scenario.ts';
import { waitUntilNotRunning } from '../../bench/targets/test-support.ts';
import { runScenarioForTest, useTempDir, watchedScenario } from '../../bench/test-support/scenario-test-run.ts';
import { runScenariosCommand, selectScenarios } from '../../bench/commands/run.ts';
import { ConfigError } from '../../bench/errors.ts';
import { clusterFailover, sentinelFailover } from './failover.ts';

const tmpPath = useTempDir('rpb-failover-');

/**
 * One --quick run with fewer trials: the first lane runs two trials (so a healed deployment is
 * measured again), the others one each. Returns the report, the run's own pids and the harness's
 * child processes left afterwards.
 */
async function quickRun(
  scenario: Scenario,
  overrides: Record<string, string>,
): Promise<{ report: ScenarioReport; pids: number[]; leftChildren: number[] }> {
  const before = new Set(liveChildPids());
  const pids: number[] = [];
  const { summary, failures } = await runScenarioForTest({
    // Watched only to learn the deployment's pids, to check they are gone afterwards.
    scenario: watchedScenario(scenario, {
      before: (ctx) => pids.push(...(ctx.topology?.cluster?.pids ?? ctx.topology?.sentinel?.pids ?? [])),
    }),
    claims: CLAIMS,
    params: { outDir: tmpPath(scenario.id), overrides },
  });
  expect(failures).toEqual([]);
  return {
    report: summary.scenarios[0],
    pids,
    leftChildren: liveChildPids().filter((pid) => !before.has(pid)),
  };
}

/** What every failover run reports, whatever its verdict: a figure per trial, end to end, and no process left. */
async function expectMeasuredRun(
  { report, pids, leftChildren }: Awaited<ReturnType<typeof quickRun>>,
  trials: number,
  detectionMs: number,
): Promise<void> {
  expect(report.status).toBe('ok');
  const figures = report.trials['write-recovery-ms'];
  expect(figures).toHaveLength(trials);
  // End to end: failure detection alone takes the detection setting, so no trial recovers sooner.
  for (const ms of figures) expect(ms).toBeGreaterThan(detectionMs);
  expect(report.values['failed-writes'].value).toBeGreaterThan(0);
  expect(report.values['promotion-ms'].value).toBeGreaterThan(0);
  expect(report.values['lost-acknowledged-writes'].value).toBeGreaterThanOrEqual(0);
  expect(report.metrics['failover.write'].summary.count).toBeGreaterThan(0);
  const [fast, defaults] = report.verdicts;
  expect(fast.figures).toHaveLength(trials);
  expect(defaults.outcome).toBe('not measured');
  expect(defaults.explanation).toMatch(/^needs --thorough/);
  expect(leftChildren).toEqual([]);
  for (const pid of pids) expect(await waitUntilNotRunning(pid, 10_000)).not.toBe('running');
}

describe('failover scenarios', () => {
  it('cluster: kills masters on two deployments side by side, heals between trials, leaves no process', async () => {
    const run = await quickRun(clusterFailover, { trials: '3', lanes: '2' });
    await expectMeasuredRun(run, 3, 2_000);
    // Three trials on two lanes: one of them ran two, the second on its healed deployment.
    const lanes = run.report.notes.flatMap((n) => /^trial \d+ \(lane (\d+), fast\): master/.exec(n)?.[1] ?? []);
    expect(lanes).toHaveLength(3);
    expect(lanes.every((lane) => lane === '1' || lane === '2')).toBe(true);
    expect(run.report.verdicts[0].conditions).toMatch(/cluster-node-timeout 2000 ms \(the harness's fast setting/);
    expect(run.pids).toHaveLength(6);
  }, 60_000);

  it('sentinel: kills the master twice on one deployment, healed in between, leaves no process', async () => {
    const run = await quickRun(sentinelFailover, { trials: '2', lanes: '1' });
    await expectMeasuredRun(run, 2, 1_000);
    expect(run.report.verdicts[0].conditions).toMatch(/down-after-milliseconds 1000 ms, failover-timeout 5000 ms/);
    expect(run.pids).toHaveLength(6);
  }, 60_000);

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
