/** The comparison's runs: our closed loops, redis-benchmark sized to run as long, and the paired rounds of both. */
import { RecorderSet } from '../../bench/measure/recorder-set.ts';
import { runClosedLoop } from '../../bench/load/closed-loop.ts';
import { createCommandOperation } from '../../bench/load/command-operation.ts';
import type { CommandOperationSpec } from '../../bench/load/command-operation.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import type { GeneratorLoad } from '../../bench/measure/generator-load.ts';
import type { LoadClient, LoadDriver } from '../../bench/load/worker-protocol.ts';
import { runRedisBenchmark } from './redis-benchmark-runner.ts';
import type { RedisBenchmarkRow, RedisBenchmarkTarget } from './redis-benchmark-runner.ts';
import type { ComparisonRequest, DriverClients } from './comparison-request.ts';

const MIN_REQUESTS = 5_000;
const MAX_REQUESTS = 5_000_000;
const MIN_TIMEOUT_MS = 15_000;

/** One of our runs; its latencies are read later from the metric, over all rounds. */
export interface OursFigures {
  readonly rps: number;
  readonly failures: number;
  /** How busy the generator was in the run (undefined: not measured). */
  readonly generatorLoad?: GeneratorLoad;
}

/** One of our closed-loop runs: `workers` concurrent commands over `clients`, recorded into `metricName`. */
export interface OurRun {
  readonly driver: DriverClients;
  readonly label: string;
  readonly spec: CommandOperationSpec;
  readonly clients: readonly LoadClient[];
  readonly workers: number;
  readonly metricName: string;
  /** Through the request's runMaxThroughput when it has one (worker threads), else in this thread. */
  readonly pooled: boolean;
  /**
   * Whether a run in this thread gets the warm-up: the first round's does (code and connections
   * warm), later rounds' start warm. Pooled runs start fresh threads and always get it.
   */
  readonly warmup: boolean;
}

/** One redis-benchmark run but its -n: the command line and its -c, -P, -r and --threads. */
export interface TheirRun {
  readonly label: string;
  readonly command: readonly string[];
  readonly clients: number;
  readonly pipeline: number;
  readonly keyspace: number;
  readonly threads: number;
}

/** What `rounds` paired rounds gave: our figures per driver, redis-benchmark's rows, the per-round ratios. */
export interface PairedRounds {
  readonly ours: Map<LoadDriver, OursFigures[]>;
  readonly theirs: RedisBenchmarkRow[];
  readonly ratios: Map<LoadDriver, number[]>;
}

