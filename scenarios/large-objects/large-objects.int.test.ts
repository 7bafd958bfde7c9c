import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { largeObjects } from './large-objects.ts';

const tmpPath = useTempDir('rpb-large-objects-');

describe('large-objects scenario', () => {
  it('times the DataFrame JSON against the feature vector, measures the other client in both windows, and closes all', async () => {
    const { scenario, ports } = watchTargetPorts(largeObjects);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: {
        outDir: tmpPath('out'),
        overrides: {
          trials: '2',
          largeBytes: '300000',
          windowMs: '150',
          probeRatePerSecond: '400',
          ioRepetitions: '1',
        },
      },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    for (const id of largeObjects.claims) {
      expect(report.trials[id], id).toHaveLength(2);
      expect(report.verdicts.find((v) => v.claimId === id)?.interval?.trials, id).toBe(2);
    }
    const v = report.values;
    expect(v['large.json-bytes'].value).toBeGreaterThanOrEqual(300_000);
    expect(v['large.json-bytes'].value).toBeLessThan(300_300);
    // Redis holds the value itself plus its headers: MEMORY USAGE is at least the bytes stored.
    expect(v['large.memory-usage-bytes'].value).toBeGreaterThanOrEqual(v['large.json-bytes'].value ?? 0);
    expect(v['vector.memory-usage-bytes'].value).toBeGreaterThanOrEqual(v['vector.bytes'].value ?? 0);
    for (const moved of ['large', 'vector']) {
      expect(report.metrics[`others-get.while-${moved}`].summary.count, moved).toBeGreaterThan(0);
      expect(v[`others-get.while-${moved}.failures`].value, moved).toBe(0);
      expect(v[`mover.${moved}.commands`].value, moved).toBeGreaterThan(0);
    }
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0])).toBe(false);
  }, 120_000);
});
