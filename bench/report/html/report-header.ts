import type { RunSummary } from '../../core/run-summary.ts';
import { escapeHtml } from './escape-html.ts';

/** Loopback numbers must say so (DESIGN.md, measurement rules). */
export function networkNote(summary: RunSummary): string {
  const networks = [...new Set(summary.scenarios.flatMap((s) => (s.target === null ? [] : [s.target.network])))];
  if (networks.length === 0) return 'no Redis target was reached';
  const remote = networks.filter((n) => !n.startsWith('loopback'));
  if (remote.length === 0) return `${networks.join(', ')}: Redis on this machine, so no network latency is included`;
  return `traffic: ${networks.join(', ')}; the network path to Redis is included`;
}

function statusClass(status: RunSummary['status']): string {
  return status === 'complete' ? 'status-ok' : status === 'running' ? 'status-warn' : 'status-bad';
}

/** Title, run status, command, when, and the environment line. */
export function renderReportHeader(summary: RunSummary): string {
  const env = summary.environment;
  const redisVersions = [
    ...new Set(summary.scenarios.map((s) => s.target?.redisVersion).filter((v): v is string => typeof v === 'string')),
  ];
  const commit =
    env.gitCommit === null ? 'unknown commit' : `commit ${env.gitCommit.slice(0, 12)}${env.gitDirty ? ' (dirty)' : ''}`;
  const envLine = [
    `Node ${env.node}`,
    `${env.cpuCount} CPUs (${env.cpuModel})`,
    env.platform,
    `Redis ${redisVersions.length > 0 ? redisVersions.join(', ') : 'unknown'}`,
    `ioredis ${env.packages?.ioredis ?? '?'}`,
    commit,
    `seed ${summary.params.seed}${summary.params.quick ? ', --quick' : ''}${summary.params.missExtraMs > 0 ? `, --miss-extra-ms ${summary.params.missExtraMs} (simulated)` : ''}`,
  ].join(' · ');
  const when = `started ${summary.startedAt}${summary.finishedAt ? `, finished ${summary.finishedAt}` : ', not finished'}`;
  return [
    '<header>',
    `<h1>redis-patterns-bench report <span class="status ${statusClass(summary.status)}">${escapeHtml(summary.status)}</span></h1>`,
    `<p><code>${escapeHtml(summary.command)}</code> — ${escapeHtml(when)}; ${escapeHtml(summary.tool.name)} ${escapeHtml(summary.tool.version)}.</p>`,
    `<p class="env">${escapeHtml(envLine)}</p>`,
    `<p class="env"><b>${escapeHtml(networkNote(summary))}</b>.</p>`,
    '</header>',
  ].join('\n');
}
