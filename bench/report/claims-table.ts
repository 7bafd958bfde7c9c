import type { ClaimVerdict } from '../core/claim.ts';
import { compactFigure, formatFigure, formatNumber, isYesNoRule, ruleText } from '../analysis/verdict.ts';

export interface ClaimRow {
  readonly scenario: string;
  readonly verdict: ClaimVerdict;
}

const OUTCOME_MARK: Record<ClaimVerdict['outcome'], string> = {
  holds: 'holds',
  'does not hold': 'DOES NOT HOLD',
  inconclusive: 'inconclusive',
  'not measured': 'not measured',
};

/** The mark after a claimed figure that the harness chose; explained in a footnote below the table. */
export const HARNESS_MARK = '*';

export const HARNESS_NOTE = 'threshold chosen by the harness, not the document';

/** The mark after a verdict measured while the load generator was the bottleneck ("generator-limited"). */
export const GENERATOR_MARK = '!';

export const GENERATOR_NOTE =
  'generator-limited: measured while the harness (the load generator) was saturated, so the figure may describe the harness rather than Redis; see the conditions';

/** True when the verdict's conditions say the load generator was saturated during its measurement. */
export function generatorLimited(v: ClaimVerdict): boolean {
  return v.conditions.includes('generator-limited');
}

/** The measured median with its interval when there are trials to make one; — when not measured. */
export function measuredText(v: ClaimVerdict): string {
  if (v.measured === null) return '—';
  const interval =
    v.interval && v.interval.trials > 1
      ? ` [${formatFigure(v.interval.low, v.unit)} .. ${formatFigure(v.interval.high, v.unit)}]`
      : '';
  return `${formatFigure(v.measured, v.unit)}${interval}`;
}

/**
 * The measured cell of the text tables: median, then the interval and its coverage in one bracket
 * ("0.245 ms [0.239 .. 0.251, 98%]"), the trial count when one trial gives no interval, and the
 * failed trials that were not counted.
 */
export function measuredCell(v: ClaimVerdict): string {
  // summary.json files written before failedTrials existed lack it.
  const failed = (v.failedTrials ?? 0) > 0 ? ` +${v.failedTrials} failed` : '';
  if (v.measured === null) return `—${failed}`;
  const { interval } = v;
  const spread =
    interval === null
      ? ''
      : interval.trials > 1
        ? ` [${formatNumber(interval.low)} .. ${formatNumber(interval.high)}, ${Math.round(interval.coverage * 100)}%]`
        : ` (${interval.trials} trial)`;
  return `${formatFigure(v.measured, v.unit)}${spread}${failed}`;
}

/** The harness's reason when it chose the claimed figure; null for the document's own numbers. */
export function harnessReason(v: ClaimVerdict): string | null {
  return v.thresholdSource === 'harness' ? (v.thresholdReason ?? '') : null;
}

/**
 * The claimed figure as given, with no digits it does not have (5 ms, 0.2 ms, 10000 ms as 10 s),
 * marked when the harness chose it; — for yes/no rules, whose rule column says it all.
 */
export function claimedText(v: ClaimVerdict): string {
  if (isYesNoRule(v.rule)) return '—';
  return `${compactFigure(v.claimed, v.unit)}${harnessReason(v) === null ? '' : HARNESS_MARK}`;
}

/** The rule in words; derived from the rule for summaries written before ruleText existed. */
export function verdictRuleText(v: ClaimVerdict): string {
  return v.ruleText ?? ruleText(v) ?? v.rule.kind;
}

function outcomeCell(v: ClaimVerdict): string {
  const text = v.direction === null ? OUTCOME_MARK[v.outcome] : `${OUTCOME_MARK[v.outcome]} (${v.direction})`;
  return generatorLimited(v) ? `${text} ${GENERATOR_MARK}` : text;
}

/** The footnote under a table when any of its verdicts is generator-limited. */
function generatorNote(rows: readonly ClaimRow[]): string[] {
  const limited = rows.filter((r) => generatorLimited(r.verdict)).map((r) => r.verdict.claimId);
  return limited.length === 0 ? [] : [`${GENERATOR_MARK} ${limited.join(', ')}: ${GENERATOR_NOTE}`];
}

