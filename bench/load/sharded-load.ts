import type { RecorderSet } from '../measure/recorder-set.ts';
import { runClosedLoop } from './closed-loop.ts';
import { buildWorkerOperation, closeLoadClients, loadOperationFactory, openLoadClients } from './load-clients.ts';
import { runOpenLoop } from './open-loop.ts';
import { resolveOpenLoopOptions } from './open-loop-options.ts';
import { shardedCount, shardedRate, workerCount } from './shard.ts';
import type { LoadSplitParams } from './shard.ts';
import { runPooledLoad } from './worker-pool.ts';
import type { PooledLoadOptions, PooledLoadResult } from './worker-pool.ts';
import { WORKER_CLIENT_DEFAULTS } from './worker-protocol.ts';
import type { WorkerLoad } from './worker-protocol.ts';

/**
 * This machine's part of a load split over `--shard k/N` machines: every open-loop rate (each
 * stage's) divided by N and the operation cap split so the N parts add up to it. Connections,
 * in-flight bound, concurrency and durations are per machine and stay as given.
 */
export function shardedLoad(load: WorkerLoad, params: LoadSplitParams): WorkerLoad {
  if (load.kind === 'closed-loop') {
    const cap = load.options.maxOperations;
    return cap === undefined
      ? load
      : { kind: 'closed-loop', options: { ...load.options, maxOperations: shardedCount(cap, params) } };
  }
  const resolved = resolveOpenLoopOptions(load.options);
  const { stages, ...rest } = resolved;
  return {
    kind: 'open-loop',
    options: {
      ...rest,
      stages: stages.map((stage) => ({ ...stage, rateOpsPerSecond: shardedRate(stage.rateOpsPerSecond, params) })),
      maxOperations: shardedCount(resolved.maxOperations, params),
    },
  };
}

export type ShardedLoadOptions<Args> = Omit<PooledLoadOptions<Args>, 'workers'>;

/**
 * The one call a scenario makes for a load that honours `--shard` and `--workers`: the load given
 * is the whole (all machines'); this machine runs its shard, in `--workers` threads (exact
 * histogram merge) or, with one worker, in the main thread (no thread start-up, same figures as
 * runOpenLoop). Seeds: pass `args: ({ workerIndex }) => ({ ..., seed: workerSeed(loadSeed(params), workerIndex) })`.
 */
export async function runShardedLoad<Args>(
  options: ShardedLoadOptions<Args>,
  params: LoadSplitParams,
  recorders: RecorderSet,
  signal?: AbortSignal,
): Promise<PooledLoadResult> {
  const load = shardedLoad(options.load, params);
  const workers = workerCount(params);
  if (workers > 1) return runPooledLoad({ ...options, load, workers }, recorders, signal);
  const identity = { workerIndex: 0, workerCount: 1 };
  const clients = await openLoadClients(options.redisUrl, { ...WORKER_CLIENT_DEFAULTS, ...options.client }, identity);
  try {
    const module = options.factory.module instanceof URL ? options.factory.module.href : options.factory.module;
    const factory = await loadOperationFactory(module, options.factory.exportName);
    const args =
      typeof options.factory.args === 'function'
        ? (options.factory.args as (w: typeof identity) => Args)(identity)
        : options.factory.args;
    const { operation } = await buildWorkerOperation(factory, args, clients, identity);
    const result =
      load.kind === 'open-loop'
        ? await runOpenLoop(load.options, operation, recorders, signal)
        : await runClosedLoop(load.options, operation, recorders, signal);
    return { ...result, perWorker: [result] };
  } finally {
    closeLoadClients(clients);
  }
}
