/** Our closed loops against redis-benchmark on the same server and keys, as the issue's speed targets ask. */
import { parseRedisUrl } from '../../src/redis/redis-url.ts';
import { redisBenchmarkKeyPattern } from '../../bench/load/command-operation.ts';
import type { CommandOperationSpec } from '../../bench/load/command-operation.ts';
import type { LoadDriver } from '../../bench/load/worker-protocol.ts';
import { findRedisBenchmark } from './redis-benchmark-runner.ts';
import type { RedisBenchmarkTarget } from './redis-benchmark-runner.ts';
import { maxThroughputFigures, oneConnectionFigures, speedTargetFigures } from './comparison-figures.ts';
import type { ComparisonOutput, ComparisonShape } from './comparison-figures.ts';
import { ComparisonRounds } from './comparison-rounds.ts';
import { SPEED_TARGET_DRIVER } from './comparison-request.ts';
import type { ComparedCommand, ComparisonRequest, ComparisonResult } from './comparison-request.ts';

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

/**
 * Why compareWithRedisBenchmark would not run (null: it would), so a caller opens connections for it
 * only when needed.
 */
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

function openingNotes(
  request: ComparisonRequest,
  executable: string,
  target: RedisBenchmarkTarget,
  connections: number,
): string[] {
  const depth = request.pipelineDepth;
  const driverNote: Record<LoadDriver, string> = {
    resp: "resp, the load generator's lean RESP loop, the same kind of program as redis-benchmark",
    ioredis: 'ioredis, the client the system under test uses',
  };
  const driverNames = request.drivers.map((d) => driverNote[d.driver]).join('; ');
  const notes: string[] = [
    `redis-benchmark (${executable}) ran against the same server and the same preloaded keys (-r ${request.commands[0]?.spec.keyCount}), -c ${connections} -P ${depth}, -n sized to run about as long as ours (${request.durationMs} ms); ours is a closed loop of ${connections * depth} concurrent commands over ${connections} connections (at most ${depth} pending per connection), once per driver (${driverNames}); redis-benchmark sends batches of ${depth} per connection; the two run back to back in ${request.rounds} paired round${request.rounds > 1 ? 's' : ''}, alternating which goes first. Ratios are ours / redis-benchmark's; the speed targets are read on driver ${SPEED_TARGET_DRIVER}`,
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
  return notes;
}

/** One command at the scenario's connections x pipeline depth: each driver, then redis-benchmark, per round. */
async function compareMaxThroughput(
  request: ComparisonRequest,
  runs: ComparisonRounds,
  command: ComparedCommand,
  shape: ComparisonShape,
  out: ComparisonOutput,
): Promise<void> {
  const { label, spec } = command;
  const { connections, depth } = shape;
  const metricOf = (driver: LoadDriver): string => `max.${driver}.${label}.c${connections}-p${depth}`;
  const rounds = await runs.paired(
    (driver, round) => {
      request.progress(
        `ours ${label} (${driver.driver}): closed loop, ${connections} connections x depth ${depth}, ${request.durationMs} ms`,
      );
      return runs.ours({
        driver,
        label,
        spec: { ...spec, stream: `compare-${label}` },
        clients: driver.clients,
        workers: connections * depth,
        metricName: metricOf(driver.driver),
        pooled: true,
        warmup: round === 0,
      });
    },
    (rps) =>
      runs.theirsSized(
        {
          label,
          command: redisBenchmarkCommand(spec),
          clients: connections,
          pipeline: depth,
          keyspace: spec.keyCount,
          threads: shape.threads,
        },
        rps,
      ),
  );
  maxThroughputFigures(out, request, label, metricOf, rounds, shape);
}

/** GET on one connection, one command at a time, in this thread: the p50 speed target. */
async function compareOneConnection(
  request: ComparisonRequest,
  runs: ComparisonRounds,
  get: ComparedCommand,
  shape: ComparisonShape,
  out: ComparisonOutput,
): Promise<void> {
  const metricOf = (driver: LoadDriver): string => `one-connection.${driver}.GET`;
  const rounds = await runs.paired(
    (driver, round) => {
      request.progress(`ours GET on one connection (${driver.driver}), one command at a time`);
      return runs.ours({
        driver,
        label: 'GET',
        spec: { ...get.spec, stream: 'compare-one-connection' },
        clients: driver.clients.slice(0, 1),
        workers: 1,
        metricName: metricOf(driver.driver),
        pooled: false,
        warmup: round === 0,
      });
    },
    (rps) =>
      runs.theirsSized(
        {
          label: 'GET on one connection',
          command: redisBenchmarkCommand(get.spec),
          clients: 1,
          pipeline: 1,
          keyspace: get.spec.keyCount,
          threads: 1,
        },
        rps,
      ),
  );
  oneConnectionFigures(out, request, metricOf, rounds, shape);
}

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
  const out: ComparisonOutput = { values: {}, notes: openingNotes(request, executable, target, connections) };
  const runs = new ComparisonRounds(request, executable, target, out.notes);
  const threads = runs.threads;
  const shape: ComparisonShape = {
    connections,
    depth,
    threads,
    where: `${connections} connections, pipeline depth ${depth}${threads > 1 ? `, ${threads} threads each` : ''}`,
    roundsText: request.rounds > 1 ? `median of ${request.rounds} paired rounds` : 'one round',
  };
  for (const command of request.commands) {
    if (request.signal.aborted) break;
    await compareMaxThroughput(request, runs, command, shape, out);
  }
  const get = request.commands.find((c) => c.spec.command === 'GET');
  if (get !== undefined && !request.signal.aborted) await compareOneConnection(request, runs, get, shape, out);
  speedTargetFigures(
    out,
    shape,
    request.commands.map((c) => ({ command: c.spec.command, label: c.label })),
  );
  return { ...out, ran: true };
}
