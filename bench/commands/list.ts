import { CLAIMS } from '../../scenarios/claims.ts';
import type { RegisteredClaim } from '../core/claim.ts';
import { ruleText } from '../analysis/verdict.ts';
import { SCENARIOS } from '../../scenarios/registry.ts';
import { formatTunables } from '../core/tunables.ts';

/** A claim's rule in words and where its threshold comes from (the harness's reason when it chose it). */
function ruleLine(claim: RegisteredClaim): string {
  const source =
    claim.thresholdSource === 'harness'
      ? `threshold chosen by the harness: ${claim.thresholdReason}`
      : 'threshold from the document';
  return `rule ${ruleText(claim)}; ${source}`;
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
  return lines.join('\n');
}
