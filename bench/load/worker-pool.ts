import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError, InfraError } from '../errors.ts';
import { nowEpochMs } from '../measure/clock.ts';
import { DEFAULT_TICK_INTERVAL_MS } from '../measure/recorder-set.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import { resolveClosedLoopOptions } from './closed-loop-options.ts';
import { IntervalMerger } from './interval-merger.ts';
import { maxWorkerThreads } from './load-input.ts';
import { fellBehindWarning } from './load-result.ts';
import type { LoadResult } from './load-result.ts';
import { uncorrectedMetricName } from './open-loop.ts';
import { resolveOpenLoopOptions } from './open-loop-options.ts';
import { splitCount } from './shard.ts';
import { WORKER_CLIENT_DEFAULTS } from './worker-protocol.ts';
import type {
  MainMessage,
  OperationFactoryRef,
  WireError,
  WorkerClientOptions,
  WorkerData,
  WorkerLoad,
  WorkerMessage,
} from './worker-protocol.ts';

export interface PooledLoadOptions<Args> {
  /** Worker threads, each with its own clients and 1/W of the load. */
  readonly workers: number;
  readonly redisUrl: string;
  readonly factory: OperationFactoryRef<Args>;
  /**
   * The load of the whole machine: open loop (rate, caps and in-flight bound are divided among the
   * workers) or closed loop (its concurrency is divided; it must be >= workers).
   */
  readonly load: WorkerLoad;
  readonly client?: Partial<WorkerClientOptions>;
  /** Starting a worker (tsx, imports, connections) on a loaded machine can take seconds. */
  readonly startupTimeoutMs?: number;
  /** After an abort, how long workers get to report before they are terminated. */
  readonly abortGraceMs?: number;
}

export const WORKER_POOL_DEFAULTS = {
  startupTimeoutMs: 30_000,
  abortGraceMs: 2_000,
  /** Beyond the load's own duration and drain, before a silent worker is declared hung. */
  finishGraceMs: 15_000,
  /** Lead time of the common start, so every worker is waiting when it comes. */
  startLeadMs: 50,
} as const;

export interface PooledLoadResult extends LoadResult {
  /** Each worker's own result, in worker order (missing when a worker was terminated first). */
  readonly perWorker: readonly (LoadResult | null)[];
}

interface WorkerState {
  readonly worker: Worker;
  ready: boolean;
  warmed: boolean;
  result: LoadResult | null;
  exited: boolean;
}

const WORKER_ENTRY = fileURLToPath(new URL('./load-worker.mjs', import.meta.url));

class PoolAborted extends Error {}

/**
 * Runs a load in W worker threads and merges their histograms exactly into `recorders`
 * (interval by interval, see IntervalMerger) and their counters into one LoadResult. Same
 * contract as runOpenLoop / runClosedLoop: the warm-up never reaches the recorders (the set is
 * reset when it ends), and the caller closes the last, partial interval. Every worker is
 * terminated on every exit path; a worker that fails or goes silent is an error, never a hang.
 */
export async function runPooledLoad<Args>(
  options: PooledLoadOptions<Args>,
  recorders: RecorderSet,
  signal?: AbortSignal,
): Promise<PooledLoadResult> {
  const plan = planWorkers(options);
  const pool = new PoolRun(plan, signal);
  try {
    return await pool.run(recorders);
  } finally {
    await pool.terminateAll();
  }
}

interface WorkerPlan {
  readonly data: readonly WorkerData[];
  readonly warmupDurationMs: number;
  readonly measureBudgetMs: number;
  readonly offsetsMs: readonly number[];
  readonly kind: WorkerLoad['kind'];
  readonly metricNames: readonly string[];
  readonly behindToleranceFraction: number;
  readonly startupTimeoutMs: number;
  readonly abortGraceMs: number;
}

