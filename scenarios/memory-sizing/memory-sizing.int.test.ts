import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { memorySizing } from './memory-sizing.ts';

const tmpPath = useTempDir('rpb-memory-sizing-');

describe('memory-sizing scenario', () => {
  it('measures bytes per key, replays days, sweeps maxmemory, streams dates with and without TTL, and cleans up', async () => {
    const { scenario, ports } = watchTargetPorts(memorySizing);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: {
        outDir: tmpPath('out'),
        overrides: {
          trials: '2',
          symbols: '50',
          lookbackDates: '10',
          signalRequestsPerSecond: '0.1',
          sessionSeconds: '4000',
          streamSymbols: '100',
          streamDates: '4',
          streamCapacityDates: '2',
          dateIntervalMs: '20',
        },
      },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    for (const id of memorySizing.claims) {
      expect(report.trials[id], id).toHaveLength(2);
      expect(report.verdicts.find((v) => v.claimId === id)?.interval?.trials, id).toBe(2);
    }
    const v = report.values;
    // A ~2.7 KB JSON vector costs its value plus the key, the dict and expires entries and allocator slack.
    expect(v['memory.value-bytes'].value).toBeGreaterThan(2_000);
    expect(v['memory.used-memory-per-key-bytes'].value).toBeGreaterThan(v['memory.value-bytes'].value ?? 0);
    expect(v['memory.used-memory-per-key-bytes'].value).toBeLessThan(2 * (v['memory.value-bytes'].value ?? 0));
    expect(v['memory.used-memory-at-500-keys-bytes'].value).toBeGreaterThan(500 * (v['memory.value-bytes'].value ?? 0));
    expect(v['sizing.maxmemory-mb'].value).toBeCloseTo(25.6, 5);
    expect(v['sizing.symbol-days-in-512mb.low'].value).toBeLessThanOrEqual(v['sizing.symbol-days-in-512mb'].value ?? 0);
    // volatile-lru never evicts a key without a TTL; every accepted no-TTL write is still there.
    expect(v['no-ttl.evicted-keys'].value).toBe(0);
    expect(v['no-ttl.keys-at-end'].value).toBeGreaterThan(0);
    expect(v['always-ttl.expired-keys'].value).toBeGreaterThan(0);
    expect(report.series?.['no-ttl: used memory by date']?.y).toHaveLength(4);
    expect(report.series?.['evictions by maxmemory']?.x.length).toBeGreaterThan(0);
    // Everything was flushed: no key without a TTL is left for the keyspace audit.
    expect(report.keyspaceAudit?.keysWithoutTtl ?? 0).toBe(0);
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0])).toBe(false);
  }, 120_000);
});
