import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MS_PER_S } from '../core/units.ts';
import { ConfigError, InfraError } from '../errors.ts';
import { nowEpochMs } from '../measure/clock.ts';
import { RedisCpuWindow } from '../measure/generator-load-probe.ts';
import type { RedisCpuReader } from '../measure/generator-load-probe.ts';
import { DEFAULT_TICK_INTERVAL_MS } from '../measure/recorder-set.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import { IntervalMerger } from './interval-merger.ts';
import type { LoadResult } from './load-result.ts';
import { mergeWorkerResults } from './pooled-result.ts';
import type { PooledLoadResult } from './pooled-result.ts';
import type { WorkerPlan } from './worker-plan.ts';
import { Wakeup } from './wakeup.ts';
import type { MainMessage, WireError, WorkerMessage } from './worker-protocol.ts';

const POOL_TIMING = {
  /** Beyond the load's own duration and drain, before a silent worker is declared hung. */
  finishGraceMs: 15_000,
  /** Lead time of the common start, so every worker is waiting when it comes. */
  startLeadMs: 50,
} as const;

interface WorkerState {
  readonly worker: Worker;
  ready: boolean;
  warmed: boolean;
  result: LoadResult | null;
  exited: boolean;
}

const WORKER_ENTRY = fileURLToPath(new URL('./load-worker.mjs', import.meta.url));

class PoolAborted extends Error {}

function workerFailure(label: string, error: WireError): Error {
  const message = error.message.startsWith(label) ? error.message : `${label}: ${error.message}`;
  if (error.name === 'ConfigError') return new ConfigError(message, error.hint === null ? {} : { hint: error.hint });
  if (error.name === 'InfraError') return new InfraError(message, error.hint === null ? {} : { hint: error.hint });
  const failure = new Error(`${label} failed: ${error.name}: ${error.message}`);
  if (error.stack !== null) failure.stack = `${failure.message}\n--- in the worker thread ---\n${error.stack}`;
  return failure;
}

/** One pooled run: spawns the workers, steps them through start, warm-up and measurement, merges what they send. */
export class PoolRun {
  private readonly states: WorkerState[] = [];
  private failure: Error | null = null;
  private merger: IntervalMerger | null = null;
  /** Woken by every worker message, exit and error, and by an abort: `until` rechecks then. */
  private readonly wakeup = new Wakeup();
  private measuring = false;

  constructor(
    private readonly plan: WorkerPlan,
    private readonly signal: AbortSignal | undefined,
    private readonly redisCpu?: RedisCpuReader,
  ) {}

  async run(recorders: RecorderSet): Promise<PooledLoadResult> {
    const onAbort = (): void => this.notify();
    this.signal?.addEventListener('abort', onAbort);
    let redisCpuShare: number | null = null;
    try {
      this.spawn();
      await this.until((s) => s.ready, this.plan.startupTimeoutMs, 'start (tsx, imports, Redis connections)');
      if (this.plan.warmupDurationMs > 0) {
        this.broadcast({ type: 'warmup', atEpochMs: nowEpochMs() + POOL_TIMING.startLeadMs });
        await this.until(
          (s) => s.warmed,
          this.plan.warmupDurationMs + this.plan.measureBudgetMs + POOL_TIMING.finishGraceMs,
          'finish the warm-up',
        );
      }
      // Redis's CPU over the measured phase: read here, the workers have no admin connection.
      const redis = await RedisCpuWindow.open(this.redisCpu);
      // Whole ms, so every worker's grid points are exact integers the merger can compare.
      const originMs = Math.ceil(nowEpochMs() + POOL_TIMING.startLeadMs);
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
        this.plan.measureBudgetMs + Math.max(...this.plan.offsetsMs) + POOL_TIMING.finishGraceMs,
        'finish the measured phase',
      );
      redisCpuShare = await redis.close();
    } catch (error) {
      if (!(error instanceof PoolAborted)) throw error;
      this.broadcast({ type: 'abort' });
      // Best effort: what the workers measured until the abort still counts, as in runOpenLoop.
      await this.until((s) => s.result !== null || s.exited, this.plan.abortGraceMs, 'stop', true).catch(() => {});
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
    }
    this.merger?.flush();
    return mergeWorkerResults(
      this.states.map((s) => s.result),
      this.plan.kind,
      this.plan.behindToleranceFraction,
      this.signal?.aborted === true,
      redisCpuShare,
    );
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
    this.wakeup.notify();
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
          `load worker(s) ${late.join(', ')} of ${this.states.length} did not ${what} within ${Math.round(timeoutMs / MS_PER_S)} s`,
          {
            hint: 'the machine may be overloaded; use fewer --workers or a longer warm-up',
          },
        );
      }
      await this.wakeup.wait(remaining);
    }
  }

  async terminateAll(): Promise<void> {
    await Promise.all(this.states.map((s) => s.worker.terminate().catch(() => 0)));
  }
}