export function ratio(ours: number | null, theirs: number): number | null {
  return ours === null || !(theirs > 0) ? null : ours / theirs;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs both tools for the comparison. redis-benchmark is killed past its time bound; a failure of
 * redis-benchmark becomes a note in `notes` (shared with the caller, in the order things happened).
 */
export class ComparisonRounds {
  private readonly timeoutMs: number;

  constructor(
    private readonly request: ComparisonRequest,
    private readonly executable: string,
    private readonly target: RedisBenchmarkTarget,
    private readonly notes: string[],
  ) {
    this.timeoutMs = Math.max(MIN_TIMEOUT_MS, request.durationMs * 20);
  }

  /** Threads of our max-throughput runs, and so of redis-benchmark's (--threads). */
  get threads(): number {
    return this.request.runMaxThroughput !== undefined ? (this.request.maxThroughputThreads ?? 1) : 1;
  }

  private requestsFor(rps: number): number {
    return Math.min(MAX_REQUESTS, Math.max(MIN_REQUESTS, Math.round((rps * this.request.durationMs) / 1_000)));
  }

  /** Our closed loop, warm-up (when asked) in a throwaway recorder set, in this thread. */
  private async runHere(run: OurRun): Promise<LoadResult> {
    const { request } = this;
    const operation = createCommandOperation(run.spec, run.clients);
    if (run.warmup && request.warmupDurationMs > 0) {
      await runClosedLoop(
        { workers: run.workers, durationMs: request.warmupDurationMs, warmupDurationMs: 0, metricName: 'warmup' },
        operation,
        new RecorderSet(),
        request.signal,
      );
    }
    return runClosedLoop(
      { workers: run.workers, durationMs: request.durationMs, warmupDurationMs: 0, metricName: run.metricName },
      operation,
      request.recorders,
      request.signal,
      { redisCpu: request.redisCpu },
    );
  }

  /** Our closed loop, through `runMaxThroughput` when `pooled` and given, else here; latencies stay in the metric. */
  async ours(run: OurRun): Promise<OursFigures> {
    const { request } = this;
    const result =
      run.pooled && request.runMaxThroughput !== undefined
        ? await request.runMaxThroughput({
            driver: run.driver.driver,
            label: run.label,
            spec: run.spec,
            concurrency: run.workers,
            durationMs: request.durationMs,
            warmupDurationMs: request.warmupDurationMs,
            metricName: run.metricName,
          })
        : await this.runHere(run);
    return {
      rps: result.achievedRate,
      failures: result.errors + result.timeouts + result.abandoned,
      generatorLoad: result.generatorLoad,
    };
  }

  private async theirs(run: TheirRun, requests: number): Promise<RedisBenchmarkRow | null> {
    const { request } = this;
    request.progress(
      `redis-benchmark ${run.label}: -c ${run.clients} -P ${run.pipeline} -n ${requests}${run.threads > 1 ? ` --threads ${run.threads}` : ''}`,
    );
    try {
      return await runRedisBenchmark({
        executable: this.executable,
        target: this.target,
        clients: run.clients,
        pipeline: run.pipeline,
        requests,
        keyspace: run.keyspace,
        command: run.command,
        timeoutMs: this.timeoutMs,
        signal: request.signal,
        threads: run.threads,
      });
    } catch (error) {
      // An abort ends the comparison with what it has (the caller sees the signal); anything else is a note.
      if (request.signal.aborted) return null;
      this.notes.push(`redis-benchmark ${run.label} failed: ${describeError(error)}`);
      return null;
    }
  }

  /**
   * -n from the rate last seen (its own from an earlier round, else ours) makes its run about as
   * long as ours; when it finished in under half our duration, it runs again with -n from its own
   * rate, so both tools are measured for about as long (a very short run hides its tail).
   */
  async theirsSized(run: TheirRun, rps: number): Promise<RedisBenchmarkRow | null> {
    const { request } = this;
    const firstN = this.requestsFor(rps);
    const row = await this.theirs(run, firstN);
    if (
      row === null ||
      !(row.rps > 0) ||
      (firstN / row.rps) * 1_000 >= request.durationMs / 2 ||
      request.signal.aborted
    )
      return row;
    const sized = this.requestsFor(row.rps);
    return sized <= firstN ? row : ((await this.theirs(run, sized)) ?? row);
  }

  /**
   * `rounds` paired rounds of `runOursOnce` (ours, per driver) and `runTheirs`, back to back; null
   * figures where a run failed or was cut by an abort. The order alternates (ours first, then
   * redis-benchmark first, ...: ABBA), so a machine whose load drifts favours neither tool; a round
   * that runs redis-benchmark first sizes it from the round before.
   */
  async paired(
    runOursOnce: (driver: DriverClients, round: number) => Promise<OursFigures>,
    runTheirs: (rps: number) => Promise<RedisBenchmarkRow | null>,
  ): Promise<PairedRounds> {
    const { request } = this;
    const ours = new Map<LoadDriver, OursFigures[]>(request.drivers.map((d) => [d.driver, []]));
    const ratios = new Map<LoadDriver, number[]>(request.drivers.map((d) => [d.driver, []]));
    const rows: RedisBenchmarkRow[] = [];
    for (let round = 0; round < request.rounds && !request.signal.aborted; round++) {
      const thisRound = new Map<LoadDriver, OursFigures>();
      const last = rows.at(-1);
      let row: RedisBenchmarkRow | null = null;
      const theirsFirst = round % 2 === 1 && last !== undefined;
      if (theirsFirst) row = await runTheirs(last.rps);
      for (const [index, driver] of request.drivers.entries()) {
        if (request.signal.aborted) break;
        const figures = await runOursOnce(driver, round);
        if (request.signal.aborted) break;
        thisRound.set(driver.driver, figures);
        ours.get(driver.driver)?.push(figures);
        if (index === 0 && !theirsFirst) row = await runTheirs(last?.rps ?? figures.rps);
      }
      if (row !== null) rows.push(row);
      for (const [driver, figures] of thisRound) {
        const r = row === null ? null : ratio(figures.rps, row.rps);
        if (r !== null) ratios.get(driver)?.push(r);
      }
    }
    return { ours, theirs: rows, ratios };
  }
}
