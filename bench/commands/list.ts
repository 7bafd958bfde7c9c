import { CLAIMS } from '../../scenarios/claims.ts';
import type { RegisteredClaim } from '../core/claim.ts';
import { ruleText } from '../analysis/verdict.ts';
import { SCENARIOS } from '../../scenarios/registry.ts';
import { formatTunables } from '../core/tunables.ts';
import { DOCUMENT_STATEMENTS, statementsWithoutClaim } from '../../scenarios/document-statements.ts';

/** A claim's rule in words and where its threshold comes from (the harness's reason when it chose it). */
function ruleLine(claim: RegisteredClaim): string {
  const source =
    claim.thresholdSource === 'harness'
      ? `threshold chosen by the harness: ${claim.thresholdReason}`
      : 'threshold from the document';
  return `rule ${ruleText(claim)}; ${source}`;
}

/** Bump on any incompatible change of `rpb list --json`; documented in docs/cli.md. */
export const LIST_SCHEMA = 'rpb.list/v1';

/**
 * `rpb list --json`: every scenario (id, description, topologies, parameters with their ranges,
 * claim ids, expected time) and every claim of the registry (id, quote, threshold, its source and
 * reason, rule, unit, how it is measured, scenario), for tools.
 */
export function scenarioListJson(): string {
  return `${JSON.stringify(
    {
      schema: LIST_SCHEMA,
      scenarios: SCENARIOS.map((s) => ({
        id: s.id,
        description: s.description,
        topologies: s.topologies ?? ['standalone'],
        splitsLoad: s.splitsLoad === true,
        expectedMs: s.expectedMs ?? null,
        parameters: s.tunables ?? {},
        claims: s.claims,
      })),
      claims: CLAIMS.map((c) => ({
        id: c.id,
        scenario: c.scenario,
        pattern: c.pattern,
        quote: c.quote,
        claimed: c.claimed,
        unit: c.unit,
        rule: c.rule,
        ruleText: ruleText(c),
        thresholdSource: c.thresholdSource,
        thresholdReason: c.thresholdSource === 'harness' ? c.thresholdReason : null,
        better: c.better,
        measuredAs: c.measuredAs,
      })),
      statements: DOCUMENT_STATEMENTS.map((st) => ({
        section: st.section,
        quote: st.quote,
        claims: st.claims,
        noClaim: st.noClaim ?? null,
        notMeasurable: st.notMeasurable ?? null,
      })),
    },
    null,
    2,
  )}\n`;
}

/** `rpb list`: each scenario with its one-line description and claims; then claims with no scenario yet. */
export function formatScenarioList(): string {
  const lines: string[] = ['Scenarios:'];
  for (const scenario of SCENARIOS) {
    lines.push(`  ${scenario.id}`, `    ${scenario.description}`);
    // What --topology and --shard/--workers can do with it.
    const topologies = (scenario.topologies ?? ['standalone']).join(', ');
    lines.push(
      `    topologies: ${topologies}; ${scenario.splitsLoad === true ? 'splits its load over --shard machines and --workers threads' : 'does not split its load (--shard/--workers: every machine runs all of it)'}`,
    );
    const tunables = formatTunables(scenario.tunables ?? {});
    if (tunables.length > 0) lines.push('    parameters (--set key=value):', ...tunables.map((t) => `      ${t}`));
    lines.push('    claims:');
    for (const id of scenario.claims) {
      const claim = CLAIMS.find((c) => c.id === id);
      lines.push(`      ${id.padEnd(28)} "${claim?.quote ?? '?'}"`);
      if (claim !== undefined) lines.push(`        ${ruleLine(claim)}`);
    }
  }
  const unmeasured = CLAIMS.filter((c) => c.scenario === null || !SCENARIOS.some((s) => s.id === c.scenario));
  if (unmeasured.length > 0) {
    lines.push('', 'Claims not measured yet (no scenario):');
    for (const claim of unmeasured) lines.push(`  ${claim.id.padEnd(34)} "${claim.quote}"`, `    ${ruleLine(claim)}`);
  }
  const statementCount = DOCUMENT_STATEMENTS.length;
  const notMeasurable = DOCUMENT_STATEMENTS.filter((st) => st.notMeasurable !== undefined).length;
  const withoutClaim = statementsWithoutClaim();
  lines.push(
    '',
    `Statements of the document: ${statementCount} (${statementCount - notMeasurable} with a measurable meaning, ${notMeasurable} read as not measurable: \`rpb list --json\` gives the reading); measurable without a claim: ${withoutClaim.length === 0 ? 'none' : String(withoutClaim.length)}`,
  );
  for (const statement of withoutClaim)
    lines.push(`  "${statement.quote}" (${statement.section})`, `    no claim: ${statement.noClaim ?? '?'}`);
  const harness = CLAIMS.filter((c) => c.thresholdSource === 'harness').length;
  lines.push(
    '',
    `${CLAIMS.length} claims (${CLAIMS.length - harness} with the document's threshold, ${harness} with one the harness chose), ${CLAIMS.length - unmeasured.length} with a scenario; \`rpb list --json\` for tools`,
  );
  return lines.join('\n');
}
