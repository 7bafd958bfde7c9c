import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { debugTools } from './debug-tools.ts';

const tmpPath = useTempDir('rpb-debug-tools-');

describe('debug-tools scenario', () => {
  it('pairs GET segments without and with redis-cli MONITOR, finds KEYS * in SLOWLOG, and cleans up', async () => {
    const { scenario, ports } = watchTargetPorts(debugTools);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: {
        outDir: tmpPath('out'),
        overrides: {
          trials: '2',
          slowTrials: '2',
          segmentMs: '100',
          warmupMs: '0',
          keyCount: '100',
          slowKeyCount: '20000',
        },
      },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    expect(report.trials['monitoring.monitor-cost']).toHaveLength(2);
    expect(report.trials['monitoring.slowlog-catches']).toHaveLength(2);
    for (const metric of ['get.no-monitor', 'get.monitor']) {
      expect(report.metrics[metric].summary.count, metric).toBeGreaterThan(0);
      expect(report.metrics[metric].trials, metric).toHaveLength(2);
    }
    const v = report.values;
    expect(v['get.failures'].value).toBe(0);
    // redis-cli really read the feed: about one line per GET served while it was attached.
    expect(v['monitor.feed-bytes-per-get'].value).toBeGreaterThan(10);
    expect(v['slowlog.fast-logged'].value).toBe(0);
    expect(v['slowlog.threshold-us'].value).toBe(10_000);
    // SLOWLOG times the execution only; the client also waits for the reply's transfer.
    const logged = v['slowlog.logged-ms'].value;
    if (logged !== null) expect(logged).toBeLessThanOrEqual(v['slowlog.client-ms'].value ?? 0);
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0])).toBe(false);
  }, 60_000);
});
