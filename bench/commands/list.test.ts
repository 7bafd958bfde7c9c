import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../../scenarios/claims.ts';
import { formatScenarioList } from './list.ts';

describe('formatScenarioList', () => {
  const lines = formatScenarioList().split('\n');

  it("follows each claim with its rule in words and its threshold's source", () => {
    const at = lines.findIndex((line) => line.trim().startsWith('cache.hit-latency '));
    expect(lines[at + 1]!.trim()).toBe('rule within 2x of 5 ms; threshold from the document');
    const claimLines = lines.filter((line) => CLAIMS.some((c) => line.trim().startsWith(`${c.id} `)));
    for (const line of claimLines) expect(lines[lines.indexOf(line) + 1]!.trim()).toMatch(/^rule /);
  });

  it("gives the harness's reason for a threshold it chose", () => {
    const at = lines.findIndex((line) => line.trim().startsWith('production.auto-failover-cluster '));
    expect(lines[at + 1]!.trim()).toMatch(/^rule <= 12 s; threshold chosen by the harness: .+/);
  });
});
