import { describe, expect, it } from 'vitest';
import type { KeyspaceAudit, RunSummary, ScenarioReport } from '../core/run-summary.ts';
import { keyspaceAuditSection } from '../report/run-markdown.ts';
import {
  addAudits,
  auditTotals,
  auditTotalsLine,
  classifyPttl,
  shareOutsideTtl,
  skippedAudit,
} from './keyspace-audit.ts';

const audit = (over: Partial<KeyspaceAudit> = {}): KeyspaceAudit => ({
  skipped: null,
  pattern: 'features:*',
  maxTtlSeconds: 3_600,
  keysScanned: 10,
  keysWithoutTtl: 1,
  keysAboveMaxTtl: 2,
  complete: true,
  ...over,
});

const report = (id: string, keyspaceAudit?: KeyspaceAudit): ScenarioReport =>
  ({ id, ...(keyspaceAudit ? { keyspaceAudit } : {}) }) as unknown as ScenarioReport;

describe('keyspace audit figures', () => {
  it('classifies PTTL replies at the (0, max] boundaries', () => {
    expect(classifyPttl(-2, 3_600)).toBe('gone');
    expect(classifyPttl(-1, 3_600)).toBe('no-ttl');
    expect(classifyPttl(1, 3_600)).toBe('ok');
    expect(classifyPttl(3_600_000, 3_600)).toBe('ok');
    expect(classifyPttl(3_600_001, 3_600)).toBe('above-max');
  });

  it('gives the share outside the range, NaN for an empty keyspace', () => {
    expect(shareOutsideTtl(audit())).toBeCloseTo(30);
    expect(shareOutsideTtl(audit({ keysScanned: 0, keysWithoutTtl: 0, keysAboveMaxTtl: 0 }))).toBeNaN();
  });

  it('adds blocks, keeping the audited one when the other was skipped', () => {
    expect(addAudits(audit(), audit({ complete: false }))).toMatchObject({
      keysScanned: 20,
      keysWithoutTtl: 2,
      keysAboveMaxTtl: 4,
      complete: false,
    });
    expect(addAudits(skippedAudit('down'), audit())).toEqual(audit());
    expect(addAudits(audit(), skippedAudit('down'))).toEqual(audit());
    expect(addAudits(undefined, audit())).toEqual(audit());
  });

  it('totals a run, naming the scenarios with a violation', () => {
    const totals = auditTotals([
      report('a', audit()),
      report('b', audit({ keysWithoutTtl: 0, keysAboveMaxTtl: 0 })),
      report('c', skippedAudit('url')),
      report('d'),
    ]);
    expect(totals).toEqual({
      scenariosAudited: 2,
      scenariosSkipped: 1,
      keysScanned: 20,
      keysWithoutTtl: 1,
      keysAboveMaxTtl: 2,
      scenariosWithViolations: ['a'],
    });
  });

  it('gives the CLI one line of totals, none without audits', () => {
    const totals = auditTotals([report('a', audit()), report('c', skippedAudit('url'))]);
    expect(auditTotalsLine(totals)).toBe(
      "keyspace TTL audit (features:*, at each scenario's end): 10 keys in 1 scenario(s), 1 without a TTL, 2 above 3600 s (in a); 1 scenario(s) not audited",
    );
    expect(auditTotalsLine(auditTotals([report('d')]))).toBeNull();
    expect(auditTotalsLine(undefined)).toBeNull();
  });

  it('renders the report section only when some scenario has an audit', () => {
    const scenarios = [report('a', audit()), report('c', skippedAudit('a Redis given by URL'))];
    const summary = { scenarios, keyspaceAudit: auditTotals(scenarios) } as unknown as RunSummary;
    const text = keyspaceAuditSection(summary).join('\n');
    expect(text).toContain('| a | 10 | 1 | 2 | complete |');
    expect(text).toContain('skipped: a Redis given by URL');
    expect(text).toContain('1 without a TTL, 2 with a TTL above 3600 s (in a)');
    expect(keyspaceAuditSection({ scenarios: [report('d')] } as unknown as RunSummary)).toEqual([]);
  });
});
