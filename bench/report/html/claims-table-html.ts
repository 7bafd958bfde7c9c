import type { ClaimVerdict } from '../../core/claim.ts';
import {
  claimedText,
  GENERATOR_MARK,
  GENERATOR_NOTE,
  generatorLimited,
  HARNESS_MARK,
  HARNESS_NOTE,
  harnessReason,
  measuredText,
  verdictRuleText,
} from '../claims-table.ts';
import { escapeHtml } from './escape-html.ts';
import { OUTCOME_COLORS } from './palette.ts';

/** RunSummary.claims entries: scenario null when no scenario measures the claim yet. */
export interface ClaimTableRow {
  readonly scenario: string | null;
  readonly verdict: ClaimVerdict;
}

/**
 * A coloured verdict badge. The explanation is in the row's "why" disclosure beside it, not repeated
 * as a tooltip (82 explanations twice were 25 KB of a --quick report).
 */
export function verdictBadge(v: ClaimVerdict): string {
  const c = OUTCOME_COLORS[v.outcome];
  const text = v.direction === null ? v.outcome : `${v.outcome} (${v.direction})`;
  const limited = generatorLimited(v)
    ? `<sup class="generator-limited" title="${escapeHtml(GENERATOR_NOTE)}">${GENERATOR_MARK}</sup>`
    : '';
  return `<span class="verdict" data-outcome="${escapeHtml(v.outcome)}" style="color:${c.text};background:${c.background};border-color:${c.mark}">${escapeHtml(text)}</span>${limited}`;
}

function intervalNote(v: ClaimVerdict): string {
  // summary.json files written before failedTrials existed lack it.
  const failed = (v.failedTrials ?? 0) > 0 ? `${v.failedTrials} failed trial(s) not counted` : '';
  const interval =
    v.interval === null
      ? ''
      : `median of ${v.interval.trials} trials, ${Math.round(v.interval.coverage * 100)}% interval`;
  const text = [interval, failed].filter((t) => t !== '').join('; ');
  return text === '' ? '' : `<br><span class="muted">${text}</span>`;
}

/** The claimed figure; a harness threshold carries its mark, with the reason as tooltip and footnote. */
function claimedCell(v: ClaimVerdict): string {
  const reason = harnessReason(v);
  const text = claimedText(v);
  if (reason === null) return escapeHtml(text);
  const figure = text.slice(0, -HARNESS_MARK.length);
  return `${escapeHtml(figure)}<sup class="harness" title="${escapeHtml(`${HARNESS_NOTE}: ${reason}`)}">${HARNESS_MARK}</sup>`;
}

function harnessFootnotes(rows: readonly ClaimTableRow[]): string {
  const notes = rows.flatMap(({ verdict: v }) => {
    const reason = harnessReason(v);
    return reason === null
      ? []
      : [`<li>${HARNESS_MARK} <code>${escapeHtml(v.claimId)}</code>: ${HARNESS_NOTE}: ${escapeHtml(reason)}</li>`];
  });
  return notes.length === 0 ? '' : `<ul class="muted harness-notes">${notes.join('')}</ul>`;
}

/** Conditions shared by several claims, numbered in order of first use: written once, under the table. */
function sharedConditions(rows: readonly ClaimTableRow[]): Map<string, number> {
  const uses = new Map<string, number>();
  for (const { verdict: v } of rows) if (v.conditions !== '') uses.set(v.conditions, (uses.get(v.conditions) ?? 0) + 1);
  const numbered = new Map<string, number>();
  for (const [text, n] of uses) if (n > 1) numbered.set(text, numbered.size + 1);
  return numbered;
}

function conditionNotes(shared: ReadonlyMap<string, number>): string {
  if (shared.size === 0) return '';
  const items = [...shared].map(([text, n]) => `<li id="conditions-${n}" value="${n}">${escapeHtml(text)}.</li>`);
  return `<details class="conditions"><summary>Conditions shared by several claims (${shared.size})</summary><ol>${items.join('')}</ol></details>`;
}

function row({ scenario, verdict: v }: ClaimTableRow, shared: ReadonlyMap<string, number>): string {
  const n = shared.get(v.conditions);
  const conditions =
    v.conditions === ''
      ? ''
      : n === undefined
        ? `<p><b>Conditions:</b> ${escapeHtml(v.conditions)}.</p>`
        : `<p><b>Conditions:</b> <a href="#conditions-${n}">[${n}]</a> under the table.</p>`;
  const why = `<details><summary>why</summary><p>${escapeHtml(v.explanation)}.</p><p><b>Measured as:</b> ${escapeHtml(v.measuredAs)}.</p>${conditions}</details>`;
  const where =
    scenario === null
      ? '<span class="muted">no scenario yet</span>'
      : `<a class="muted" href="#scenario-${escapeHtml(scenario)}">${escapeHtml(scenario)}</a>`;
  return [
    `<tr data-outcome="${escapeHtml(v.outcome)}" data-claim="${escapeHtml(v.claimId)}">`,
    `<td><code>${escapeHtml(v.claimId)}</code><br>${where}</td>`,
    `<td class="quote">${escapeHtml(v.quote)}</td>`,
    `<td class="num">${claimedCell(v)}</td>`,
    `<td>${escapeHtml(verdictRuleText(v))}</td>`,
    `<td class="num">${escapeHtml(measuredText(v))}${intervalNote(v)}</td>`,
    `<td>${verdictBadge(v)}${why}</td>`,
    '</tr>',
  ].join('');
}

/** The run's verdicts, one row per claim; the first table of the page. */
export function renderClaimsTable(rows: readonly ClaimTableRow[]): string {
  if (rows.length === 0) return '<p class="muted">No claim verdicts in this run.</p>';
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.verdict.outcome, (counts.get(r.verdict.outcome) ?? 0) + 1);
  const shared = sharedConditions(rows);
  const tally = [...counts].map(([outcome, n]) => `${n} ${escapeHtml(outcome)}`).join(', ');
  return [
    `<p class="tally">${rows.length} claims: ${tally}.</p>`,
    '<div class="table-scroll"><table class="claims">',
    '<thead><tr><th>claim</th><th>the document says</th><th>claimed</th><th>rule</th><th>measured (median [interval])</th><th>verdict</th></tr></thead>',
    `<tbody>${rows.map((r) => row(r, shared)).join('\n')}</tbody>`,
    '</table></div>',
    harnessFootnotes(rows),
    conditionNotes(shared),
  ].join('\n');
}
