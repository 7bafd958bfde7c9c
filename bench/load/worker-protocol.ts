import type { Redis } from 'ioredis';
import type { RespConnection } from './resp-connection.ts';
import type { ClosedLoopOptions, ResolvedClosedLoopOptions } from './closed-loop-options.ts';
import type { LoadOperation } from './load-operation.ts';
import type { LoadResult } from './load-result.ts';
import type { OpenLoopOptions, ResolvedOpenLoopOptions } from './open-loop-options.ts';

/*
 * Plain data between the main thread and the load worker threads (structured clone): the
 * operation is described by a module and an export, never a closure, and histograms travel as
 * their counts, never as percentiles.
 */

/** Who a worker is; factories and per-worker args use it to pick seeds and keys. */
export interface WorkerIdentity {
  /** 0-based. */
  readonly workerIndex: number;
  readonly workerCount: number;
}

export interface OperationFactoryContext extends WorkerIdentity {
  /** How many clients the worker opened (connectionsPerWorker). */
  readonly connections: number;
}

/**
 * What a factory module exports: builds the worker's operation on the clients it opened, called
 * once per worker with its client, or the array of them when it has several connections (the
 * shape createCommandOperation(spec, client | clients) takes). It may keep state (a key chooser);
 * the worker closes the clients, not the factory.
 */
export type OperationFactory<Args> = (
  args: Args,
  clients: LoadClient | readonly LoadClient[],
  context: OperationFactoryContext,
) => LoadOperation | Promise<LoadOperation>;

/**
 * How a load worker talks to Redis: `ioredis`, the client the system under test uses, or `resp`,
 * the load generator's lean connection (bench/load/resp-connection.ts: a RESP loop over a socket,
 * as redis-benchmark is). Only the command operations (command-operation.ts) take `resp`.
 */
export const LOAD_DRIVERS = ['ioredis', 'resp'] as const;
export type LoadDriver = (typeof LOAD_DRIVERS)[number];
export type LoadClient = Redis | RespConnection;

/** The factory as data: `import(module)[exportName](args, client, context)` in the worker. */
export interface OperationFactoryRef<Args> {
  /** Absolute path or file: URL of an ES module; .ts works (the worker registers tsx). */
  readonly module: string | URL;
  readonly exportName: string;
  /** Structured-clonable; a function gives each worker its own (e.g. a seed per worker). */
  readonly args: Args | ((worker: WorkerIdentity) => Args);
}

/** The clients each worker opens to the target. */
export interface WorkerClientOptions {
  readonly connectionsPerWorker: number;
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** ioredis only. */
  readonly autoPipelining: boolean;
  readonly connectionName: string;
  readonly driver: LoadDriver;
  /** driver=resp: the commands a connection sends in one tick leave in one write (for pipeline depth > 1). */
  readonly batchWrites: boolean;
}

export const WORKER_CLIENT_DEFAULTS: WorkerClientOptions = {
  connectionsPerWorker: 1,
  // A measurement client: a slow reply is a latency to record, not a failure to hide.
  commandTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  autoPipelining: false,
  connectionName: 'rpb-load-worker',
  driver: 'ioredis',
  batchWrites: false,
};

/** A load as a scenario gives it: open or closed loop, options with defaults left out. */
export type WorkerLoad =
  | { readonly kind: 'open-loop'; readonly options: OpenLoopOptions }
  | { readonly kind: 'closed-loop'; readonly options: ClosedLoopOptions };

/** The same load with every default filled in (resolveWorkerLoad, at the boundary): what travels past it. */
export type ResolvedWorkerLoad =
  | { readonly kind: 'open-loop'; readonly options: ResolvedOpenLoopOptions }
  | { readonly kind: 'closed-loop'; readonly options: ResolvedClosedLoopOptions };

export interface WorkerData extends WorkerIdentity {
  readonly redisUrl: string;
  readonly client: WorkerClientOptions;
  readonly factory: { readonly module: string; readonly exportName: string; readonly args: unknown };
  /** This worker's share (rate, caps and in-flight bound already divided); warm-up is run apart. */
  readonly load: ResolvedWorkerLoad;
  readonly warmupDurationMs: number;
  readonly intervalMs: number;
}

export type MainMessage =
  /** Run the warm-up from this epoch time; its latencies are dropped. */
  | { readonly type: 'warmup'; readonly atEpochMs: number }
  /** Measure: recorders start at atEpochMs (the common interval grid), the first send waits offsetMs more. */
  | { readonly type: 'measure'; readonly atEpochMs: number; readonly offsetMs: number }
  | { readonly type: 'abort' };

/** One metric's counts over one interval, in the LatencyCounts index layout. */
export interface WireCounts {
  readonly name: string;
  readonly indexes: Uint16Array;
  readonly counts: Float64Array;
  readonly totalCount: number;
  readonly clamped: number;
  readonly invalid: number;
}

export interface WireInterval {
  readonly startMs: number;
  readonly endMs: number;
  readonly metrics: readonly WireCounts[];
}

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly hint: string | null;
  readonly stack: string | null;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'warmed' }
  | { readonly type: 'interval'; readonly interval: WireInterval }
  | { readonly type: 'done'; readonly result: LoadResult }
  | { readonly type: 'failed'; readonly error: WireError };
