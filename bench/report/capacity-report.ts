import type { CapacityInput } from '../analysis/capacity-input.ts';
import type { CapacityPlan, MeasuredKeyCost, NodeThroughput } from '../analysis/capacity-plan.ts';
import type { ScenarioSeries } from '../core/run-summary.ts';
import { escapeHtml } from './html/escape-html.ts';
import { PAGE_STYLE } from './html/page-style.ts';
import { renderSeriesPlots } from './html/series-plot.ts';

/** Everything `rpb capacity` answers, as plain data (the --json output). */
export interface CapacityAnswer {
  readonly schema: 'rpb.capacity/v1';
  readonly input: CapacityInput;
  readonly keyCost: MeasuredKeyCost;
  readonly throughput: NodeThroughput;
  readonly plan: CapacityPlan;
  /** How the curve was computed (trace length, exact or SHARDS, warm-up). */
  readonly method: string;
  readonly notes: readonly string[];
}

const MB = 1024 * 1024;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const pct = (ratio: number): string => `${(100 * ratio).toFixed(1)}%`;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function rows(a: CapacityAnswer): [string, string][] {
  const { plan, input, keyCost, throughput } = a;
  return [
    ['key space', `${int(input.symbols)} symbols x ${int(input.datesHot)} dates = ${int(plan.keySpace)} keys`],
    [
      'bytes per key',
      `${int(keyCost.usedMemoryPerKey)} B counted by maxmemory (used_memory delta); MEMORY USAGE ${int(keyCost.memoryUsagePerKey)} B; value ${int(keyCost.meanValueBytes)} B (${input.codec}) in a ${int(keyCost.valueSlotBytes)} B jemalloc slot`,
    ],
    [
      'best hit rate possible',
      `${pct(plan.maxHitRatio)} on the trace with every key cached (misses: first requests${input.ttlSeconds > 0 ? ' and TTL expiries inside the trace' : ''}); ${input.ttlSeconds > 0 ? `steady-state TTL ceiling ${pct(plan.ttlCeilingHitRatio)} (each key refilled once per TTL, Poisson requests)` : 'no TTL: no ceiling beyond first requests'}`,
    ],
    [
      `maxmemory for ${pct(input.targetHitRate)} hits`,
      plan.maxmemoryNeededBytes === null
        ? 'out of reach (see warnings)'
        : `${mb(plan.maxmemoryNeededBytes)} (${int(plan.keysNeeded ?? 0)} keys, predicted ${pct(plan.hitRatioAtNeed ?? 0)}); with ${pct(input.headroom)} headroom on the data ${mb(plan.maxmemoryWithHeadroomBytes ?? plan.maxmemoryNeededBytes)}`,
    ],
    [
      'Redis ops/s at peak',
      `${int(plan.redisOpsPerSecond.total)} (${int(plan.redisOpsPerSecond.get)} GET + ${int(plan.redisOpsPerSecond.set)} SET: fills after misses and writes)`,
    ],
    [
      'one node sustains',
      `${int(plan.nodeOpsPerSecond)} ops/s at this mix within p99 ${input.latencyBudgetMs} ms (GET ${int(throughput.getOpsPerSecond)}/s, SET ${int(throughput.setOpsPerSecond)}/s; ${throughput.source})`,
    ],
    [
      'shards',
      `${plan.shards} = max(${plan.shardsByMemory} by memory at ${input.nodeMemoryMb} MB per node, ${plan.shardsByThroughput} by throughput), headroom ${pct(input.headroom)} on both`,
    ],
    ['maxmemory per shard', mb(plan.maxmemoryPerShardBytes)],
    [
      'memory, primaries / replicas',
      `${mb(plan.primaryMemoryBytes)} / ${mb(plan.replicaMemoryBytes)} (${input.replicas} replica(s) per shard)`,
    ],
    [
      'network',
      `${mb(plan.network.clientBytesPerSecond)}/s client traffic, ${mb(plan.network.replicationBytesPerSecond)}/s replication`,
    ],
  ];
}

export function capacitySeries(a: CapacityAnswer): Record<string, ScenarioSeries> {
  const xLabel = 'maxmemory (MB)';
  const yLabel = 'predicted hit rate (%)';
  const x = a.plan.curve.map((p) => p.maxmemoryBytes / MB);
  return {
    'predicted hit rate (LRU, TTL-aware)': { x, y: a.plan.curve.map((p) => 100 * p.hitRatio), xLabel, yLabel },
    target: {
      x: [x[0], x[x.length - 1]],
      y: [100 * a.input.targetHitRate, 100 * a.input.targetHitRate],
      xLabel,
      yLabel,
    },
  };
}

export function renderCapacityMarkdown(a: CapacityAnswer): string {
  const lines = [
    '# Capacity plan (rpb capacity)',
    '',
    '| question | answer |',
    '|---|---|',
    ...rows(a).map(([q, v]) => `| ${q} | ${v.replace(/\|/g, '\\|')} |`),
    '',
  ];
  if (a.plan.warnings.length > 0) lines.push('## Warnings', '', ...a.plan.warnings.map((w) => `- ${w}`), '');
  lines.push('## Hit rate by maxmemory (predicted)', '', '| maxmemory | keys | hit rate |', '|---:|---:|---:|');
  for (const p of a.plan.curve.filter((_, i) => i % 5 === 4))
    lines.push(`| ${mb(p.maxmemoryBytes)} | ${int(p.sizeKeys)} | ${pct(p.hitRatio)} |`);
  lines.push('', '## How', '', `- ${a.method}`, ...a.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

export function renderCapacityHtml(a: CapacityAnswer): string {
  const table = `<table><tbody>${rows(a)
    .map(([q, v]) => `<tr><th>${escapeHtml(q)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</tbody></table>`;
  const warnings =
    a.plan.warnings.length > 0
      ? `<ul class="warnings">${a.plan.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
      : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<title>rpb capacity plan</title>',
    `<style>${PAGE_STYLE}</style></head><body>`,
    '<header><h1>Capacity plan</h1></header>',
    `<section>${table}${warnings}</section>`,
    `<section><h2>Hit rate by maxmemory</h2>${renderSeriesPlots('capacity', capacitySeries(a))}</section>`,
    `<section><h2>How</h2><ul>${[a.method, ...a.notes].map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>`,
    '</body></html>',
    '',
  ].join('\n');
}
