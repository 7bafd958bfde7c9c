import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { antiPatterns } from './anti-patterns.ts';

const tmpPath = useTempDir('rpb-anti-patterns-');

describe('anti-patterns scenario', () => {
  it('runs every bad and good variant per trial, under the fault, and leaves no key or server behind', async () => {
    const { scenario, ports } = watchTargetPorts(antiPatterns);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: { outDir: tmpPath('out'), overrides: { trials: '2', readsPerTrial: '6', failedSetsPerTrial: '4' } },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    for (const id of antiPatterns.claims) expect(report.trials[id], id).toHaveLength(2);
    for (const metric of ['read.current-price', 'read.features', 'order.publish', 'order.http'])
      expect(report.metrics[metric].summary.count, metric).toBeGreaterThan(0);
    const v = report.values;
    // The fault fails every SET of both handlers: 2 trials x 2 handlers x 4 SETs.
    expect(v['exceptions.failed-sets'].value).toBe(16);
    expect(v['exceptions.bad-handler-lines'].value).toBe(0);
    expect(v['exceptions.good-handler-lines'].value).toBeGreaterThan(0);
    expect(v['orders.http-confirmed'].value).toBe(2 * 10);
    expect(v['price.tick-interval-ms'].value).toBeGreaterThan(0);
    const verdict = report.verdicts.find((x) => x.claimId === 'antipattern.mutable-data-stale');
    // Two trials are fewer than a verdict needs (MIN_TRIALS).
    expect(verdict?.outcome).toBe('inconclusive');
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0])).toBe(false);
  }, 60_000);
});
