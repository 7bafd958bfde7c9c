import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { QUICK_HIT_RATE_PARAMS } from './hit-rate-plan.ts';
import { hitRate } from './hit-rate.ts';

const tmpPath = useTempDir('rpb-hit-rate-');

describe('hit-rate scenario', () => {
  it('replays simulated trading days on the document configuration and a full cache, one trial per day (--quick)', async () => {
    const { scenario, ports } = watchTargetPorts(hitRate);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: { outDir: tmpPath('out') },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    const v = report.values;
    expect(v['memory.used-memory-per-key-bytes'].value).toBeGreaterThan(v['memory.value-bytes'].value!);
    // The TTL Redis sees is the simulated TTL over the acceleration.
    expect(v['clock.ttl-px-ms'].value).toBe(Math.round(3_600_000 / v['clock.acceleration'].value!));
    // 512 MB holds every key: no eviction; the full cache must evict.
    expect(v['document.evicted-keys'].value).toBe(0);
    expect(v['cache-full.evicted-keys'].value).toBeGreaterThan(0);
    // Without eviction, Redis's TTL expiry and the exact model agree up to the replay's lag.
    expect(Math.abs(v['document.measured-hit-rate'].value! - v['document.predicted-hit-rate'].value!)).toBeLessThan(5);
    expect(v['maxmemory-0.25.measured-hit-rate'].value).toBeLessThan(v['document.measured-hit-rate'].value!);
    expect(report.verdicts.map((x) => x.claimId).sort()).toEqual([
      'degradation.cache-full-hit-rate',
      'degradation.cache-full-new-keys-cached',
      'monitoring.hit-rate',
    ]);
    for (const figures of Object.values(report.trials ?? {}))
      expect(figures).toHaveLength(QUICK_HIT_RATE_PARAMS.trials);
    expect(report.series?.['predicted: hit rate by request rate (unlimited memory, TTL)'].x).toEqual(
      QUICK_HIT_RATE_PARAMS.requestRates,
    );
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0])).toBe(false);
    // Without bench/vitest.config.ts (60 s) vitest's 5 s default would cut the ~6 s quick run short.
  }, 60_000);
});
