import { parseRedisUrl } from '../../src/redis/redis-url.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import type { ScenarioValue } from '../../bench/core/scenario.ts';
import { RecorderSet } from '../../bench/measure/recorder-set.ts';
import { runClosedLoop } from '../../bench/load/closed-loop.ts';
import { createCommandOperation, redisBenchmarkKeyPattern } from '../../bench/load/command-operation.ts';
import type { CommandOperationSpec } from '../../bench/load/command-operation.ts';
import { findRedisBenchmark, runRedisBenchmark } from './redis-benchmark-runner.ts';
import type { RedisBenchmarkRow, RedisBenchmarkTarget } from './redis-benchmark-runner.ts';
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
  /** Our closed-loop runs are recorded here (metrics `max.<driver>.<label>.c<C>-p<P>` and `one-connection.<driver>.GET`). */
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

/** The issue's speed targets against redis-benchmark, measured in the same run. */
export const SPEED_TARGETS = {
  /** Our max GET throughput / redis-benchmark's, equal connections and pipeline depth: at least this. */
  getThroughputRatioMin: 1,
  /** Our GET p50 / redis-benchmark's on one connection: at most this. */
  oneConnectionP50RatioMax: 1.3,
} as const;

const MIN_REQUESTS = 5_000;
const MAX_REQUESTS = 5_000_000;
const MIN_TIMEOUT_MS = 15_000;

type SkipInputs = Pick<ComparisonRequest, 'mode' | 'targetKind' | 'redisUrl'>;

/** Why redis-benchmark is not run here, or null when it may be. */
function skipReason(request: SkipInputs, executable: string | null): string | null {
  if (request.mode === 'off') return 'redis-benchmark comparison skipped: redisBenchmark=off';
  if (executable === null)
    return 'redis-benchmark comparison skipped: redis-benchmark is not on PATH (install redis-tools, or set RPB_REDIS_BENCHMARK to its path); our figures stand alone';
  if (request.targetKind === 'url' && request.mode !== 'always') {
    return "redis-benchmark comparison skipped: the target was given by --redis-url; add --set redisBenchmark=always to run it there too (its password, if any, is then passed in redis-benchmark's argv, visible in the process list while it runs)";
  }
  const endpoint = parseRedisUrl(request.redisUrl);
  if (endpoint.port === 6379)
    return "redis-benchmark comparison skipped: the target is on port 6379, the machine's shared Redis, which this harness never loads";
  if (endpoint.tls) return 'redis-benchmark comparison skipped: TLS targets are not supported by this comparison';
  return null;
}

/** Why compareWithRedisBenchmark would not run (null: it would), so a caller opens connections for it only when needed. */
export function comparisonSkipReason(request: SkipInputs & { readonly env?: NodeJS.ProcessEnv }): string | null {
  return skipReason(request, findRedisBenchmark(request.env));
}

function benchmarkTarget(redisUrl: string): RedisBenchmarkTarget {
  const endpoint = parseRedisUrl(redisUrl);
  return {
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    username: endpoint.username,
    password: endpoint.password,
  };
}

/**
 * The command line redis-benchmark runs for a spec, on the very keys we preloaded. SET writes a
 * printable value of the same length: redis-benchmark's argv and -x cannot carry the binary header
 * of the stored value (a NUL ends it), and Redis does the same work for any bytes of that length.
 */
export function redisBenchmarkCommand(spec: CommandOperationSpec): string[] {
  const key = redisBenchmarkKeyPattern(spec);
  switch (spec.command) {
    case 'GET':
      return ['GET', key];
    case 'MGET':
      return ['MGET', ...Array.from({ length: spec.mgetSize }, () => key)];
    case 'SET':
      return ['SET', key, 'x'.repeat(Buffer.from(spec.valueBase64, 'base64').length), 'EX', String(spec.ttlSeconds)];
  }
}

/** One of our runs; its latencies are read later from the metric, over all rounds. */
interface OursFigures {
  readonly rps: number;
  readonly failures: number;
}

/** Percentiles (ms) of everything a metric recorded, every round; null when it holds nothing. */
function recordedPercentilesMs(
  recorders: RecorderSet,
  metricName: string,
  percentiles: readonly number[],
): (number | null)[] {
  const total = recorders.metric(metricName).total();
  return percentiles.map((p) => (total.totalCount > 0 ? total.getValueAtPercentile(p) / 1e6 : null));
}