function rowCells(row: ClaimRow): string[] {
  const v = row.verdict;
  return [v.claimId, v.quote, claimedText(v), verdictRuleText(v), measuredCell(v), outcomeCell(v)];
}

const HEADER = [
  'claim',
  'document says',
  'claimed',
  'rule',
  'measured: median [interval, coverage]',
  'verdict',
  'cond.',
];

/** Conditions are long and shared by a scenario's claims: rows cite them as [n], listed once below. */
function conditionNotes(rows: readonly ClaimRow[]): { refs: string[]; notes: string[] } {
  const notes: string[] = [];
  const refs = rows.map((row) => {
    // A claim not measured has no conditions; its footnote says why (no scenario, not run, failed).
    const text =
      row.verdict.conditions !== ''
        ? row.verdict.conditions
        : row.verdict.outcome === 'not measured' && row.verdict.explanation !== ''
          ? `not measured: ${row.verdict.explanation}`
          : '';
    if (text === '') return '';
    let index = notes.indexOf(text);
    if (index === -1) index = notes.push(text) - 1;
    return `[${index + 1}]`;
  });
  return { refs, notes };
}

/** One footnote per claim whose threshold the harness chose: the claim and the harness's reason. */
function harnessNotes(rows: readonly ClaimRow[]): { claimId: string; reason: string }[] {
  return rows.flatMap(({ verdict }) => {
    const reason = harnessReason(verdict);
    return reason === null ? [] : [{ claimId: verdict.claimId, reason }];
  });
}

/** Plain-text table for a terminal: fixed-width columns, long quotes cut, conditions as footnotes. */
export function formatClaimsText(rows: readonly ClaimRow[], quoteWidth = 36): string {
  const { refs, notes } = conditionNotes(rows);
  const cells = rows.map((row, i) => {
    const c = [...rowCells(row), refs[i]];
    c[1] = c[1].length > quoteWidth ? `${c[1].slice(0, quoteWidth - 1)}…` : c[1];
    return c;
  });
  const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]): string =>
    c
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const harness = harnessNotes(rows).map(
    ({ claimId, reason }) => `${HARNESS_MARK} ${claimId}: ${HARNESS_NOTE}: ${reason}`,
  );
  const footnotes = notes.map((note, i) => `[${i + 1}] ${note}`);
  const generator = generatorNote(rows);
  return [
    line(HEADER),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    ...(harness.length > 0 ? ['', ...harness] : []),
    ...(generator.length > 0 ? ['', ...generator] : []),
    ...(footnotes.length > 0 ? ['', ...footnotes] : []),
  ].join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\*/g, '\\*').replace(/\n/g, ' ');
}

/** GitHub-flavoured Markdown table (fits a CI job summary), with the harness's thresholds and the conditions below. */
export function formatClaimsMarkdown(rows: readonly ClaimRow[]): string {
  const { refs, notes } = conditionNotes(rows);
  const header = `| ${HEADER.join(' | ')} |\n|${HEADER.map(() => '---').join('|')}|`;
  const body = rows.map((row, i) => `| ${[...rowCells(row), refs[i]].map(escapeMarkdown).join(' | ')} |`).join('\n');
  const harness = harnessNotes(rows).map(
    ({ claimId, reason }) => `- ${escapeMarkdown(`${HARNESS_MARK} ${claimId}: ${HARNESS_NOTE}: ${reason}`)}`,
  );
  const footnotes = notes.map((note, i) => `${i + 1}. ${escapeMarkdown(note)}`);
  const generator = generatorNote(rows).map((note) => `- ${escapeMarkdown(note)}`);
  return [
    `${header}\n${body}`,
    ...(harness.length > 0 ? [harness.join('\n')] : []),
    ...generator,
    ...(footnotes.length > 0 ? ['Conditions:', footnotes.join('\n')] : []),
  ].join('\n\n');
}
