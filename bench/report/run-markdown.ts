import { formatFigure } from '../analysis/verdict.ts';
import { renderSeriesMarkdown } from './series-markdown.ts';
import type { RunSummary, ScenarioReport } from '../core/run-summary.ts';
import { formatClaimsMarkdown } from './claims-table.ts';

function msCell(ns: number | null): string {
  return ns === null ? '—' : (ns / 1e6).toFixed(3);
}

function metricsTable(scenario: ScenarioReport): string {
  const names = Object.keys(scenario.metrics);
  if (names.length === 0) return '_no latency metrics recorded_';
  const rows = names.map((name) => {
    const s = scenario.metrics[name].summary;
    return `| ${name} | ${s.count} | ${msCell(s.p50Ns)} | ${msCell(s.p90Ns)} | ${msCell(s.p99Ns)} | ${msCell(s.p999Ns)} | ${msCell(s.maxNs)} | ${msCell(s.meanNs)} |`;
  });
  return [
    '| metric | count | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | mean ms |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function valuesList(scenario: ScenarioReport): string {
  const entries = Object.entries(scenario.values);
  if (entries.length === 0) return '';
  return entries
    .map(([name, v]) => `- **${name}**: ${v.value === null ? '—' : formatFigure(v.value, v.unit)} — ${v.description}`)
    .join('\n');
}

function scenarioSection(scenario: ScenarioReport): string {
  const parts = [`## ${scenario.id} (${scenario.status})`, scenario.description];
  if (scenario.error)
    parts.push(`**Error:** ${scenario.error.message}${scenario.error.hint ? ` — ${scenario.error.hint}` : ''}`);
  if (scenario.target)
    parts.push(
      `Target: ${scenario.target.kind} Redis ${scenario.target.redisVersion} at ${scenario.target.redactedUrl} (${scenario.target.network}); duration ${(scenario.durationMs / 1000).toFixed(1)} s.`,
    );
  if (scenario.verdicts.length > 0) {
    parts.push(
      '### Claims',
      formatClaimsMarkdown(scenario.verdicts.map((verdict) => ({ scenario: scenario.id, verdict }))),
    );
    parts.push(
      scenario.verdicts
        .map((v) => `- \`${v.claimId}\`: ${v.outcome}: ${v.explanation}. Measured as: ${v.measuredAs}.`)
        .join('\n'),
    );
  }
  parts.push('### Latency (from the HDR histograms; warm-up excluded)', metricsTable(scenario));
  const values = valuesList(scenario);
  if (values) parts.push('### Figures', values);
  if (scenario.series !== undefined && Object.keys(scenario.series).length > 0)
    parts.push('### Curves', renderSeriesMarkdown(scenario.series));
  if (scenario.notes.length > 0) parts.push('### Notes', scenario.notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}

/** The keyspace TTL audits: the run's totals, then one row per scenario (none when no scenario has one). */
export function keyspaceAuditSection(summary: RunSummary): string[] {
  const audited = summary.scenarios.filter((s) => s.keyspaceAudit !== undefined);
  const totals = summary.keyspaceAudit;
  if (audited.length === 0 || totals === undefined) return [];
  const rows = audited.map((s) => {
    const a = s.keyspaceAudit!;
    return a.skipped !== null
      ? `| ${s.id} | — | — | — | skipped: ${a.skipped} |`
      : `| ${s.id} | ${a.keysScanned} | ${a.keysWithoutTtl} | ${a.keysAboveMaxTtl} | ${a.complete ? 'complete' : 'stopped at its cap'} |`;
  });
  const maxTtl = audited[0]!.keyspaceAudit!.maxTtlSeconds;
  const pattern = audited[0]!.keyspaceAudit!.pattern;
  return [
    '## Keyspace TTL audit',
    `Every \`${pattern}\` key left in a scenario's Redis at its end must expire within (0, ${maxTtl}] s (SCAN + PTTL, managed standalone Redis only). Totals: ${totals.keysScanned} keys in ${totals.scenariosAudited} scenario(s), ${totals.keysWithoutTtl} without a TTL, ${totals.keysAboveMaxTtl} with a TTL above ${maxTtl} s${totals.scenariosWithViolations.length > 0 ? ` (in ${totals.scenariosWithViolations.join(', ')})` : ''}; ${totals.scenariosSkipped} skipped.`,
    ['| scenario | keys | without TTL | TTL > max | audit |', '|---|---|---|---|---|', ...rows].join('\n'),
  ];
}

export function networksOf(summary: RunSummary): string {
  const networks = [...new Set(summary.scenarios.flatMap((s) => (s.target ? [s.target.network] : [])))];
  return networks.length > 0 ? networks.join(', ') : 'no target reached';
}

/** report.md: the claims first, then each scenario's latencies; fits a CI job summary. */
export function formatRunMarkdown(summary: RunSummary): string {
  const env = summary.environment;
  // Every claim of the document, measured or not: a claim is never silently dropped.
  const allVerdicts = summary.claims.map((c) => ({ scenario: c.scenario ?? '—', verdict: c.verdict }));
  const header = [
    `# redis-patterns-bench report (${summary.status})`,
    `\`${summary.command}\` — started ${summary.startedAt}${summary.finishedAt ? `, finished ${summary.finishedAt}` : ''}.`,
    `Node ${env.node}, ${env.cpuCount} CPUs (${env.cpuModel}), ${env.platform}, ioredis ${env.packages.ioredis ?? '?'}, commit ${env.gitCommit ?? 'unknown'}${env.gitDirty ? ' (dirty)' : ''}; seed ${summary.params.seed}${summary.params.quick ? ', --quick' : ''}. Traffic: ${networksOf(summary)}.`,
  ];
  const claims = allVerdicts.length > 0 ? ['## Claims', formatClaimsMarkdown(allVerdicts)] : [];
  return `${[...header, ...claims, ...keyspaceAuditSection(summary), ...summary.scenarios.map(scenarioSection)].join('\n\n')}\n`;
}
