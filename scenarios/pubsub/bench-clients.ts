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
