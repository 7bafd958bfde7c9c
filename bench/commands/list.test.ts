import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../../scenarios/claims.ts';
import { formatScenarioList, LIST_SCHEMA, scenarioListJson } from './list.ts';
import { DOCUMENT_STATEMENTS, statementsWithoutClaim } from '../../scenarios/document-statements.ts';

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

describe('scenarioListJson', () => {
  const list = JSON.parse(scenarioListJson());

  it('lists every claim of the registry with its quote, threshold, source and rule', () => {
    expect(list.schema).toBe(LIST_SCHEMA);
    expect(list.claims.map((c: { id: string }) => c.id)).toEqual(CLAIMS.map((c) => c.id));
    expect(list.claims.find((c: { id: string }) => c.id === 'cache.hit-latency')).toMatchObject({
      quote: CLAIMS.find((c) => c.id === 'cache.hit-latency')!.quote,
      claimed: 5,
      unit: 'ms',
      ruleText: 'within 2x of 5 ms',
      thresholdSource: 'document',
      thresholdReason: null,
      scenario: 'miss-vs-hit',
    });
    for (const claim of list.claims.filter((c: { thresholdSource: string }) => c.thresholdSource === 'harness'))
      expect(claim.thresholdReason, claim.id).toMatch(/\w+/);
  });

  it('lists every scenario with its claims and parameters', () => {
    const missVsHit = list.scenarios.find((s: { id: string }) => s.id === 'miss-vs-hit');
    expect(missVsHit.claims).toContain('cache.speedup');
    expect(Object.keys(missVsHit.parameters)).toContain('rounds');
    expect(missVsHit.expectedMs).toMatchObject({ quick: expect.any(Number), full: expect.any(Number) });
  });

  it('ends the text list with the claim count', () => {
    expect(formatScenarioList().split('\n').at(-1)).toMatch(new RegExp(`^${CLAIMS.length} claims \\(`));
  });
});

describe('the statements of the document in rpb list', () => {
  it('lists every statement in --json with its claims or the reason it has none', () => {
    const list = JSON.parse(scenarioListJson());
    expect(list.statements.length).toBe(DOCUMENT_STATEMENTS.length);
    const pending = list.statements.filter((s: { noClaim: string | null }) => s.noClaim !== null);
    expect(pending.length).toBe(statementsWithoutClaim().length);
  });

  it('prints each measurable statement without a claim, with its reason, before the claim count', () => {
    const text = formatScenarioList();
    for (const statement of statementsWithoutClaim())
      expect(text).toContain(`"${statement.quote}" (${statement.section})`);
    expect(text).toMatch(/Statements of the document: \d+ \(/);
  });
});
