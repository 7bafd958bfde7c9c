/** Where command-latency's load runs: in this thread on its own clients, or in worker threads, for this shard. */
import type { CommandOperationSpec } from '../../bench/load/command-operation.ts';
import type { LoadOperation } from '../../bench/load/load-operation.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import type { OpenLoopOptions } from '../../bench/load/open-loop-options.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import { shardedCount, shardedRate } from '../../bench/load/shard.ts';
import type { ShardSpec } from '../../bench/load/shard.ts';
import { runShardedLoad } from '../../bench/load/sharded-load.ts';
import type { LoadClient, LoadDriver, WorkerClientOptions, WorkerLoad } from '../../bench/load/worker-protocol.ts';
import { openLoadClients } from '../../bench/load/load-clients.ts';
import { redisCpuReader } from '../../bench/measure/generator-load-probe.ts';
import type { RedisCpuReader } from '../../bench/measure/generator-load-probe.ts';
import { moveIntervals } from '../../bench/measure/move-intervals.ts';
import { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import type { MaxThroughputRun } from './comparison-request.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';
import type { CommandPlan } from './command-plans.ts';

/**
 * A measurement client must not give up on a slow reply: past saturation a slow command is the
 * figure being measured, not a reason to drop it (the service's 100 ms timeout would censor the tail).
 */
const MEASUREMENT_CLIENT = {
  commandTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  connectionName: 'rpb-command-latency',
} as const;

/** How the load's clients connect: `connections` of them with `driver` (in one thread, or in each worker thread). */
function loadClientOptions(params: CommandLatencyParams, driver: LoadDriver, connections: number): WorkerClientOptions {
  return {
    connectionsPerWorker: connections,
    commandTimeoutMs: MEASUREMENT_CLIENT.commandTimeoutMs,
    connectTimeoutMs: MEASUREMENT_CLIENT.connectTimeoutMs,
    autoPipelining: params.autoPipelining === 'on',
    connectionName: MEASUREMENT_CLIENT.connectionName,
    driver,
    batchWrites: params.pipelineDepth > 1,
  };
}

/**
 * The scenario's own `connections` connections with `driver`, in this thread (the load engine's
 * opener, as a worker's).
 */
export function openClients(redisUrl: string, params: CommandLatencyParams, driver: LoadDriver): Promise<LoadClient[]> {
  return openLoadClients(redisUrl, loadClientOptions(params, driver, params.connections), {
    workerIndex: 0,
    workerCount: 1,
  });
}

const COMMAND_OPERATION_MODULE = new URL('../../bench/load/command-operation.ts', import.meta.url);

/**
 * Where the load runs: `--shard k/N` gives this machine rate/N of every open-loop step (and 1/N of
 * its operation cap); `--workers W` runs each step in W threads with their own connections
 * (runShardedLoad: histograms merged exactly). With one worker every step runs here, on the
 * scenario's own clients, as runOpenLoop always did. Every measured run reads redis-server's CPU
 * over the admin connection before and after it (the result's generatorLoad).
 */
export class CommandLoads {
  readonly shard: ShardSpec | null;
  readonly workers: number;
  readonly redisCpu: RedisCpuReader;

  constructor(
    private readonly context: ScenarioContext,
    private readonly params: CommandLatencyParams,
    private readonly plans: readonly CommandPlan[],
    private readonly operations: readonly LoadOperation[],
  ) {
    this.shard = context.params.shard;
    this.workers = context.params.workers;
    this.redisCpu = redisCpuReader(context.admin);
  }

  get pooled(): boolean {
    return this.workers > 1;
  }

  /**
   * Each thread's connections: together at least `connections`, so each worker's in-flight share
   * (ceil(C x D / W)) keeps <= D per connection.
   */
  get connectionsPerWorker(): number {
    return Math.ceil(this.params.connections / this.workers);
  }

  private client(driver: LoadDriver): WorkerClientOptions {
    return loadClientOptions(this.params, driver, this.connectionsPerWorker);
  }

  /**
   * W threads of `load` (the whole machine's, before the shard split) into a scratch set, then moved
   * into the scenario's recorders.
   */
  private async runPooled(
    spec: CommandOperationSpec,
    load: WorkerLoad,
    driver: LoadDriver = this.params.driver,
  ): Promise<LoadResult> {
    const scratch = new RecorderSet();
    const result = await runShardedLoad(
      {
        redisUrl: this.context.target.url,
        factory: { module: COMMAND_OPERATION_MODULE, exportName: 'commandOperationFactory', args: spec },
        load,
        client: this.client(driver),
        redisCpu: this.redisCpu,
      },
      this.context.params,
      scratch,
      this.context.signal,
    );
    moveIntervals(scratch, this.context.recorders);
    return result;
  }

  /**
   * One open-loop step of plan `index` at the whole load's `options.rateOpsPerSecond`: an
   * unrecorded warm-up of warmupMs, then the measured run into `options.metricName`.
   */
  async openLoop(
    index: number,
    options: OpenLoopOptions & { readonly rateOpsPerSecond: number },
    warmupMs: number,
  ): Promise<LoadResult> {
    if (this.pooled) {
      // Every pooled step starts fresh threads (cold JIT, new connections): each gets the warm-up,
      // not only the first round's.
      const warmupDurationMs = Math.max(warmupMs, this.params.warmupDurationMs);
      return this.runPooled(this.plans[index].spec, { kind: 'open-loop', options: { ...options, warmupDurationMs } });
    }
    const rate = shardedRate(options.rateOpsPerSecond, this.context.params);
    const operation = this.operations[index];
    if (warmupMs > 0) {
      await runOpenLoop(
        {
          rateOpsPerSecond: rate,
          durationMs: warmupMs,
          warmupDurationMs: 0,
          maxInFlight: options.maxInFlight,
          metricName: 'warmup',
        },
        operation,
        new RecorderSet(),
        this.context.signal,
      );
    }
    const maxOperations =
      options.maxOperations === undefined ? undefined : shardedCount(options.maxOperations, this.context.params);
    return runOpenLoop(
      { ...options, rateOpsPerSecond: rate, warmupDurationMs: 0, maxOperations },
      operation,
      this.context.recorders,
      this.context.signal,
      { redisCpu: this.redisCpu },
    );
  }

  /**
   * The comparison's max-throughput closed loop in W threads; null when it stays in this thread
   * (one worker, or fewer concurrent commands than threads).
   */
  maxThroughputRunner(): ((run: MaxThroughputRun) => Promise<LoadResult>) | undefined {
    if (!this.pooled || this.params.connections * this.params.pipelineDepth < this.workers) return undefined;
    return (run) =>
      this.runPooled(
        run.spec,
        {
          kind: 'closed-loop',
          options: {
            workers: run.concurrency,
            durationMs: run.durationMs,
            warmupDurationMs: run.warmupDurationMs,
            metricName: run.metricName,
          },
        },
        run.driver,
      );
  }
}
