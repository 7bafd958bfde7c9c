import { ConfigError } from '../errors.ts';
import { MS_PER_S } from '../core/units.ts';
import { DEFAULT_TICK_INTERVAL_MS } from '../measure/recorder-set.ts';
import type { ResolvedClosedLoopOptions } from './closed-loop-options.ts';
import { openLoopMetricNames } from './open-loop.ts';
import type { ResolvedOpenLoopOptions } from './open-loop-options.ts';
import { splitCount } from './shard.ts';
import type { ResolvedPoolOptions } from './worker-pool-options.ts';
import type { ResolvedWorkerLoad, WorkerData, WorkerIdentity } from './worker-protocol.ts';

/** What the pool run needs: each worker's data and the phase budgets of the whole. */
export interface WorkerPlan {
  readonly data: readonly WorkerData[];
  readonly warmupDurationMs: number;
  readonly measureBudgetMs: number;
  readonly offsetsMs: readonly number[];
  readonly kind: ResolvedWorkerLoad['kind'];
  readonly metricNames: readonly string[];
  readonly behindToleranceFraction: number;
  readonly startupTimeoutMs: number;
  readonly abortGraceMs: number;
}

/** The load divided among the workers, with what the merge and the deadlines need of it. */
interface LoadShares {
  readonly loads: readonly ResolvedWorkerLoad[];
  readonly warmupDurationMs: number;
  readonly measureBudgetMs: number;
  readonly offsetsMs: readonly number[];
  readonly metricNames: readonly string[];
  readonly behindToleranceFraction: number;
}

/** Divides a resolved load among the pool's workers (ConfigError when it cannot be, nothing started). */
export function planWorkers<Args>(pool: ResolvedPoolOptions<Args>, load: ResolvedWorkerLoad): WorkerPlan {
  const count = pool.workers;
  const shares =
    load.kind === 'open-loop' ? openLoopShares(load.options, count) : closedLoopShares(load.options, count);
  const module = pool.factory.module instanceof URL ? pool.factory.module.href : pool.factory.module;
  const argsFor = (workerIndex: number): unknown =>
    typeof pool.factory.args === 'function'
      ? (pool.factory.args as (w: WorkerIdentity) => Args)({ workerIndex, workerCount: count })
      : pool.factory.args;
  const data = shares.loads.map((share, workerIndex): WorkerData => ({
    workerIndex,
    workerCount: count,
    redisUrl: pool.redisUrl,
    client: pool.client,
    factory: { module, exportName: pool.factory.exportName, args: argsFor(workerIndex) },
    load: share,
    warmupDurationMs: shares.warmupDurationMs,
    intervalMs: DEFAULT_TICK_INTERVAL_MS,
  }));
  return {
    data,
    warmupDurationMs: shares.warmupDurationMs,
    measureBudgetMs: shares.measureBudgetMs,
    offsetsMs: shares.offsetsMs,
    kind: load.kind,
    metricNames: shares.metricNames,
    behindToleranceFraction: shares.behindToleranceFraction,
    startupTimeoutMs: pool.startupTimeoutMs,
    abortGraceMs: pool.abortGraceMs,
  };
}

function checkCap(maxOperations: number, count: number): void {
  if (maxOperations < count)
    throw new ConfigError(`maxOperations (${maxOperations}) is below the worker count (${count})`, {
      hint: 'use fewer workers or a larger operation cap',
    });
}

/** Each worker sends 1/W of every stage's rate and of the cap; the warm-up is run apart, so no share has one. */
function openLoopShares(options: ResolvedOpenLoopOptions, count: number): LoadShares {
  checkCap(options.maxOperations, count);
  const firstRate = options.stages[0].rateOpsPerSecond;
  const loads = Array.from({ length: count }, (_, i): ResolvedWorkerLoad => ({
    kind: 'open-loop',
    options: {
      ...options,
      warmupDurationMs: 0,
      stages: options.stages.map((stage) => ({
        rateOpsPerSecond: stage.rateOpsPerSecond / count,
        durationMs: stage.durationMs,
      })),
      maxOperations: splitCount(options.maxOperations, count, i),
      maxInFlight: Math.max(1, Math.ceil(options.maxInFlight / count)),
    },
  }));
  return {
    loads,
    warmupDurationMs: options.warmupDurationMs,
    measureBudgetMs: options.durationMs + options.drainTimeoutMs,
    // Worker i sends at i/R, W/R + i/R, ...: together the arrivals are R per second, evenly spaced.
    offsetsMs: Array.from({ length: count }, (_, i) => (i * MS_PER_S) / firstRate),
    metricNames: openLoopMetricNames(options.metricName),
    behindToleranceFraction: options.behindToleranceFraction,
  };
}

/** Each worker runs its part of the concurrent loops and of the cap, with no warm-up of its own. */
function closedLoopShares(options: ResolvedClosedLoopOptions, count: number): LoadShares {
  if (options.workers < count)
    throw new ConfigError(`closed-loop concurrency (${options.workers}) is below the worker thread count (${count})`, {
      hint: 'use at least one concurrent loop per worker thread',
    });
  checkCap(options.maxOperations, count);
  const loads = Array.from({ length: count }, (_, i): ResolvedWorkerLoad => ({
    kind: 'closed-loop',
    options: {
      ...options,
      warmupDurationMs: 0,
      workers: splitCount(options.workers, count, i),
      maxOperations: splitCount(options.maxOperations, count, i),
    },
  }));
  return {
    loads,
    warmupDurationMs: options.warmupDurationMs,
    measureBudgetMs: options.durationMs + options.drainTimeoutMs,
    offsetsMs: Array.from({ length: count }, () => 0),
    metricNames: [options.metricName],
    behindToleranceFraction: 0,
  };
}
