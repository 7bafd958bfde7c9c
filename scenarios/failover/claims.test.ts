import { describe, expect, it } from 'vitest';
import { ruleText } from '../../bench/analysis/verdict.ts';
import { FAILOVER_CLAIMS } from './claims.ts';

describe('FAILOVER_CLAIMS', () => {
  it('gives each deployment a claim per detection setting, its budget the setting plus 10 s', () => {
    expect(FAILOVER_CLAIMS.map((c) => [c.id, c.scenario, c.claimed, ruleText(c)])).toEqual([
      ['production.auto-failover-cluster', 'cluster-failover', 12_000, '<= 12 s'],
      ['production.auto-failover-cluster.redis-defaults', 'cluster-failover', 25_000, '<= 25 s'],
      ['production.auto-failover-sentinel', 'sentinel-failover', 11_000, '<= 11 s'],
      ['production.auto-failover-sentinel.redis-defaults', 'sentinel-failover', 40_000, '<= 40 s'],
    ]);
  });

  it("quotes the document alike and says the budget is the harness's, end to end and censored", () => {
    for (const claim of FAILOVER_CLAIMS) {
      expect(claim.quote).toBe('Auto-failover');
      expect(claim.thresholdSource).toBe('harness');
      expect(claim.thresholdReason).toMatch(/the budget is the harness's: the detection setting in force/);
      expect(claim.thresholdReason).not.toMatch(/\.\s+[A-Z]/);
      expect(claim.measuredAs).toMatch(/^end to end/);
      expect(claim.measuredAs).toMatch(/failure detection included/);
      expect(claim.measuredAs).toMatch(
        /within the harness's budget, (cluster-node-timeout|down-after-milliseconds) \+ 10 s/,
      );
      expect(claim.measuredAs).toMatch(/censored/);
    }
    expect(FAILOVER_CLAIMS[0].thresholdReason).toMatch(
      /cluster-node-timeout 2000 ms \(the harness's fast setting\), plus 10 s/,
    );
    expect(FAILOVER_CLAIMS[3].thresholdReason).toMatch(
      /down-after-milliseconds 30000 ms \(Redis's default\), plus 10 s/,
    );
    expect(FAILOVER_CLAIMS[3].measuredAs).toMatch(
      /with down-after-milliseconds 30000 ms and failover-timeout 180000 ms, Redis's defaults;/,
    );
  });
});
