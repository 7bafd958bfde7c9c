import { mergeGeneratorLoads } from '../measure/generator-load.ts';
import { fellBehindWarning } from './load-result.ts';
import type { LoadResult } from './load-result.ts';
import type { ResolvedWorkerLoad } from './worker-protocol.ts';

export interface PooledLoadResult extends LoadResult {
  /** Each worker's own result, in worker order (missing when a worker was terminated first). */
  readonly perWorker: readonly (LoadResult | null)[];
}

/**
 * The workers' results as one: counters and rates added, the worst send lag, and the warnings of
 * the whole (fell behind all together, workers that never reported) before each worker's own. The
 * generator load is the busiest worker's, with Redis's CPU share as the pool read it over the phase.
 */
export function mergeWorkerResults(
  results: readonly (LoadResult | null)[],
  kind: ResolvedWorkerLoad['kind'],
  behindToleranceFraction: number,
  signalAborted: boolean,
  redisCpuShare: number | null = null,
): PooledLoadResult {
  const present = results.filter((r): r is LoadResult => r !== null);
  const sum = (pick: (r: LoadResult) => number): number => present.reduce((total, r) => total + pick(r), 0);
  const aborted = signalAborted || present.some((r) => r.aborted);
  const openLoop = kind === 'open-loop';
  const targetRate = openLoop ? sum((r) => r.targetRate ?? 0) : null;
  const achievedRate = sum((r) => r.achievedRate);
  const maxSendLagMs = openLoop ? Math.max(0, ...present.map((r) => r.maxSendLagMs ?? 0)) : null;
  const warnings: string[] = [];
  if (targetRate !== null && present.length > 0 && achievedRate < targetRate * (1 - behindToleranceFraction)) {
    warnings.push(`all workers: ${fellBehindWarning(achievedRate, targetRate, maxSendLagMs ?? 0)}`);
  }
  const missing = results.length - present.length;
  if (missing > 0)
    warnings.push(
      `${missing} of ${results.length} load workers reported no result (stopped before the measured phase ended)`,
    );
  results.forEach((r, i) => {
    for (const warning of r?.warnings ?? []) warnings.push(`worker ${i + 1}/${results.length}: ${warning}`);
  });
  return {
    sent: sum((r) => r.sent),
    ok: sum((r) => r.ok),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    abandoned: sum((r) => r.abandoned),
    unsent: sum((r) => r.unsent),
    targetRate,
    achievedRate,
    maxSendLagMs,
    durationMs: Math.max(0, ...present.map((r) => r.durationMs)),
    aborted,
    warnings,
    generatorLoad: mergeGeneratorLoads(
      present.map((r) => r.generatorLoad),
      redisCpuShare,
    ),
    perWorker: results,
  };
}
