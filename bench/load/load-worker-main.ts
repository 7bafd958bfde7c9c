import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { RpbError } from '../errors.ts';
import { NS_PER_MS } from '../core/units.ts';
import { nowEpochMs, nowNs } from '../measure/clock.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import type { LoadOperation } from './load-operation.ts';
import type { LoadResult } from './load-result.ts';
import { sleepMs, waitUntilNs } from './precise-wait.ts';
import { buildWorkerOperation, closeLoadClients, loadOperationFactory, openLoadClients } from './load-clients.ts';
import { runWorkerLoad } from './worker-load.ts';
import type {
  LoadClient,
  MainMessage,
  ResolvedWorkerLoad,
  WireCounts,
  WireError,
  WorkerData,
  WorkerMessage,
} from './worker-protocol.ts';

/*
 * One load worker thread (started by worker-pool.ts through load-worker.mjs): opens its own
 * clients, builds the operation from the factory module, runs its share of the load, and streams
 * every closed interval's counts to the main thread, which merges them exactly.
 */

if (parentPort === null) throw new Error('load-worker-main.ts runs only as a worker thread (see worker-pool.ts)');
const port: MessagePort = parentPort;
const data = workerData as WorkerData;
const abort = new AbortController();
const post = (message: WorkerMessage): void => port.postMessage(message);

/**
 * Recorders whose clock snaps to a grid of intervalMs from the common start, so every worker cuts
 * at the same instants and the main thread can add interval k of each worker into its interval k.
 * Each cut is shipped as it happens.
 */
class StreamingRecorderSet extends RecorderSet {
  private readonly shippedClamped = new Map<string, number>();
  private readonly shippedInvalid = new Map<string, number>();

  constructor(originMs: number, intervalMs: number) {
    super({ clock: () => originMs + Math.max(0, Math.floor((nowEpochMs() - originMs) / intervalMs)) * intervalMs });
  }

  override cutAll(nowMs?: number): void {
    super.cutAll(nowMs);
    const metrics: WireCounts[] = [];
    let startMs = Number.NaN;
    let endMs = Number.NaN;
    for (const name of this.names()) {
      const recorder = this.metric(name);
      const last = recorder.intervals().at(-1);
      if (last === undefined) continue;
      startMs = last.startTimeMs;
      endMs = last.endTimeMs;
      const counts = last.sparseCounts;
      const clamped = recorder.clamped - (this.shippedClamped.get(name) ?? 0);
      const invalid = recorder.invalid - (this.shippedInvalid.get(name) ?? 0);
      this.shippedClamped.set(name, recorder.clamped);
      this.shippedInvalid.set(name, recorder.invalid);
      metrics.push({
        name,
        indexes: counts.indexes,
        counts: counts.counts,
        totalCount: counts.totalCount,
        clamped,
        invalid,
      });
    }
    if (metrics.length > 0) post({ type: 'interval', interval: { startMs, endMs, metrics } });
  }
}

function wireError(error: unknown): WireError {
  if (error instanceof Error)
    return {
      name: error.name || 'Error',
      message: error.message,
      hint: error instanceof RpbError ? (error.hint ?? null) : null,
      stack: error.stack ?? null,
    };
  return { name: 'Error', message: String(error), hint: null, stack: null };
}

/** The next command from the main thread (an abort included). */
function nextCommand(): Promise<MainMessage> {
  return new Promise((resolve) => port.once('message', (message: MainMessage) => resolve(message)));
}

/** Spins the last 2 ms before the common start, as the open loop does by default (precise-wait.ts). */
const START_SPIN_WINDOW_NS = 2 * NS_PER_MS;

async function waitUntilEpochMs(atEpochMs: number): Promise<void> {
  const deltaMs = atEpochMs - nowEpochMs();
  if (deltaMs > 0)
    await waitUntilNs(nowNs() + BigInt(Math.round(deltaMs * NS_PER_MS)), START_SPIN_WINDOW_NS, abort.signal);
}

/**
 * This worker's share for one phase. The pool runs the warm-up as a phase of its own, so a share
 * carries no warm-up (worker-plan.ts) and the measured phase is the share as planned; the warm-up
 * is the first stage's rate (open loop) or the same loops (closed loop) for warmupDurationMs, uncapped.
 */
function phaseLoad(load: ResolvedWorkerLoad, warmup: boolean): ResolvedWorkerLoad {
  if (!warmup) return load;
  const phase = { durationMs: data.warmupDurationMs, warmupDurationMs: 0, maxOperations: Infinity };
  if (load.kind === 'closed-loop') return { kind: 'closed-loop', options: { ...load.options, ...phase } };
  const stages = [{ rateOpsPerSecond: load.options.stages[0].rateOpsPerSecond, durationMs: data.warmupDurationMs }];
  return { kind: 'open-loop', options: { ...load.options, ...phase, stages } };
}

function runPhase(operation: LoadOperation, recorders: RecorderSet, warmup: boolean): Promise<LoadResult> {
  return runWorkerLoad(phaseLoad(data.load, warmup), operation, recorders, abort.signal);
}

async function main(): Promise<void> {
  const identity = { workerIndex: data.workerIndex, workerCount: data.workerCount };
  let clients: LoadClient[] = [];
  try {
    clients = await openLoadClients(data.redisUrl, data.client, identity);
    const factory = await loadOperationFactory(data.factory.module, data.factory.exportName);
    const { operation, afterWarmup } = await buildWorkerOperation(factory, data.factory.args, clients, identity);
    post({ type: 'ready' });

    let command = await nextCommand();
    if (command.type === 'warmup') {
      await waitUntilEpochMs(command.atEpochMs);
      if (!abort.signal.aborted) await runPhase(operation, new RecorderSet(), true);
      afterWarmup();
      if (abort.signal.aborted) return;
      post({ type: 'warmed' });
      command = await nextCommand();
    }
    if (command.type === 'measure' && !abort.signal.aborted) {
      const recorders = new StreamingRecorderSet(command.atEpochMs, data.intervalMs);
      await waitUntilEpochMs(command.atEpochMs + command.offsetMs);
      const result = await runPhase(operation, recorders, false);
      // The last, partial interval ends now, not at a grid point.
      recorders.cutAll(nowEpochMs());
      post({ type: 'done', result });
    }
  } catch (error) {
    post({ type: 'failed', error: wireError(error) });
  } finally {
    closeLoadClients(clients);
  }
}

// An abort may come at any time; 'message' listeners for commands are one-shot, this one stays.
port.on('message', (message: MainMessage) => {
  if (message.type === 'abort') abort.abort();
});
await main();
// Let the last messages flush before the main thread terminates this thread.
await sleepMs(0);
port.close();
