import { describe, expect, it } from 'vitest';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { CLAIMS } from '../claims.ts';
import { cacheCorrectness } from './cache-correctness.ts';

const tmpPath = useTempDir('rpb-cache-correctness-');

describe('cache-correctness scenario', () => {
  it('compares every path in two processes, audits the TTLs, repairs planted values and judges both claims', async () => {
    const { scenario, ports } = watchTargetPorts(cacheCorrectness);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: { outDir: tmpPath('out'), overrides: { rounds: '2', symbols: '3', cluster: 'off' } },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    expect(report.status).toBe('ok');
    expect(report.trials['cache.deterministic']).toHaveLength(2);
    expect(report.trials['cache.ttl-always-set']).toHaveLength(2);
    for (const id of ['cache.deterministic', 'cache.ttl-always-set'])
      expect(report.verdicts.find((v) => v.claimId === id)?.trials).toBe(2);
    const v = (name: string): number | null => report.values[name]?.value ?? null;
    // Per round and symbol: 3 generator paths x (2 miss + 1 hit scores + 1 read) = 12, 6 lossless codecs
    // + jittered json = 7, HTTP 2, the repair read 1, the second process 2: 24.
    expect(v('comparisons')).toBe(2 * 3 * 24);
    // Per round: 3 generator paths + 8 codec writes + HTTP = 12 audits of the round's 3 keys.
    expect(v('ttl.keys-audited')).toBe(2 * 12 * 3);
    expect(v('ttl.planted')).toBe(6);
    // The system's read gave each planted value a TTL (FeatureCache.repairTtlOnRead).
    expect(v('ttl.repairs')).toBe(6);
    expect(v('ttl.planted-left-without-ttl')).toBe(0);
    expect(v('single-flight.joined')).toBeGreaterThan(0);
    expect(v('float32.max-rel-error')).toBeGreaterThan(0);
    expect(v('float32.max-rel-error')).toBeLessThan(2 ** -23);
    expect(v('second-process.pid')).not.toBe(process.pid);
    expect(v('cluster.rounds')).toBe(0);
    // The runner's audit of the scenario's whole keyspace: the 3 x 2 keys left, each with a TTL.
    expect(report.keyspaceAudit).toMatchObject({ skipped: null, keysScanned: 6, keysWithoutTtl: 0 });
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0]!)).toBe(false);
  }, 90_000);
});
