/**
 * Head-of-line blocking, measured from another client: while a mover (its own worker thread, see
 * large-object-mover.mjs) SETs and GETs a value back to back, a second connection in this thread
 * sends small GETs on a fixed schedule (open loop, latency from the intended send), so a GET stuck
 * behind the mover's command is counted with its full wait.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { encodeGet } from '../../bench/load/resp-connection.ts';
import type { RespConnection } from '../../bench/load/resp-connection.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import type { RecorderSet } from '../../bench/measure/recorder-set.ts';
import { parseRedisUrl } from '../../src/redis/redis-url.ts';

export type MovedValue = 'large' | 'vector';

/** The TTL of the document's example writes (`ttl=3600`). */
export const DOCUMENT_TTL_SECONDS = 3_600;
const WORKER_TIMEOUT_MS = 30_000;

type MoverMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'stopped'; readonly commands: number }
  | { readonly type: 'codec'; readonly ms: readonly number[] }
  | { readonly type: 'error'; readonly message: string };

/** The mover thread: one connection, one value moving at a time. */
export class Mover {
  #error: Error | null = null;
  readonly #waiters: ((message: MoverMessage) => void)[] = [];

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: MoverMessage) => {
      if (message.type === 'error') this.#error ??= new Error(`mover: ${message.message}`);
      for (const waiter of this.#waiters.splice(0)) waiter(message);
    });
    worker.on('error', (error) => {
      this.#error ??= error;
      for (const waiter of this.#waiters.splice(0)) waiter({ type: 'error', message: error.message });
    });
  }

  /** Starts the thread and its connection (TCP only, like the lean RESP client). */
  static async open(url: string, values: Readonly<Record<MovedValue, { key: string; value: Buffer }>>): Promise<Mover> {
    const endpoint = parseRedisUrl(url);
    const worker = new Worker(new URL('./large-object-mover.mjs', import.meta.url), {
      workerData: {
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        password: endpoint.password,
        ttlSeconds: DOCUMENT_TTL_SECONDS,
        values: Object.fromEntries(Object.entries(values).map(([name, v]) => [name, { key: v.key, bytes: v.value }])),
      },
    });
    const mover = new Mover(worker);
    try {
      await mover.next('ready');
      return mover;
    } catch (error) {
      await worker.terminate();
      throw error;
    }
  }

  private next(type: MoverMessage['type']): Promise<MoverMessage> {
    return new Promise<MoverMessage>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`mover: no '${type}' within ${WORKER_TIMEOUT_MS} ms`)),
        WORKER_TIMEOUT_MS,
      );
      this.#waiters.push((message) => {
        clearTimeout(timer);
        if (message.type === 'error') reject(this.#error ?? new Error(message.message));
        else if (message.type !== type) reject(new Error(`mover: '${message.type}' instead of '${type}'`));
        else resolve(message);
      });
    });
  }

  start(moved: MovedValue): void {
    if (this.#error !== null) throw this.#error;
    this.worker.postMessage({ type: 'start', value: moved });
  }

  /** Stops after the SET/GET pair in progress; the commands completed since start. */
  async stop(): Promise<number> {
    const stopped = this.next('stopped');
    this.worker.postMessage({ type: 'stop' });
    const message = await stopped;
    return message.type === 'stopped' ? message.commands : 0;
  }

  /**
   * Times serialise (JSON.stringify to a Buffer) + parse (JSON.parse of its text) of the large value's
   * object in the mover's thread, `repetitions` times, ms each.
   */
  async codec(repetitions: number): Promise<readonly number[]> {
    if (this.#error !== null) throw this.#error;
    const answer = this.next('codec');
    this.worker.postMessage({ type: 'codec', repetitions });
    const message = await answer;
    return message.type === 'codec' ? message.ms : [];
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' });
    const exited = once(this.worker, 'exit');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    await this.worker.terminate();
  }
}

/** The other client's metric while `moved` moves. */
export function probeMetricName(moved: MovedValue): string {
  return `others-get.while-${moved}`;
}

export interface WindowResult {
  readonly moved: MovedValue;
  readonly probe: LoadResult;
  /** SETs and GETs the mover completed in the window. */
  readonly moverCommands: number;
  readonly moverBytes: number;
}

export interface WindowPlan {
  readonly mover: Mover;
  readonly probe: RespConnection;
  /** The small key the probe GETs. */
  readonly probeKey: string;
  readonly windowMs: number;
  readonly probeRatePerSecond: number;
  readonly recorders: RecorderSet;
  readonly signal: AbortSignal;
}

/** One window: the mover runs SET, GET, SET, ... while the probe's open loop runs. */
export async function runWindow(plan: WindowPlan, moved: MovedValue, valueBytes: number): Promise<WindowResult> {
  const probeGet = encodeGet(plan.probeKey);
  plan.mover.start(moved);
  let probe: LoadResult;
  try {
    probe = await runOpenLoop(
      {
        rateOpsPerSecond: plan.probeRatePerSecond,
        durationMs: plan.windowMs,
        warmupDurationMs: 0,
        maxInFlight: 256,
        metricName: probeMetricName(moved),
        drainTimeoutMs: 5_000,
        sendLagWarningMs: 1_000,
      },
      () => plan.probe.send(probeGet),
      plan.recorders,
      plan.signal,
    );
  } catch (error) {
    await plan.mover.stop().catch(() => 0);
    throw error;
  }
  const moverCommands = await plan.mover.stop();
  return { moved, probe, moverCommands, moverBytes: moverCommands * valueBytes };
}