/** Validates everything in the main thread (ConfigError, nothing started) and divides the load. */
function planWorkers<Args>(options: PooledLoadOptions<Args>): WorkerPlan {
  const count = options.workers;
  const max = maxWorkerThreads();
  if (!Number.isSafeInteger(count) || count < 1 || count > max) {
    throw new ConfigError(`workers must be an integer from 1 to ${max} (4 per CPU), got ${count}`, {
      hint: `use --workers 1..${max}; one worker per CPU is a good start`,
    });
  }
  const client: WorkerClientOptions = { ...WORKER_CLIENT_DEFAULTS, ...options.client };
  if (!Number.isSafeInteger(client.connectionsPerWorker) || client.connectionsPerWorker < 1) {
    throw new ConfigError(`connectionsPerWorker must be a positive integer, got ${client.connectionsPerWorker}`, {
      hint: 'give each worker at least one connection',
    });
  }
  const module = options.factory.module instanceof URL ? options.factory.module.href : options.factory.module;
  const argsFor = (workerIndex: number): unknown =>
    typeof options.factory.args === 'function'
      ? (options.factory.args as (w: { workerIndex: number; workerCount: number }) => Args)({
          workerIndex,
          workerCount: count,
        })
      : options.factory.args;
  const loads: WorkerLoad[] = [];
  let warmupDurationMs: number;
  let measureBudgetMs: number;
  let offsetsMs: number[];
  let behindToleranceFraction = 0;
  let metricNames: string[];
  if (options.load.kind === 'open-loop') {
    const resolved = resolveOpenLoopOptions(options.load.options);
    if (resolved.maxOperations < count)
      throw new ConfigError(`maxOperations (${resolved.maxOperations}) is below the worker count (${count})`, {
        hint: 'use fewer workers or a larger operation cap',
      });
    warmupDurationMs = resolved.warmupDurationMs;
    measureBudgetMs = resolved.durationMs + resolved.drainTimeoutMs;
    behindToleranceFraction = resolved.behindToleranceFraction;
    metricNames = [resolved.metricName, uncorrectedMetricName(resolved.metricName)];
    const firstRate = resolved.stages[0]!.rateOpsPerSecond;
    // Worker i sends at i/R, W/R + i/R, ...: together the arrivals are R per second, evenly spaced.
    offsetsMs = Array.from({ length: count }, (_, i) => (i * 1_000) / firstRate);
    for (let i = 0; i < count; i++) {
      const { stages, warmupDurationMs: _warmup, ...rest } = resolved;
      loads.push({
        kind: 'open-loop',
        options: {
          ...rest,
          stages: stages.map((stage) => ({
            rateOpsPerSecond: stage.rateOpsPerSecond / count,
            durationMs: stage.durationMs,
          })),
          maxOperations: splitCount(resolved.maxOperations, count, i),
          maxInFlight: Math.max(1, Math.ceil(resolved.maxInFlight / count)),
        },
      });
    }
  } else {
    const resolved = resolveClosedLoopOptions(options.load.options);
    if (resolved.workers < count)
      throw new ConfigError(
        `closed-loop concurrency (${resolved.workers}) is below the worker thread count (${count})`,
        { hint: 'use at least one concurrent loop per worker thread' },
      );
    if (resolved.maxOperations < count)
      throw new ConfigError(`maxOperations (${resolved.maxOperations}) is below the worker count (${count})`, {
        hint: 'use fewer workers or a larger operation cap',
      });
    warmupDurationMs = resolved.warmupDurationMs;
    measureBudgetMs = resolved.durationMs + resolved.drainTimeoutMs;
    offsetsMs = Array.from({ length: count }, () => 0);
    metricNames = [resolved.metricName];
    for (let i = 0; i < count; i++) {
      loads.push({
        kind: 'closed-loop',
        options: {
          ...resolved,
          workers: splitCount(resolved.workers, count, i),
          maxOperations: splitCount(resolved.maxOperations, count, i),
        },
      });
    }
  }
  const data = loads.map((load, workerIndex): WorkerData => ({
    workerIndex,
    workerCount: count,
    redisUrl: options.redisUrl,
    client,
    factory: { module, exportName: options.factory.exportName, args: argsFor(workerIndex) },
    load,
    warmupDurationMs,
    intervalMs: DEFAULT_TICK_INTERVAL_MS,
  }));
  return {
    data,
    warmupDurationMs,
    measureBudgetMs,
    offsetsMs,
    kind: options.load.kind,
    metricNames,
    behindToleranceFraction,
    startupTimeoutMs: options.startupTimeoutMs ?? WORKER_POOL_DEFAULTS.startupTimeoutMs,
    abortGraceMs: options.abortGraceMs ?? WORKER_POOL_DEFAULTS.abortGraceMs,
  };
}

function workerFailure(label: string, error: WireError): Error {
  const message = error.message.startsWith(label) ? error.message : `${label}: ${error.message}`;
  if (error.name === 'ConfigError') return new ConfigError(message, error.hint === null ? {} : { hint: error.hint });
  if (error.name === 'InfraError') return new InfraError(message, error.hint === null ? {} : { hint: error.hint });
  const failure = new Error(`${label} failed: ${error.name}: ${error.message}`);
  if (error.stack !== null) failure.stack = `${failure.message}\n--- in the worker thread ---\n${error.stack}`;
  return failure;
}

class PoolRun {
  private readonly states: WorkerState[] = [];
  private failure: Error | null = null;
  private merger: IntervalMerger | null = null;
  private wake: (() => void) | null = null;
  private measuring = false;

