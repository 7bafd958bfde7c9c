import type { RecorderSet } from '../measure/recorder-set.ts';
import { PoolRun } from './pool-run.ts';
import type { PooledLoadResult } from './pooled-result.ts';
import { resolveWorkerLoad } from './worker-load.ts';
import { planWorkers } from './worker-plan.ts';
import { resolvePoolOptions } from './worker-pool-options.ts';
import type { PooledLoadOptions, ResolvedPoolOptions } from './worker-pool-options.ts';
import type { ResolvedWorkerLoad } from './worker-protocol.ts';

/**
 * Runs a load in W worker threads and merges their histograms exactly into `recorders`
 * (interval by interval, see IntervalMerger) and their counters into one LoadResult. Same
 * contract as runOpenLoop / runClosedLoop: the warm-up never reaches the recorders (the set is
 * reset when it ends), and the caller closes the last, partial interval. Every worker is
 * terminated on every exit path; a worker that fails or goes silent is an error, never a hang.
 * Everything is checked in the main thread first (ConfigError, nothing started).
 */
export async function runPooledLoad<Args>(
  options: PooledLoadOptions<Args>,
  recorders: RecorderSet,
  signal?: AbortSignal,
): Promise<PooledLoadResult> {
  const pool = resolvePoolOptions(options);
  return runResolvedPooledLoad(pool, resolveWorkerLoad(options.load), recorders, signal);
}

/** runPooledLoad past the boundary: the pool's settings and the load are already resolved. */
export async function runResolvedPooledLoad<Args>(
  pool: ResolvedPoolOptions<Args>,
  load: ResolvedWorkerLoad,
  recorders: RecorderSet,
  signal?: AbortSignal,
): Promise<PooledLoadResult> {
  const run = new PoolRun(planWorkers(pool, load), signal, pool.redisCpu);
  try {
    return await run.run(recorders);
  } finally {
    await run.terminateAll();
  }
}
