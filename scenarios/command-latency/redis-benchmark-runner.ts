import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ConfigError, InfraError } from '../../bench/errors.ts';
import { registerChildPid, unregisterChildPid } from '../../bench/core/cleanup-registry.ts';

/** One row of `redis-benchmark --csv` (Redis 7 columns); latencies in ms as it prints them. */
export interface RedisBenchmarkRow {
  readonly test: string;
  readonly rps: number;
  readonly avgMs: number;
  readonly minMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const CSV_COLUMNS = [
  'test',
  'rps',
  'avg_latency_ms',
  'min_latency_ms',
  'p50_latency_ms',
  'p95_latency_ms',
  'p99_latency_ms',
  'max_latency_ms',
] as const;

/** Splits one CSV line of double-quoted fields ("" is an escaped quote). */
function csvFields(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '"') return null;
    let value = '';
    i += 1;
    for (;;) {
      if (i >= line.length) return null;
      if (line[i] === '"') {
        if (line[i + 1] === '"') {
          value += '"';
          i += 2;
          continue;
        }
        i += 1;
        break;
      }
      value += line[i];
      i += 1;
    }
    fields.push(value);
    if (i < line.length) {
      if (line[i] !== ',') return null;
      i += 1;
    }
  }
  return fields;
}

/**
 * Reads redis-benchmark 7's `--csv` output: a header line (repeated before each custom command)
 * and one row per test. Throws when the output holds no row or a row cannot be read, naming it.
 */
export function parseRedisBenchmarkCsv(text: string): RedisBenchmarkRow[] {
  const rows: RedisBenchmarkRow[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const fields = csvFields(line);
    if (fields === null || fields.length !== CSV_COLUMNS.length)
      throw new Error(`unexpected redis-benchmark CSV line: ${JSON.stringify(line.slice(0, 200))}`);
    if (fields[0] === 'test') {
      if (fields.join(',') !== CSV_COLUMNS.join(',')) throw new Error(`unexpected redis-benchmark CSV header: ${line}`);
      continue;
    }
    const numbers = fields.slice(1).map(Number);
    if (numbers.some((n) => !Number.isFinite(n) || n < 0))
      throw new Error(`redis-benchmark CSV row with a non-numeric figure: ${JSON.stringify(line.slice(0, 200))}`);
    const [rps, avgMs, minMs, p50Ms, p95Ms, p99Ms, maxMs] = numbers;
    rows.push({ test: fields[0], rps, avgMs, minMs, p50Ms, p95Ms, p99Ms, maxMs });
  }
  if (rows.length === 0) throw new Error('redis-benchmark printed no result row');
  return rows;
}