  constructor(
    private readonly plan: WorkerPlan,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async run(recorders: RecorderSet): Promise<PooledLoadResult> {
    const onAbort = (): void => this.notify();
    this.signal?.addEventListener('abort', onAbort);
    try {
      this.spawn();
      await this.until((s) => s.ready, this.plan.startupTimeoutMs, 'start (tsx, imports, Redis connections)');
      if (this.plan.warmupDurationMs > 0) {
        this.broadcast({ type: 'warmup', atEpochMs: nowEpochMs() + WORKER_POOL_DEFAULTS.startLeadMs });
        await this.until(
          (s) => s.warmed,
          this.plan.warmupDurationMs + this.plan.measureBudgetMs + WORKER_POOL_DEFAULTS.finishGraceMs,
          'finish the warm-up',
        );
      }
      // Whole ms, so every worker's grid points are exact integers the merger can compare.
      const originMs = Math.ceil(nowEpochMs() + WORKER_POOL_DEFAULTS.startLeadMs);
      // The merged metrics exist before the first interval arrives, so their first interval starts at the origin.
      for (const name of this.plan.metricNames) recorders.metric(name);
      if (this.plan.warmupDurationMs > 0) recorders.resetAll(originMs);
      else recorders.cutAll(originMs);
      this.merger = new IntervalMerger(this.states.length, recorders, originMs, DEFAULT_TICK_INTERVAL_MS);
      for (const s of this.states) if (s.exited) this.merger.finish(this.states.indexOf(s));
      this.measuring = true;
      this.states.forEach((s, i) =>
        this.post(s, { type: 'measure', atEpochMs: originMs, offsetMs: this.plan.offsetsMs[i]! }),
      );
      await this.until(
        (s) => s.result !== null,
        this.plan.measureBudgetMs + Math.max(...this.plan.offsetsMs) + WORKER_POOL_DEFAULTS.finishGraceMs,
        'finish the measured phase',
      );
    } catch (error) {
      if (!(error instanceof PoolAborted)) throw error;
      this.broadcast({ type: 'abort' });
      // Best effort: what the workers measured until the abort still counts, as in runOpenLoop.
      await this.until((s) => s.result !== null || s.exited, this.plan.abortGraceMs, 'stop', true).catch(() => {});
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
    }
    this.merger?.flush();
    return this.mergedResult();
  }

  private spawn(): void {
    for (const data of this.plan.data) {
      const worker = new Worker(WORKER_ENTRY, { workerData: data, stdout: false, stderr: false });
      const state: WorkerState = { worker, ready: false, warmed: false, result: null, exited: false };
      const index = this.states.push(state) - 1;
      const label = `load worker ${index + 1}/${this.plan.data.length}`;
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'ready':
            state.ready = true;
            break;
          case 'warmed':
            state.warmed = true;
            break;
          case 'interval':
            this.merger?.add(index, message.interval);
            break;
          case 'done':
            state.result = message.result;
            this.merger?.finish(index);
            break;
          case 'failed':
            this.failure ??= workerFailure(label, message.error);
            break;
        }
        this.notify();
      });
      worker.on('error', (error: Error) => {
        this.failure ??= workerFailure(label, {
          name: error.name,
          message: error.message,
          hint: null,
          stack: error.stack ?? null,
        });
        this.notify();
      });
      worker.on('exit', (code) => {
        state.exited = true;
        if (this.measuring) this.merger?.finish(index);
        if (state.result === null && this.signal?.aborted !== true) {
          this.failure ??= new InfraError(`${label} exited (code ${code}) before finishing its load`, {
            hint: 'the worker thread died; run again, or with --workers 1 to see the error in the main thread',
          });
        }
        this.notify();
      });
    }
  }

  private post(state: WorkerState, message: MainMessage): void {
    if (!state.exited) state.worker.postMessage(message);
  }

  private broadcast(message: MainMessage): void {
    for (const state of this.states) this.post(state, message);
  }

  private notify(): void {
    this.wake?.();
  }

  /** Waits until every worker satisfies `done`; throws the first failure, PoolAborted, or a timeout. */
  private async until(
    done: (state: WorkerState) => boolean,
    timeoutMs: number,
    what: string,
    ignoreAbort = false,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure !== null) throw this.failure;
      if (this.states.every(done)) return;
      if (!ignoreAbort && this.signal?.aborted === true) throw new PoolAborted();
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const late = this.states.map((s, i) => (done(s) ? null : i + 1)).filter((i) => i !== null);
        throw new InfraError(
          `load worker(s) ${late.join(', ')} of ${this.states.length} did not ${what} within ${Math.round(timeoutMs / 1000)} s`,
          {
            hint: 'the machine may be overloaded; use fewer --workers or a longer warm-up',
          },
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  async terminateAll(): Promise<void> {
    await Promise.all(this.states.map((s) => s.worker.terminate().catch(() => 0)));
  }

  private mergedResult(): PooledLoadResult {
    const results = this.states.map((s) => s.result);
    const present = results.filter((r): r is LoadResult => r !== null);
    const sum = (pick: (r: LoadResult) => number): number => present.reduce((total, r) => total + pick(r), 0);
    const aborted = this.signal?.aborted === true || present.some((r) => r.aborted);
    const openLoop = this.plan.kind === 'open-loop';
    const targetRate = openLoop ? sum((r) => r.targetRate ?? 0) : null;
    const achievedRate = sum((r) => r.achievedRate);
    const maxSendLagMs = openLoop ? Math.max(0, ...present.map((r) => r.maxSendLagMs ?? 0)) : null;
    const warnings: string[] = [];
    if (
      targetRate !== null &&
      present.length > 0 &&
      achievedRate < targetRate * (1 - this.plan.behindToleranceFraction)
    ) {
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
      perWorker: results,
    };
  }
}
