import { describe, expect, it } from 'vitest';
import type { ClaimVerdict, VerdictOutcome } from '../../core/claim.ts';
import { renderClaimsTable } from './claims-table-html.ts';
import { OUTCOME_COLORS } from './palette.ts';

function verdict(claimId: string, outcome: VerdictOutcome, measured: number | null): ClaimVerdict {
  return {
    claimId,
    quote: `MISS → "Generate" <features> (50ms) × 4…`,
    outcome,
    claimed: 50,
    unit: 'ms',
    rule: { kind: 'approx', factor: 2 },
    thresholdSource: 'document',
    thresholdReason: null,
    ruleText: 'within 2x of 50 ms',
    measuredAs: 'p50 of a miss',
    measured,
    interval: measured === null ? null : { low: measured * 0.9, high: measured * 1.1, coverage: 0.98, trials: 7 },
    coverage: measured === null ? null : 0.98,
    trials: measured === null ? 0 : 7,
    failedTrials: 0,
    figures: [],
    direction: outcome === 'does not hold' ? 'better' : null,
    explanation: `measured "${measured}" & <more>`,
    conditions: 'loopback',
  };
}

describe('renderClaimsTable', () => {
  const outcomes: VerdictOutcome[] = ['holds', 'does not hold', 'inconclusive', 'not measured'];
  const html = renderClaimsTable(
    outcomes.map((o, i) => ({
      scenario: 'miss-vs-hit',
      verdict: verdict(`claim.${i}`, o, o === 'not measured' ? null : 1.5),
    })),
  );

  it('one row per verdict, in order, each coloured by its outcome', () => {
    const rows = [...html.matchAll(/<tr data-outcome="([^"]+)" data-claim="([^"]+)">/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(outcomes.map((o, i) => [o, `claim.${i}`]));
    for (const outcome of outcomes) {
      const { text, background } = OUTCOME_COLORS[outcome];
      expect(html).toContain(`data-outcome="${outcome}" style="color:${text};background:${background}`);
    }
    expect(new Set(outcomes.map((o) => OUTCOME_COLORS[o].background)).size).toBe(4);
    expect(html).toContain('does not hold (better)');
    expect(html).toContain('<p class="tally">4 claims: 1 holds, 1 does not hold, 1 inconclusive, 1 not measured.</p>');
  });

  it('shows the measured median with its interval, and a dash when not measured', () => {
    expect(html).toContain('1.50 ms [1.35 ms .. 1.65 ms]');
    expect(html).toContain('<td class="num">—</td>');
  });

  it('escapes quotes and explanations, and writes each explanation once (in "why", not also as a tooltip)', () => {
    expect(html).toContain('MISS → &quot;Generate&quot; &lt;features&gt; (50ms) × 4…');
    expect(html).toContain('<p>measured &quot;1.5&quot; &amp; &lt;more&gt;.</p>');
    expect(html).not.toContain('title="measured');
    expect(html).not.toContain('<features>');
    expect(html).not.toContain('<more>');
  });

  it('shows the rule and marks a harness threshold with its reason as tooltip and footnote', () => {
    expect(html).toContain('<th>rule</th>');
    expect(html).toContain('<td>within 2x of 50 ms</td>');
    expect(html).not.toContain('class="harness"');
    const harness: ClaimVerdict = {
      ...verdict('production.auto-failover', 'holds', 1200),
      claimed: 10_000,
      thresholdSource: 'harness',
      thresholdReason: 'no figure in the <document>',
      ruleText: '<= 10 s',
      failedTrials: 2,
      figures: [],
    };
    const marked = renderClaimsTable([{ scenario: 'failover', verdict: harness }]);
    expect(marked).toContain(
      '10 s<sup class="harness" title="threshold chosen by the harness, not the document: no figure in the &lt;document&gt;">*</sup>',
    );
    expect(marked).toContain(
      '<li>* <code>production.auto-failover</code>: threshold chosen by the harness, not the document: no figure in the &lt;document&gt;</li>',
    );
    expect(marked).toContain('median of 7 trials, 98% interval; 2 failed trial(s) not counted');
  });

  it('writes conditions shared by several claims once, under the table, and links to them', () => {
    const shared = renderClaimsTable([
      { scenario: 'a', verdict: verdict('a.1', 'holds', 1) },
      { scenario: 'a', verdict: verdict('a.2', 'holds', 1) },
      { scenario: 'b', verdict: { ...verdict('b.1', 'holds', 1), conditions: 'only <mine>' } },
    ]);
    expect(shared.match(/<a href="#conditions-1">\[1\]<\/a>/g)).toHaveLength(2);
    expect(shared).toContain('<li id="conditions-1" value="1">loopback.</li>');
    expect(shared).toContain('<p><b>Conditions:</b> only &lt;mine&gt;.</p>');
    expect(shared).not.toContain('conditions-2');
  });

  it('says so when there are no verdicts', () => {
    expect(renderClaimsTable([])).toContain('No claim verdicts');
  });
});