/** The redis-benchmark executable: RPB_REDIS_BENCHMARK, else the first `redis-benchmark` on PATH; null when absent. */
export function findRedisBenchmark(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates =
    env.RPB_REDIS_BENCHMARK !== undefined && env.RPB_REDIS_BENCHMARK !== ''
      ? [env.RPB_REDIS_BENCHMARK]
      : (env.PATH ?? '')
          .split(path.delimiter)
          .filter((dir) => dir !== '')
          .map((dir) => path.join(dir, 'redis-benchmark'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Where redis-benchmark connects; the password travels in its argv (it reads no environment variable for it). */
export interface RedisBenchmarkTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
}

export interface RedisBenchmarkRequest {
  readonly executable: string;
  readonly target: RedisBenchmarkTarget;
  /** -c: parallel connections. */
  readonly clients: number;
  /** -P: requests pipelined per connection. */
  readonly pipeline: number;
  /** --threads (redis-benchmark 6+): absent or 1, its default single thread. */
  readonly threads?: number;
  /** -n: total requests (the run's count bound). */
  readonly requests: number;
  /** -r: `__rand_int__` expands to 12 digits in [0, keyspace). */
  readonly keyspace: number;
  /** The command line to benchmark, e.g. ['GET', 'k:__rand_int__']. */
  readonly command: readonly string[];
  /** The run's time bound: the child is killed after it. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** The shared Redis of the machine: redis-benchmark's default port, never a target here. */
const FORBIDDEN_PORT = 6379;
const STDERR_LIMIT = 4_000;

/** The argv (password included: never print it). */
export function redisBenchmarkArgs(request: RedisBenchmarkRequest): string[] {
  const { target } = request;
  const args = [
    '-h',
    target.host,
    '-p',
    String(target.port),
    '-c',
    String(request.clients),
    '-P',
    String(request.pipeline),
    '-n',
    String(request.requests),
    '-r',
    String(request.keyspace),
    '--csv',
  ];
  if (request.threads !== undefined && request.threads > 1) args.push('--threads', String(request.threads));
  if (target.db !== 0) args.push('--dbnum', String(target.db));
  if (target.password !== undefined && target.password !== '') {
    if (target.username !== undefined && target.username !== '' && target.username !== 'default')
      args.push('--user', target.username);
    args.push('-a', target.password);
  }
  return [...args, ...request.command];
}

function requestProblems(request: RedisBenchmarkRequest): string[] {
  const problems: string[] = [];
  if (request.target.port === FORBIDDEN_PORT)
    problems.push(
      `port ${FORBIDDEN_PORT} is the machine's shared Redis; redis-benchmark is only run against a Redis on another port`,
    );
  const positiveInt = (name: string, value: number): void => {
    if (!Number.isSafeInteger(value) || value < 1) problems.push(`${name} must be a positive integer, got ${value}`);
  };
  positiveInt('clients', request.clients);
  positiveInt('pipeline', request.pipeline);
  if (request.threads !== undefined) positiveInt('threads', request.threads);
  positiveInt('requests', request.requests);
  positiveInt('keyspace', request.keyspace);
  if (!(request.timeoutMs > 0)) problems.push(`timeoutMs must be positive, got ${request.timeoutMs}`);
  if (request.command.length === 0) problems.push('command must not be empty');
  return problems;
}

/** Removes the password from text the child printed, in case it ever echoes it. */
function redact(text: string, password: string | undefined): string {
  return password === undefined || password === '' ? text : text.split(password).join('***');
}

/**
 * Runs redis-benchmark once, bounded by -n and by timeoutMs, and returns its CSV row. The child is
 * registered with the cleanup registry (killed if the harness exits) and killed on abort or
 * timeout: redis-benchmark spins forever when it cannot connect. Rejects with InfraError when it
 * fails, times out or prints nothing readable (its stderr, password removed, in the message), and
 * with an AbortError when the signal aborts.
 */
export function runRedisBenchmark(request: RedisBenchmarkRequest): Promise<RedisBenchmarkRow> {
  const problems = requestProblems(request);
  if (problems.length > 0)
    return Promise.reject(new ConfigError(`invalid redis-benchmark run: ${problems.join('; ')}`, { problems }));
  if (request.signal?.aborted === true)
    return Promise.reject(new DOMException('redis-benchmark run aborted', 'AbortError'));
  const password = request.target.password;
  return new Promise<RedisBenchmarkRow>((resolve, reject) => {
    const child = spawn(request.executable, redisBenchmarkArgs(request), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ending: 'timeout' | 'abort' | null = null;
    const pid = child.pid;
    if (pid !== undefined) registerChildPid(pid, () => child.kill('SIGKILL'));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk;
    });
    const stop = (why: 'timeout' | 'abort'): void => {
      ending ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop('timeout'), request.timeoutMs);
    const onAbort = (): void => stop('abort');
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) unregisterChildPid(pid);
    };
    child.on('error', (error) => {
      finish();
      reject(
        new InfraError(`could not start ${request.executable}: ${error.message}`, {
          hint: 'check that redis-benchmark is installed and executable, or set RPB_REDIS_BENCHMARK',
        }),
      );
    });
    child.on('close', (code, signal) => {
      finish();
      const shownErr = redact(stderr, password).trim().replace(/\s+/g, ' ').slice(0, 500);
      if (ending === 'abort') return reject(new DOMException('redis-benchmark run aborted', 'AbortError'));
      if (ending === 'timeout') {
        return reject(
          new InfraError(
            `redis-benchmark did not finish ${request.requests} requests within ${request.timeoutMs} ms and was killed${shownErr === '' ? '' : ` (stderr: ${shownErr})`}`,
            { hint: 'it spins when it cannot connect; check the target, or lower the request count' },
          ),
        );
      }
      if (code !== 0) {
        return reject(
          new InfraError(`redis-benchmark exited with ${code ?? signal}${shownErr === '' ? '' : `: ${shownErr}`}`, {
            hint: 'check that the target accepts the command and the credentials',
          }),
        );
      }
      try {
        const rows = parseRedisBenchmarkCsv(stdout);
        resolve(rows[rows.length - 1]);
      } catch (error) {
        reject(
          new InfraError(`redis-benchmark output could not be read: ${(error as Error).message}`, {
            hint: 'redis-benchmark 7 or newer prints the expected --csv columns',
          }),
        );
      }
    });
  });
}
