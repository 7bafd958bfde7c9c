/** What the redis-benchmark comparison is asked to do, what it returns and the speed targets it reads. */
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import type { RedisCpuReader } from '../../bench/measure/generator-load-probe.ts';
import type { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { CommandOperationSpec } from '../../bench/load/command-operation.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import type { LoadClient, LoadDriver } from '../../bench/load/worker-protocol.ts';

/** One command compared: how we run it and the same command line for redis-benchmark. */
export interface ComparedCommand {
  /** GET, SET, MGET5: the label in value names. */
  readonly label: string;
  readonly spec: CommandOperationSpec;
}

/** One of our drivers and its connections in this thread (all of them: `connections`). */
export interface DriverClients {
  readonly driver: LoadDriver;
  readonly clients: readonly LoadClient[];
}

/**
 * The driver whose figures are the speed targets: the load generator's lean RESP loop, the same
 * kind of program as redis-benchmark. ioredis (the system's client) is measured beside it, so
 * the report shows what the client library costs.
 */
export const SPEED_TARGET_DRIVER: LoadDriver = 'resp';

export interface ComparisonRequest {
  readonly redisUrl: string;
  readonly targetKind: 'managed' | 'url';
  /** 'managed': only against a Redis this run started; 'always': a --redis-url target too; 'off'. */
  readonly mode: 'managed' | 'always' | 'off';
  readonly commands: readonly ComparedCommand[];
  /** Our drivers in the order they run; each holds the same number of connections. */
  readonly drivers: readonly DriverClients[];
  readonly pipelineDepth: number;
  readonly durationMs: number;
  readonly warmupDurationMs: number;
  /**
   * Paired rounds: in each, every driver runs and so does redis-benchmark, back to back; the
   * throughput ratio is the median of the rounds' ratios (a shared machine's noise moves single
   * runs by 10-20%).
   */
  readonly rounds: number;
  /**
   * Our closed-loop runs are recorded here (metrics `max.<driver>.<label>.c<C>-p<P>` and
   * `one-connection.<driver>.GET`).
   */
  readonly recorders: RecorderSet;
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Runs our max-throughput closed loop (warm-up unrecorded, then measured into `recorders` under
   * `metricName`), e.g. in worker threads; absent: in this thread over `clients`. The
   * one-connection run (one command at a time) always runs here.
   */
  readonly runMaxThroughput?: (run: MaxThroughputRun) => Promise<LoadResult>;
  /** The threads runMaxThroughput runs in; redis-benchmark's max-throughput runs get as many (--threads). */
  readonly maxThroughputThreads?: number;
  /** Reads redis-server's CPU around each of our runs in this thread (their generator load's Redis share). */
  readonly redisCpu?: RedisCpuReader;
}

/** One of our max-throughput runs, as the comparison asks for it. */
export interface MaxThroughputRun {
  readonly driver: LoadDriver;
  readonly label: string;
  readonly spec: CommandOperationSpec;
  /** Concurrent commands (connections x pipeline depth). */
  readonly concurrency: number;
  readonly durationMs: number;
  readonly warmupDurationMs: number;
  readonly metricName: string;
}

export interface ComparisonResult {
  readonly values: Record<string, ScenarioValue>;
  readonly notes: string[];
  readonly ran: boolean;
}

/** The speed targets against redis-benchmark, measured in the same run. */
export const SPEED_TARGETS = {
  /**
   * Our max throughput / redis-benchmark's for each command (GET, SET, MGET of mgetSize keys),
   * equal connections and pipeline depth: at least this.
   */
  throughputRatioMin: 1,
  /** Our GET p50 / redis-benchmark's on one connection: at most this. */
  oneConnectionP50RatioMax: 1.3,
} as const;