/** Our closed loop at `workers` concurrent commands over `clients`; warm-up in a throwaway recorder set. */
async function runHere(
  request: ComparisonRequest,
  spec: CommandOperationSpec,
  clients: readonly LoadClient[],
  workers: number,
  metricName: string,
): Promise<LoadResult> {
  const operation = createCommandOperation(spec, clients);
  if (request.warmupDurationMs > 0) {
    await runClosedLoop(
      { workers, durationMs: request.warmupDurationMs, warmupDurationMs: 0, metricName: 'warmup' },
      operation,
      new RecorderSet(),
      request.signal,
    );
  }
  return runClosedLoop(
    { workers, durationMs: request.durationMs, warmupDurationMs: 0, metricName },
    operation,
    request.recorders,
    request.signal,
  );
}

/** Our closed loop, through `runMaxThroughput` when `pooled` and given, else here; figures from the recorded histogram. */
async function runOurs(
  request: ComparisonRequest,
  driver: DriverClients,
  label: string,
  spec: CommandOperationSpec,
  clients: readonly LoadClient[],
  workers: number,
  metricName: string,
  pooled: boolean,
): Promise<OursFigures> {
  const result =
    pooled && request.runMaxThroughput !== undefined
      ? await request.runMaxThroughput({
          driver: driver.driver,
          label,
          spec,
          concurrency: workers,
          durationMs: request.durationMs,
          warmupDurationMs: request.warmupDurationMs,
          metricName,
        })
      : await runHere(request, spec, clients, workers, metricName);
  return { rps: result.achievedRate, failures: result.errors + result.timeouts + result.abandoned };
}

function ratio(ours: number | null, theirs: number): number | null {
  return ours === null || !(theirs > 0) ? null : ours / theirs;
}

const fmt = (value: number | null, digits = 3): string => (value === null ? 'n/a' : value.toFixed(digits));

/**
 * Runs, per command, our closed loop at the scenario's connections x pipeline depth with each of
 * our drivers, and redis-benchmark with the same -c and -P on the same server and keys (after the
 * first driver, sized from its rate), then all of them on one connection for GET's p50.
 * redis-benchmark is killed past its time bound. A failure of redis-benchmark is a note, not a
 * failure of the scenario; an abort stops the comparison.
 */
