import { Redis } from 'ioredis';
import { endpointOptions } from '../../src/redis/endpoint-options.ts';

export interface BenchClientOptions {
  readonly name: string;
  /** Publishers: fail at once while Redis is away (the fault is counted), instead of queueing. */
  readonly offlineQueue: boolean;
  /** Reconnect forever with this fixed delay (false: never reconnect: a dead process). */
  readonly reconnectDelayMs: number | false;
  readonly commandTimeoutMs?: number;
  readonly autoResubscribe?: boolean;
}

/** An ioredis client for the harness's own publishers and listeners; errors are expected during faults. */
export function benchClient(url: string, options: BenchClientOptions): Redis {
  const client = new Redis({
    ...endpointOptions(url),
    connectionName: options.name,
    lazyConnect: true,
    enableOfflineQueue: options.offlineQueue,
    maxRetriesPerRequest: options.offlineQueue ? 20 : 0,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: options.autoResubscribe ?? true,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: 2_000,
    retryStrategy: options.reconnectDelayMs === false ? () => null : () => options.reconnectDelayMs as number,
  });
  client.on('error', () => {});
  return client;
}

/** Resolves when the client is ready, or after timeoutMs (false). */
export function whenReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}

/**
 * Waits for tasks started at once (connections opened, faults run side by side); rethrows the first
 * failure only after every one has settled, so the caller's `finally` closes all that did open.
 */
export async function settleAll<T>(tasks: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * Fails the commands in flight on a client as soon as its connection drops. ioredis, with
 * autoResendUnfulfilledCommands off, neither resends nor rejects them: each would wait for its command
 * timeout (seconds) although the server that was to answer it is gone.
 */
export class DropGuard {
  readonly #pending = new Set<(error: Error) => void>();

  constructor(client: Redis) {
    client.on('close', () => {
      const dropped = [...this.#pending];
      this.#pending.clear();
      for (const reject of dropped) reject(new Error('connection closed with the command in flight'));
    });
  }

  /** The command's own outcome, or a rejection when the connection drops first. */
  run<T>(command: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.add(reject);
      command.then(
        (value) => {
          this.#pending.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.#pending.delete(reject);
          reject(error);
        },
      );
    });
  }
}
