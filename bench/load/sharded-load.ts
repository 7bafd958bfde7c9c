import type { RecorderSet } from '../measure/recorder-set.ts';
import { buildWorkerOperation, closeLoadClients, loadOperationFactory, openLoadClients } from './load-clients.ts';
import type { PooledLoadResult } from './pooled-result.ts';
import { shardedCount, shardedRate } from './shard.ts';
import type { LoadSplitParams } from './shard.ts';
import { resolveWorkerLoad, runWorkerLoad } from './worker-load.ts';
import { runResolvedPooledLoad } from './worker-pool.ts';
import { resolvePoolOptions } from './worker-pool-options.ts';
import type { PooledLoadOptions } from './worker-pool-options.ts';
import { WORKER_CLIENT_DEFAULTS } from './worker-protocol.ts';
import type { ResolvedWorkerLoad, WorkerIdentity } from './worker-protocol.ts';

/**
 * This machine's part of a load split over `--shard k/N` machines: every open-loop rate (each
 * stage's) divided by N and the operation cap split so the N parts add up to it. Connections,
 * in-flight bound, concurrency and durations are per machine and stay as given.
 */
export function shardedLoad(load: ResolvedWorkerLoad, params: Pick<LoadSplitParams, 'shard'>): ResolvedWorkerLoad {
  if (load.kind === 'closed-loop')
    return {
      kind: 'closed-loop',
      options: { ...load.options, maxOperations: shardedCount(load.options.maxOperations, params) },
    };
  const { options } = load;
  return {
    kind: 'open-loop',
    options: {
      ...options,
      stages: options.stages.map((stage) => ({
        ...stage,
        rateOpsPerSecond: shardedRate(stage.rateOpsPerSecond, params),
      })),
      maxOperations: shardedCount(options.maxOperations, params),
    },
  };
}

export type ShardedLoadOptions<Args> = Omit<PooledLoadOptions<Args>, 'workers'>;

/**
 * The one call a scenario makes for a load that honours `--shard` and `--workers`: the load given
 * is the whole (all machines'); this machine runs its shard, in `--workers` threads (exact
 * histogram merge) or, with one worker, in the main thread (no thread start-up, same figures as
 * runOpenLoop). The load's options are resolved here, once, and passed down resolved. Seeds: pass
 * `args: ({ workerIndex }) => ({ ..., seed: workerSeed(loadSeed(params), workerIndex) })`.
 */
export async function runShardedLoad<Args>(
  options: ShardedLoadOptions<Args>,
  params: LoadSplitParams,
  recorders: RecorderSet,
  signal?: AbortSignal,
): Promise<PooledLoadResult> {
  const load = shardedLoad(resolveWorkerLoad(options.load), params);
  if (params.workers > 1) {
    const pool = resolvePoolOptions({ ...options, workers: params.workers });
    return runResolvedPooledLoad(pool, load, recorders, signal);
  }
  const identity: WorkerIdentity = { workerIndex: 0, workerCount: 1 };
  const clients = await openLoadClients(options.redisUrl, { ...WORKER_CLIENT_DEFAULTS, ...options.client }, identity);
  try {
    const module = options.factory.module instanceof URL ? options.factory.module.href : options.factory.module;
    const factory = await loadOperationFactory(module, options.factory.exportName);
    const args =
      typeof options.factory.args === 'function'
        ? (options.factory.args as (w: WorkerIdentity) => Args)(identity)
        : options.factory.args;
    const { operation } = await buildWorkerOperation(factory, args, clients, identity);
    const result = await runWorkerLoad(load, operation, recorders, signal, { redisCpu: options.redisCpu });
    return { ...result, perWorker: [result] };
  } finally {
    closeLoadClients(clients);
  }
}
