import { describe, expect, it } from 'vitest';
import { CLAIMS } from './claims.ts';
import { DOCUMENT_STATEMENTS, statementsWithoutClaim } from './document-statements.ts';

describe('DOCUMENT_STATEMENTS', () => {
  it('names only claims of the registry', () => {
    const ids = new Set(CLAIMS.map((c) => c.id));
    for (const statement of DOCUMENT_STATEMENTS)
      for (const id of statement.claims) expect(ids.has(id), `${statement.quote}: ${id}`).toBe(true);
  });

  it('answers every claim of the registry by at least one statement of the document', () => {
    const answered = new Set(DOCUMENT_STATEMENTS.flatMap((s) => s.claims));
    expect(CLAIMS.map((c) => c.id).filter((id) => !answered.has(id))).toEqual([]);
  });

  it('gives every statement exactly one of: claims, a reason for having none, a reading as not measurable', () => {
    for (const statement of DOCUMENT_STATEMENTS) {
      const kinds = [
        statement.claims.length > 0,
        statement.noClaim !== undefined,
        statement.notMeasurable !== undefined,
      ];
      expect(kinds.filter(Boolean).length, statement.quote).toBe(1);
    }
  });

  it('lists as without a claim exactly the measurable statements that have none', () => {
    expect(statementsWithoutClaim().every((s) => s.noClaim !== undefined && s.claims.length === 0)).toBe(true);
  });
});
