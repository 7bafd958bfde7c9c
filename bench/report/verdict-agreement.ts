import type { ClaimVerdict } from '../core/claim.ts';
import type { RunSummary } from '../core/run-summary.ts';
import { formatFigure } from '../analysis/verdict.ts';

/**
 * How a claim's verdict moved across runs of the same validation:
 * - same: one verdict (and one direction) in every run;
 * - flip: "holds" in one run and "does not hold" in another, or "does not hold" once better and once
 *   worse: the runs contradict each other;
 * - change: otherwise different, i.e. to or from "inconclusive" or "not measured" (less data, no contradiction).
 */
export type AgreementKind = 'same' | 'flip' | 'change';

export interface AgreementRow {
  readonly claimId: string;
  /** One verdict per run, in run order; null when the run did not list the claim. */
  readonly verdicts: readonly (ClaimVerdict | null)[];
  readonly kind: AgreementKind;
}

export interface Agreement {
  readonly rows: readonly AgreementRow[];
  readonly same: number;
  readonly flips: number;
  readonly changes: number;
}

/** The verdict as one word with its direction: "does not hold (better)". */
export function outcomeText(v: ClaimVerdict | null): string {
  if (v === null) return 'absent';
  return v.direction === null ? v.outcome : `${v.outcome} (${v.direction})`;
}

function agreementKind(verdicts: readonly (ClaimVerdict | null)[]): AgreementKind {
  const texts = new Set(verdicts.map(outcomeText));
  if (texts.size === 1) return 'same';
  const decided = new Set(
    verdicts.filter((v) => v?.outcome === 'holds' || v?.outcome === 'does not hold').map(outcomeText),
  );
  return decided.size > 1 ? 'flip' : 'change';
}

/** Every claim listed by any run, in the first run's order, with its verdict in each run. */
export function verdictAgreement(runs: readonly Pick<RunSummary, 'claims'>[]): Agreement {
  const ids = [...new Set(runs.flatMap((run) => run.claims.map((c) => c.verdict.claimId)))];
  const rows = ids.map((claimId) => {
    const verdicts = runs.map((run) => run.claims.find((c) => c.verdict.claimId === claimId)?.verdict ?? null);
    return { claimId, verdicts, kind: agreementKind(verdicts) };
  });
  const count = (kind: AgreementKind): number => rows.filter((r) => r.kind === kind).length;
  return { rows, same: count('same'), flips: count('flip'), changes: count('change') };
}

function cell(v: ClaimVerdict | null): string {
  if (v === null || v.measured === null) return outcomeText(v);
  return `${outcomeText(v)}, ${formatFigure(v.measured, v.unit)} (n=${v.trials})`;
}

/** The agreement as a Markdown table (one column per run, labelled) and a one-line summary under it. */
export function formatAgreement(agreement: Agreement, labels: readonly string[]): string {
  const header = `| claim | ${labels.join(' | ')} | agreement |`;
  const rule = `|---|${labels.map(() => '---').join('|')}|---|`;
  const lines = agreement.rows.map(
    (row) =>
      `| ${row.claimId} | ${row.verdicts.map(cell).join(' | ')} | ${row.kind === 'same' ? 'same' : `**${row.kind}**`} |`,
  );
  return [header, rule, ...lines, '', agreementLine(agreement)].join('\n');
}

/** One line: how many claims kept one verdict, how many flipped, how many changed to or from inconclusive. */
export function agreementLine(agreement: Agreement): string {
  return `${agreement.same} of ${agreement.rows.length} claims the same in every run; ${agreement.flips} flip(s) (holds vs does not hold, or better vs worse); ${agreement.changes} change(s) to or from inconclusive / not measured`;
}
