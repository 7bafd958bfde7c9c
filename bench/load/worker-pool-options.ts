import { ConfigError } from '../errors.ts';
import type { RedisCpuReader } from '../measure/generator-load-probe.ts';
import { maxWorkerThreads } from './load-input.ts';
import { withDefaults } from './with-defaults.ts';
import { WORKER_CLIENT_DEFAULTS } from './worker-protocol.ts';
import type { OperationFactoryRef, WorkerClientOptions, WorkerLoad } from './worker-protocol.ts';

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
  /** Reads redis-server's CPU around the measured phase (in this thread): the result's generatorLoad.redisCpuShare. */
  readonly redisCpu?: RedisCpuReader;
}

export const WORKER_POOL_DEFAULTS = {
  startupTimeoutMs: 30_000,
  abortGraceMs: 2_000,
};

/**
 * The pool's own settings, checked and with every default filled in; the load is resolved apart
 * (resolveWorkerLoad).
 */
export interface ResolvedPoolOptions<Args> {
  readonly workers: number;
  readonly redisUrl: string;
  readonly factory: OperationFactoryRef<Args>;
  readonly client: WorkerClientOptions;
  readonly startupTimeoutMs: number;
  readonly abortGraceMs: number;
  /** Stays in this thread: never part of a worker's data. */
  readonly redisCpu?: RedisCpuReader;
}

/**
 * The pool's boundary: checks the thread count and the clients (ConfigError, nothing started) and
 * fills defaults once.
 */
export function resolvePoolOptions<Args>(options: Omit<PooledLoadOptions<Args>, 'load'>): ResolvedPoolOptions<Args> {
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
  return {
    ...withDefaults(WORKER_POOL_DEFAULTS, options),
    workers: count,
    redisUrl: options.redisUrl,
    factory: options.factory,
    client,
    redisCpu: options.redisCpu,
  };
}
