import type { LatencySummary } from '../../core/run-summary.ts';
import { escapeHtml } from './escape-html.ts';

export interface LatencyTableRow {
  readonly name: string;
  readonly summary: LatencySummary;
}

function ms(ns: number | null): string {
  return ns === null || !Number.isFinite(ns) ? '—' : (ns / 1e6).toFixed(3);
}

/** count, p50, p90, p99, p99.9 and max in ms, from the whole-run histograms. */
export function renderLatencyTable(rows: readonly LatencyTableRow[]): string {
  if (rows.length === 0) return '<p class="muted">No latency metrics recorded.</p>';
  const body = rows.map(
    ({ name, summary: s }) =>
      `<tr><td><code>${escapeHtml(name)}</code></td><td class="num">${s.count}</td>${[s.p50Ns, s.p90Ns, s.p99Ns, s.p999Ns, s.maxNs].map((v) => `<td class="num">${ms(v)}</td>`).join('')}</tr>`,
  );
  return [
    '<div class="table-scroll"><table class="latency">',
    '<thead><tr><th>metric</th><th>count</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr></thead>',
    `<tbody>${body.join('\n')}</tbody>`,
    '</table></div>',
  ].join('\n');
}
