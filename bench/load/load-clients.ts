import { pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { ConfigError, InfraError } from '../errors.ts';
import type { LoadOperation } from './load-operation.ts';
import { RespConnection } from './resp-connection.ts';
import type { LoadClient, OperationFactory, WorkerClientOptions, WorkerIdentity } from './worker-protocol.ts';

/*
 * What a load worker (a thread, or the main thread when there is one worker) sets up before its
 * load: its own clients, and the operation built by the factory module on each of them.
 */

async function waitReady(client: Redis, timeoutMs: number, label: string): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        done(
          new InfraError(`${label}: Redis client not ready within ${timeoutMs} ms (status ${client.status})`, {
            hint: 'check that Redis is reachable from this machine',
          }),
        ),
      timeoutMs,
    );
    const onReady = (): void => done();
    const onEnd = (): void =>
      done(
        new InfraError(`${label}: the Redis connection closed before it was ready`, {
          hint: 'check that Redis is running and reachable',
        }),
      );
    const done = (error?: Error): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onEnd);
      if (error === undefined) resolve();
      else reject(error);
    };
    client.on('ready', onReady);
    client.on('end', onEnd);
  });
}

/** Opens the clients and waits until each is ready; on failure the ones opened are closed. */
export async function openLoadClients(
  redisUrl: string,
  options: WorkerClientOptions,
  identity: WorkerIdentity,
): Promise<LoadClient[]> {
  if (options.driver === 'resp')
    return openRespConnections(redisUrl, options, `${options.connectionName}-${identity.workerIndex + 1}`);
  const clients: Redis[] = [];
  try {
    for (let i = 0; i < options.connectionsPerWorker; i++) {
      const client = createRedisClient(redisUrl, {
        commandTimeoutMs: options.commandTimeoutMs,
        connectTimeoutMs: options.connectTimeoutMs,
        connectionName: `${options.connectionName}-${identity.workerIndex + 1}`,
      });
      clients.push(client);
      // As rtt-routes.ts: ioredis reads this per command, so setting it before the first one is enough.
      if (options.autoPipelining) client.options.enableAutoPipelining = true;
    }
    await Promise.all(
      clients.map((client) =>
        waitReady(client, options.connectTimeoutMs, `load worker ${identity.workerIndex + 1}/${identity.workerCount}`),
      ),
    );
    return clients;
  } catch (error) {
    closeLoadClients(clients);
    throw error;
  }
}

/** `count` lean connections (driver=resp), opened together; on failure the ones opened are closed. */
export async function openRespConnections(
  redisUrl: string,
  options: Pick<WorkerClientOptions, 'connectionsPerWorker' | 'commandTimeoutMs' | 'connectTimeoutMs' | 'batchWrites'>,
  connectionName: string,
): Promise<RespConnection[]> {
  const opened = await Promise.allSettled(
    Array.from({ length: options.connectionsPerWorker }, () =>
      RespConnection.open(redisUrl, {
        connectTimeoutMs: options.connectTimeoutMs,
        commandTimeoutMs: options.commandTimeoutMs,
        connectionName,
        batchWrites: options.batchWrites,
      }),
    ),
  );
  const connections = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = opened.find((r) => r.status === 'rejected');
  if (failure !== undefined) {
    closeLoadClients(connections);
    throw failure.reason;
  }
  return connections;
}

export function closeLoadClients(clients: readonly LoadClient[]): void {
  for (const client of clients) {
    if (client instanceof RespConnection) client.close();
    else client.disconnect();
  }
}

/** `import(module)[exportName]`, checked: a wrong reference is a ConfigError, not a TypeError later. */
export async function loadOperationFactory(module: string, exportName: string): Promise<OperationFactory<unknown>> {
  const specifier = /^file:/.test(module) ? module : pathToFileURL(module).href;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(
      `cannot load the operation factory module ${module}: ${error instanceof Error ? error.message : String(error)}`,
      { hint: 'give an absolute path or file: URL of an ES module (.ts or .js)', cause: error },
    );
  }
  const factory = loaded[exportName];
  if (typeof factory !== 'function')
    throw new ConfigError(`${module} exports no function ${exportName}`, {
      hint: 'the factory reference names an exported function (args, client, context) => LoadOperation',
    });
  return factory as OperationFactory<unknown>;
}

/**
 * The worker's operation: the factory is called once, with the worker's client (or, with several
 * connections, the array of them, as createCommandOperation takes). Sequence numbers are global:
 * worker i of W sends i, i + W, i + 2W, ..., as one thread numbering every operation would;
 * `afterWarmup` moves them past the warm-up.
 */
export async function buildWorkerOperation(
  factory: OperationFactory<unknown>,
  args: unknown,
  clients: readonly LoadClient[],
  identity: WorkerIdentity,
): Promise<{ operation: LoadOperation; afterWarmup: () => void }> {
  const built = await factory(args, clients.length === 1 ? clients[0]! : clients, {
    ...identity,
    connections: clients.length,
  });
  let base = 0;
  let last = -1;
  const operation: LoadOperation = (sequence) => {
    last = base + sequence;
    return built(last * identity.workerCount + identity.workerIndex);
  };
  return { operation, afterWarmup: () => (base = last + 1) };
}
