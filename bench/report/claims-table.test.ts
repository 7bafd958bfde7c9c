import { describe, expect, it } from 'vitest';
import type { ClaimVerdict } from '../core/claim.ts';
import { claimedText, formatClaimsMarkdown, formatClaimsText, measuredCell, verdictRuleText } from './claims-table.ts';

function verdict(partial: Partial<ClaimVerdict> & Pick<ClaimVerdict, 'claimId'>): ClaimVerdict {
  return {
    quote: 'HIT → Return cached features (5ms)',
    outcome: 'holds',
    claimed: 5,
    unit: 'ms',
    rule: { kind: 'approx', factor: 2 },
    thresholdSource: 'document',
    thresholdReason: null,
    ruleText: 'within 2x of 5 ms',
    measuredAs: 'p50',
    measured: 4.5,
    interval: { low: 4, high: 5, coverage: 0.984375, trials: 7 },
    coverage: 0.984375,
    trials: 7,
    failedTrials: 0,
    figures: [],
    direction: null,
    explanation: 'e',
    conditions: 'loopback',
    ...partial,
  };
}

const documentRow = { scenario: 'miss-vs-hit', verdict: verdict({ claimId: 'cache.hit-latency' }) };
const harnessRow = {
  scenario: 'cluster-failover',
  verdict: verdict({
    claimId: 'production.auto-failover-cluster',
    quote: 'Auto-failover',
    claimed: 10_000,
    rule: { kind: 'at-most' },
    thresholdSource: 'harness',
    thresholdReason: 'the document gives no figure',
    ruleText: '<= 10 s',
    measured: 1200,
    interval: { low: 1100, high: 1300, coverage: 0.75, trials: 3 },
    failedTrials: 1,
    figures: [],
  }),
};

describe('claims table cells', () => {
  it('marks a harness threshold with * and writes the claimed figure as given, 10000 ms as 10 s', () => {
    expect(claimedText(documentRow.verdict)).toBe('5 ms');
    expect(claimedText(harnessRow.verdict)).toBe('10 s*');
  });

  it('shows a yes/no claim with no claimed figure and its rule in words', () => {
    const yesNo = verdict({ claimId: 'pubsub.no-ack', claimed: 0, unit: '%', rule: { kind: 'observed' } });
    expect(claimedText(yesNo)).toBe('—');
    expect(verdictRuleText({ ...yesNo, ruleText: undefined as unknown as string })).toBe('observed at least once');
  });

  it('shows the interval with its coverage, one trial, and failed trials', () => {
    expect(measuredCell(documentRow.verdict)).toBe('4.50 ms [4.00 .. 5.00, 98%]');
    expect(measuredCell(harnessRow.verdict)).toBe('1200 ms [1100 .. 1300, 75%] +1 failed');
    const one = verdict({ claimId: 'x', interval: { low: 4.5, high: 4.5, coverage: 0, trials: 1 } });
    expect(measuredCell(one)).toBe('4.50 ms (1 trial)');
    expect(measuredCell(verdict({ claimId: 'y', measured: null, interval: null, failedTrials: 2 }))).toBe(
      '— +2 failed',
    );
  });
});

describe('formatClaimsText', () => {
  const text = formatClaimsText([documentRow, harnessRow]);

  it('has a rule column and the coverage in the measured header', () => {
    const [header] = text.split('\n');
    expect(header).toMatch(/claimed\s+rule\s+measured: median \[interval, coverage\]\s+verdict/);
    expect(text).toContain('within 2x of 5 ms');
    expect(text).toContain('10 s*');
  });

  it('adds one footnote per harness threshold with its reason, none for document thresholds', () => {
    const notes = text.split('\n').filter((line) => line.startsWith('* '));
    expect(notes).toEqual([
      '* production.auto-failover-cluster: threshold chosen by the harness, not the document: the document gives no figure',
    ]);
    expect(formatClaimsText([documentRow])).not.toContain('threshold chosen by the harness');
  });
});

describe('formatClaimsMarkdown', () => {
  const md = formatClaimsMarkdown([documentRow, harnessRow]);

  it('escapes the mark in the table and lists the harness footnote before the conditions', () => {
    expect(md).toContain('| 10 s\\* | <= 10 s |');
    expect(md).toContain('| claim | document says | claimed | rule |');
    expect(md).toContain(
      '- \\* production.auto-failover-cluster: threshold chosen by the harness, not the document: the document gives no figure',
    );
    expect(md.indexOf('threshold chosen by the harness')).toBeLessThan(md.indexOf('Conditions:'));
    expect(formatClaimsMarkdown([documentRow])).not.toContain('threshold chosen by the harness');
  });
});

describe('generator-limited verdicts', () => {
  it('carry a mark in the verdict column and a footnote naming them, in text and Markdown', () => {
    const limited = {
      scenario: 'command-latency',
      verdict: verdict({
        claimId: 'monitoring.command-p99',
        conditions: 'loopback; generator-limited (event-loop p99 40 ms)',
      }),
    };
    const text = formatClaimsText([documentRow, limited]);
    expect(text).toMatch(/holds !/);
    expect(text).toContain('! monitoring.command-p99: generator-limited');
    expect(text).not.toContain('! cache.hit-latency');
    expect(formatClaimsMarkdown([limited])).toContain('- ! monitoring.command-p99: generator-limited');
    expect(formatClaimsText([documentRow])).not.toContain('generator-limited');
  });
});
