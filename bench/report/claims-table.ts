import type { ClaimVerdict } from '../core/claim.ts';
import { formatFigure } from '../analysis/verdict.ts';

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

function measuredCell(v: ClaimVerdict): string {
  if (v.measured === null) return '—';
  const interval =
    v.interval && v.interval.trials > 1
      ? ` [${formatFigure(v.interval.low, v.unit)} .. ${formatFigure(v.interval.high, v.unit)}]`
      : '';
  return `${formatFigure(v.measured, v.unit)}${interval}`;
}

function outcomeCell(v: ClaimVerdict): string {
  return v.direction === null ? OUTCOME_MARK[v.outcome] : `${OUTCOME_MARK[v.outcome]} (${v.direction})`;
}

function rowCells(row: ClaimRow): string[] {
  return [
    row.verdict.claimId,
    row.verdict.quote,
    formatFigure(row.verdict.claimed, row.verdict.unit),
    measuredCell(row.verdict),
    outcomeCell(row.verdict),
  ];
}

const HEADER = ['claim', 'document says', 'claimed', 'measured (median [interval])', 'verdict', 'cond.'];

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

/** Plain-text table for a terminal: fixed-width columns, long quotes cut, conditions as footnotes. */
export function formatClaimsText(rows: readonly ClaimRow[], quoteWidth = 44): string {
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
  const footnotes = notes.map((note, i) => `[${i + 1}] ${note}`);
  return [
    line(HEADER),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    ...(footnotes.length > 0 ? ['', ...footnotes] : []),
  ].join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** GitHub-flavoured Markdown table (fits a CI job summary), with the conditions below it. */
export function formatClaimsMarkdown(rows: readonly ClaimRow[]): string {
  const { refs, notes } = conditionNotes(rows);
  const header = `| ${HEADER.join(' | ')} |\n|${HEADER.map(() => '---').join('|')}|`;
  const body = rows.map((row, i) => `| ${[...rowCells(row), refs[i]].map(escapeMarkdown).join(' | ')} |`).join('\n');
  const footnotes = notes.map((note, i) => `${i + 1}. ${escapeMarkdown(note)}`).join('\n');
  return notes.length > 0 ? `${header}\n${body}\n\nConditions:\n\n${footnotes}` : `${header}\n${body}`;
}
