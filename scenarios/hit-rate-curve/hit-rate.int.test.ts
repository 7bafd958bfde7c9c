import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { hitRate } from './hit-rate.ts';

const tmpPath = useTempDir('rpb-hit-rate-');

describe('hit-rate scenario', () => {
  it('replays a tiny workload per maxmemory point, predicts each from the same trace and judges the claims', async () => {
    const { scenario, ports } = watchTargetPorts(hitRate);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: {
        seed: 3,
        outDir: tmpPath('out'),
        // 100 x 5 keys, 3,000 requests at 3,000/s: each replay takes ~1 s.
        overrides: { symbols: '100', dates: '5', accesses: '3000', requestsPerSecond: '3000', sweeps: 'maxmemory' },
      },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    const v = report.values;
    expect(v['memory.used-memory-per-key-bytes'].value).toBeGreaterThan(v['memory.value-bytes'].value!);
    // Everything fits at 512 MB: no eviction; at 10% of the working set Redis must evict.
    expect(v['document.evicted-keys'].value).toBe(0);
    expect(v['maxmemory-0.1.evicted-keys'].value).toBeGreaterThan(0);
    expect(v['maxmemory-0.1.measured-hit-rate'].value).toBeLessThan(v['maxmemory-1.measured-hit-rate'].value!);
    // With no eviction and no expiry, Redis and the model agree exactly: misses are first requests.
    expect(v['document.gap-points'].value).toBeCloseTo(0, 6);
    expect(Math.abs(v['maxmemory-0.25.gap-points'].value!)).toBeLessThan(15);
    expect(report.series?.['predicted: exact LRU (stack distances, TTL-aware)'].x.length).toBe(40);
    expect(report.series?.['measured: allkeys-lru, samples 10'].y.length).toBe(4);
    expect(report.verdicts.map((x) => x.claimId).sort()).toEqual([
      'degradation.cache-full-hit-rate',
      'degradation.cache-full-new-keys-cached',
      'monitoring.hit-rate',
    ]);
    expect(report.verdicts.every((x) => x.interval?.trials === 3)).toBe(true);
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0])).toBe(false);
  });
});