export async function compareWithRedisBenchmark(request: ComparisonRequest): Promise<ComparisonResult> {
  const executable = findRedisBenchmark(request.env);
  const reason = skipReason(request, executable);
  if (reason !== null || executable === null) return { values: {}, notes: [reason ?? ''], ran: false };
  const first = request.drivers[0];
  if (first === undefined) throw new Error('compareWithRedisBenchmark needs at least one driver');
  const target = benchmarkTarget(request.redisUrl);
  const connections = first.clients.length;
  const depth = request.pipelineDepth;
  const values: Record<string, ScenarioValue> = {};
  const driverNames = request.drivers.map((d) => d.driver).join(', ');
  const notes: string[] = [
    `redis-benchmark (${executable}) ran against the same server and the same preloaded keys (-r ${request.commands[0]?.spec.keyCount}), -c ${connections} -P ${depth}, -n sized to run about as long as ours (${request.durationMs} ms); ours is a closed loop of ${connections * depth} concurrent commands over ${connections} connections (at most ${depth} pending per connection), once per driver (${driverNames}: resp is the load generator's lean RESP loop, the same kind of program as redis-benchmark; ioredis is the client the system under test uses); redis-benchmark sends batches of ${depth} per connection. Ratios are ours / redis-benchmark's; the speed targets are read on driver ${SPEED_TARGET_DRIVER}`,
  ];
  if (depth > 1) {
    notes.push(
      `pipeline depth ${depth}: resp connections write a tick's commands at once (cork), as redis-benchmark writes -P commands together; the one-connection GET run on the same connection pays that tick too, which can only raise our p50 there`,
    );
  }
  if (target.password !== undefined && target.password !== '') {
    notes.push(
      "the target's password was passed to redis-benchmark with -a (redis-benchmark reads it from no environment variable): visible in this machine's process list while it ran; it is never printed",
    );
  }
  const timeoutMs = Math.max(MIN_TIMEOUT_MS, request.durationMs * 20);
  const requestsFor = (rps: number): number =>
    Math.min(MAX_REQUESTS, Math.max(MIN_REQUESTS, Math.round((rps * request.durationMs) / 1_000)));
  const threads = request.runMaxThroughput !== undefined ? (request.maxThroughputThreads ?? 1) : 1;
  const theirs = async (
    label: string,
    command: readonly string[],
    clients: number,
    pipeline: number,
    requests: number,
    keyspace: number,
    runThreads: number,
  ): Promise<RedisBenchmarkRow | null> => {
    request.progress(
      `redis-benchmark ${label}: -c ${clients} -P ${pipeline} -n ${requests}${runThreads > 1 ? ` --threads ${runThreads}` : ''}`,
    );
    try {
      return await runRedisBenchmark({
        executable,
        target,
        clients,
        pipeline,
        requests,
        keyspace,
        command,
        timeoutMs,
        signal: request.signal,
        threads: runThreads,
      });
    } catch (error) {
      // An abort ends the comparison with what it has (the caller sees the signal); anything else is a note.
      if (request.signal.aborted) return null;
      notes.push(`redis-benchmark ${label} failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  };
  /**
   * -n from the rate last seen (its own from an earlier round, else ours) makes its run about as
   * long as ours; when it finished in under half our duration, it runs again with -n from its own
   * rate, so both tools are measured for about as long (a very short run hides its tail).
   */
  const theirsSized = async (
    label: string,
    command: readonly string[],
    clients: number,
    pipeline: number,
    rps: number,
    keyspace: number,
    runThreads: number,
  ): Promise<RedisBenchmarkRow | null> => {
    const firstN = requestsFor(rps);
    const row = await theirs(label, command, clients, pipeline, firstN, keyspace, runThreads);
    if (
      row === null ||
      !(row.rps > 0) ||
      (firstN / row.rps) * 1_000 >= request.durationMs / 2 ||
      request.signal.aborted
    )
      return row;
    const sized = requestsFor(row.rps);
    return sized <= firstN
      ? row
      : ((await theirs(label, command, clients, pipeline, sized, keyspace, runThreads)) ?? row);
  };
  const figure = (name: string, value: number | null, unit: string, description: string): void => {
    values[name] = { value: value !== null && Number.isFinite(value) ? value : null, unit, description };
  };
  const roundsText = request.rounds > 1 ? `median of ${request.rounds} paired rounds` : 'one round';
  /**
   * `rounds` paired rounds of `run` (ours, per driver) and `runTheirs`, back to back; null figures
   * where a run failed or was cut by an abort.
   */
  const pairedRounds = async (
    runOursOnce: (driver: DriverClients) => Promise<OursFigures>,
    runTheirs: (rps: number) => Promise<RedisBenchmarkRow | null>,
  ): Promise<{
    ours: Map<LoadDriver, OursFigures[]>;
    theirs: RedisBenchmarkRow[];
    ratios: Map<LoadDriver, number[]>;
  }> => {
    const ours = new Map<LoadDriver, OursFigures[]>(request.drivers.map((d) => [d.driver, []]));
    const ratios = new Map<LoadDriver, number[]>(request.drivers.map((d) => [d.driver, []]));
    const rows: RedisBenchmarkRow[] = [];
    for (let round = 0; round < request.rounds && !request.signal.aborted; round++) {
      const thisRound = new Map<LoadDriver, OursFigures>();
      let row: RedisBenchmarkRow | null = null;
      for (const [index, driver] of request.drivers.entries()) {
        if (request.signal.aborted) break;
        const figures = await runOursOnce(driver);
        if (request.signal.aborted) break;
        thisRound.set(driver.driver, figures);
        ours.get(driver.driver)?.push(figures);
        if (index === 0) {
          row = await runTheirs(rows.at(-1)?.rps ?? figures.rps);
          if (row !== null) rows.push(row);
        }
      }
      for (const [driver, figures] of thisRound) {
        const r = row === null ? null : ratio(figures.rps, row.rps);
        if (r !== null) ratios.get(driver)?.push(r);
      }
    }
    return { ours, theirs: rows, ratios };
  };
  const medianOrNull = (xs: readonly number[]): number | null => (xs.length === 0 ? null : medianOf(xs));
  const where = `${connections} connections, pipeline depth ${depth}${threads > 1 ? `, ${threads} threads each` : ''}`;
  for (const { label, spec } of request.commands) {
    if (request.signal.aborted) break;
    const metricOf = (driver: LoadDriver): string => `max.${driver}.${label}.c${connections}-p${depth}`;
    const {
      ours,
      theirs: rows,
      ratios,
    } = await pairedRounds(
      (driver) => {
        request.progress(
          `ours ${label} (${driver.driver}): closed loop, ${connections} connections x depth ${depth}, ${request.durationMs} ms`,
        );
        return runOurs(
          request,
          driver,
          label,
          { ...spec, stream: `compare-${label}` },
          driver.clients,
          connections * depth,
          metricOf(driver.driver),
          true,
        );
      },
      (rps) => theirsSized(label, redisBenchmarkCommand(spec), connections, depth, rps, spec.keyCount, threads),
    );
    const theirRps = medianOrNull(rows.map((r) => r.rps));
    const theirP50 = medianOrNull(rows.map((r) => r.p50Ms));
    const theirP99 = medianOrNull(rows.map((r) => r.p99Ms));
    if (rows.length > 0) {
      figure(
        `redis-benchmark.${label}.ops-per-second`,
        theirRps,
        'ops/s',
        `redis-benchmark's throughput of ${label}, ${where}, ${roundsText}`,
      );
      figure(
        `redis-benchmark.${label}.p50-ms`,
        theirP50,
        'ms',
        `redis-benchmark's ${label} p50 (its own histogram), ${roundsText}`,
      );
      figure(
        `redis-benchmark.${label}.p99-ms`,
        theirP99,
        'ms',
        `redis-benchmark's ${label} p99 (its own histogram), ${roundsText}`,
      );
    }
    for (const { driver } of request.drivers) {
      const runs = ours.get(driver) ?? [];
      if (runs.length === 0) continue;
      const [p50, p99] = recordedPercentilesMs(request.recorders, metricOf(driver), [50, 99]);
      const rps = medianOrNull(runs.map((r) => r.rps));
      const failures = runs.reduce((sum, r) => sum + r.failures, 0);
      figure(
        `ours.${driver}.${label}.max-ops-per-second`,
        rps,
        'ops/s',
        `our closed-loop throughput of ${label} with driver ${driver}, ${where}, ${roundsText}`,
      );
      figure(
        `ours.${driver}.${label}.p50-ms`,
        p50,
        'ms',
        `our ${label} p50 with driver ${driver} over all rounds (closed loop: from the actual send)`,
      );
      figure(
        `ours.${driver}.${label}.p99-ms`,
        p99,
        'ms',
        `our ${label} p99 with driver ${driver} over all rounds (closed loop: from the actual send)`,
      );
      if (failures > 0) notes.push(`ours ${label} (${driver}): ${failures} commands failed in the max-throughput runs`);
      const paired = ratios.get(driver) ?? [];
      if (paired.length === 0 || theirP50 === null || theirP99 === null) continue;
      const throughputRatio = medianOf(paired);
      figure(
        `ratio.${driver}.${label}.throughput`,
        throughputRatio,
        'x',
        `our ${label} throughput with driver ${driver} / redis-benchmark's, ${where}: ${request.rounds > 1 ? `median of the ${paired.length} rounds' ratios` : 'one round'} (>= 1: we keep up)`,
      );
      figure(
        `ratio.${driver}.${label}.p50`,
        ratio(p50, theirP50),
        'x',
        `our ${label} p50 with driver ${driver} (all rounds) / redis-benchmark's (median of rounds) (<= 1: we are as fast)`,
      );
      figure(
        `ratio.${driver}.${label}.p99`,
        ratio(p99, theirP99),
        'x',
        `our ${label} p99 with driver ${driver} (all rounds) / redis-benchmark's (median of rounds)`,
      );
      notes.push(
        `${label}, ${where}, driver ${driver}: ours ${fmt(rps, 0)} ops/s (p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms); redis-benchmark ${fmt(theirRps, 0)} ops/s (p50 ${fmt(theirP50)} ms, p99 ${fmt(theirP99)} ms); throughput ratio ${fmt(throughputRatio, 2)}x` +
          (paired.length > 1 ? ` (rounds: ${paired.map((r) => r.toFixed(2)).join(', ')})` : ''),
      );
    }
  }
  const get = request.commands.find((c) => c.spec.command === 'GET');
  if (get !== undefined && !request.signal.aborted) {
    const metricOf = (driver: LoadDriver): string => `one-connection.${driver}.GET`;
    const { ours, theirs: rows } = await pairedRounds(
      (driver) => {
        request.progress(`ours GET on one connection (${driver.driver}), one command at a time`);
        return runOurs(
          request,
          driver,
          'GET',
          { ...get.spec, stream: 'compare-one-connection' },
          driver.clients.slice(0, 1),
          1,
          metricOf(driver.driver),
          false,
        );
      },
      (rps) => theirsSized('GET on one connection', redisBenchmarkCommand(get.spec), 1, 1, rps, get.spec.keyCount, 1),
    );
    const theirP50 = medianOrNull(rows.map((r) => r.p50Ms));
    if (theirP50 !== null)
      figure(
        'redis-benchmark.one-connection.GET.p50-ms',
        theirP50,
        'ms',
        `redis-benchmark's GET p50 with -c 1 -P 1, ${roundsText}`,
      );
    for (const { driver } of request.drivers) {
      if ((ours.get(driver) ?? []).length === 0) continue;
      const [p50] = recordedPercentilesMs(request.recorders, metricOf(driver), [50]);
      figure(
        `ours.${driver}.one-connection.GET.p50-ms`,
        p50,
        'ms',
        `our GET p50 with driver ${driver}, one connection, one command at a time (closed loop, all rounds)`,
      );
      if (theirP50 === null) continue;
      figure(
        `ratio.${driver}.one-connection.GET.p50`,
        ratio(p50, theirP50),
        'x',
        `our GET p50 with driver ${driver} / redis-benchmark's on one connection`,
      );
      notes.push(
        `GET on one connection, driver ${driver}: ours p50 ${fmt(p50)} ms at ${fmt(medianOrNull((ours.get(driver) ?? []).map((r) => r.rps)), 0)} ops/s; redis-benchmark p50 ${fmt(theirP50)} ms at ${fmt(medianOrNull(rows.map((r) => r.rps)), 0)} ops/s (it prints 3 decimals: 1 µs resolution)`,
      );
    }
  }
  const throughputRatio = values[`ratio.${SPEED_TARGET_DRIVER}.GET.throughput`]?.value ?? null;
  const p50Ratio = values[`ratio.${SPEED_TARGET_DRIVER}.one-connection.GET.p50`]?.value ?? null;
  figure(
    'speed-target.get-throughput-ratio',
    throughputRatio,
    'x',
    `speed target: our max GET throughput (driver ${SPEED_TARGET_DRIVER}) / redis-benchmark's at ${where}, same run, ${roundsText}; target >= ${SPEED_TARGETS.getThroughputRatioMin}`,
  );
  figure(
    'speed-target.one-connection-p50-ratio',
    p50Ratio,
    'x',
    `speed target: our GET p50 (driver ${SPEED_TARGET_DRIVER}) / redis-benchmark's on one connection, same run; target <= ${SPEED_TARGETS.oneConnectionP50RatioMax}`,
  );
  const verdict = (value: number | null, met: (v: number) => boolean): string =>
    value === null ? 'not measured' : met(value) ? 'met' : 'MISSED';
  notes.push(
    `speed targets (driver ${SPEED_TARGET_DRIVER}, ${threads > 1 ? `${threads} threads, redis-benchmark --threads ${threads}` : 'one thread, as redis-benchmark'}, same run, machine load affects both tools): GET throughput ratio ${fmt(throughputRatio, 2)}x (target >= ${SPEED_TARGETS.getThroughputRatioMin}): ${verdict(throughputRatio, (v) => v >= SPEED_TARGETS.getThroughputRatioMin)}; one-connection GET p50 ratio ${fmt(p50Ratio, 2)}x (target <= ${SPEED_TARGETS.oneConnectionP50RatioMax}): ${verdict(p50Ratio, (v) => v <= SPEED_TARGETS.oneConnectionP50RatioMax)}`,
  );
  return { values, notes, ran: true };
}
