import { readdirSync, statSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import { parseRedisUrl } from '../targets/redis-url.ts';
import { TOPOLOGY_KINDS } from '../../src/redis/topology-client.ts';
import type { TopologyKind } from '../../src/redis/topology-client.ts';
import { parseAssignments } from '../core/tunables.ts';
import { parseShard } from '../load/shard.ts';
import type { ShardSpec } from '../load/shard.ts';
import { parseWorkers } from '../load/load-input.ts';

/** Options of `rpb run`, resolved: code past this boundary never applies defaults again. */
export interface RunParams {
  /** Short durations and a small data set, for smoke runs and CI. */
  readonly quick: boolean;
  readonly seed: number;
  readonly outDir: string;
  /** Existing Redis to use instead of a managed one (may contain a password). */
  readonly redisUrl: string | null;
  /** Extra latency added to every Parquet read, to reproduce the document's 40 ms read. */
  readonly missExtraMs: number;
  /** Folder of the market data set; null = the default cache folder. */
  readonly dataDir: string | null;
  /** Scenario parameters as typed (`--set k=v`), checked against each scenario's tunables. */
  readonly overrides: Readonly<Record<string, string>>;
  /** Latency added to every Redis reply through the fault proxy (0: direct), e.g. the gate's canary. */
  readonly addedLatencyMs: number;
  /**
   * `--shard k/N`: this machine runs 1/N of every open-loop rate and count cap (bench/load/shard.ts).
   * Optional so hand-built params (tests) need not name it; resolveRunParams always sets it.
   */
  readonly shard?: ShardSpec | null;
  /** `--workers W`: load worker threads on this machine (bench/load/worker-pool.ts); 1 when absent. */
  readonly workers?: number;
  /** `--topology`: standalone (default), sentinel (1 master, 2 replicas, 3 sentinels) or cluster (3 masters + 3 replicas). Optional like shard. */
  readonly topology?: TopologyKind;
  /** `--fault-cmd`: the user's own command that injects a chaos fault on a Redis rpb did not start. Optional like shard. */
  readonly faultCmd?: string;
  /** `--target container`: Redis in a container started by testcontainers (needs a Docker engine). Absent: managed process. */
  readonly target?: 'managed' | 'container';
}

export interface RawRunOptions {
  quick?: boolean;
  seed?: string;
  out?: string;
  redisUrl?: string;
  missExtraMs?: string;
  dataDir?: string;
  set?: string[];
  addedLatencyMs?: string;
  shard?: string;
  workers?: string;
  topology?: string;
  faultCmd?: string;
  target?: string;
}

export const DEFAULT_SEED = 42;

/**
 * A report folder must be new or empty: rpb never deletes files, and old metric files mixed with a
 * new run's would be read as part of it.
 */
function outDirProblem(outDir: string): string | null {
  let entries: string[];
  try {
    if (!statSync(outDir).isDirectory()) return `--out ${outDir}: exists and is not a folder; choose a new folder`;
    entries = readdirSync(outDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    return `--out ${outDir}: cannot be used (${code ?? String(error)}); choose a writable folder`;
  }
  return entries.length === 0
    ? null
    : `--out ${outDir}: already holds ${entries.length} file(s); choose a new or empty folder (rpb never deletes files)`;
}

function timestampFolder(now: Date): string {
  return now
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Validates every option at once; the ConfigError lists all problems with their fixes. The one
 * place that reads REDIS_URL and RPB_DATA_DIR: an option given on the command line wins.
 */
export function resolveRunParams(raw: RawRunOptions, env: NodeJS.ProcessEnv, now = new Date()): RunParams {
  const problems: string[] = [];
  let seed = DEFAULT_SEED;
  if (raw.seed !== undefined) {
    if (!/^\d{1,9}$/.test(raw.seed))
      problems.push(`--seed ${JSON.stringify(raw.seed)}: expected a non-negative integer below 1e9, e.g. --seed 42`);
    else seed = Number(raw.seed);
  }
  let missExtraMs = 0;
  if (raw.missExtraMs !== undefined) {
    const value = Number(raw.missExtraMs);
    if (!/^\d+(\.\d+)?$/.test(raw.missExtraMs) || !Number.isFinite(value) || value > 10_000) {
      problems.push(
        `--miss-extra-ms ${JSON.stringify(raw.missExtraMs)}: expected milliseconds between 0 and 10000, e.g. --miss-extra-ms 40`,
      );
    } else missExtraMs = value;
  }
  let addedLatencyMs = 0;
  if (raw.addedLatencyMs !== undefined) {
    const value = Number(raw.addedLatencyMs);
    if (!/^\d+(\.\d+)?$/.test(raw.addedLatencyMs) || value > 10_000) {
      problems.push(
        `--added-latency-ms ${JSON.stringify(raw.addedLatencyMs)}: expected milliseconds between 0 and 10000, e.g. --added-latency-ms 1`,
      );
    } else addedLatencyMs = value;
  }
  let overrides: Record<string, string> = {};
  try {
    overrides = parseAssignments(raw.set ?? [], '--set');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const nonEmpty = (value: string | undefined): string | null =>
    value !== undefined && value.trim() !== '' ? value : null;
  const redisUrl = nonEmpty(raw.redisUrl) ?? nonEmpty(env.REDIS_URL);
  if (redisUrl !== null) {
    // Checked here, before anything runs, so a malformed URL is exit 2 with nothing written.
    try {
      parseRedisUrl(redisUrl);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(`--redis-url / REDIS_URL: ${error.message}; ${error.hint ?? ''}`.trim());
    }
  }
  let shard: ShardSpec | null = null;
  if (raw.shard !== undefined) {
    try {
      shard = parseShard(raw.shard, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(`${error.message}; ${error.hint ?? ''}`.trim());
    }
  }
  let workers = 1;
  if (raw.workers !== undefined) {
    try {
      workers = parseWorkers(raw.workers);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(`${error.message}; ${error.hint ?? ''}`.trim());
    }
  }
  let topology: TopologyKind = 'standalone';
  if (raw.topology !== undefined) {
    if (!(TOPOLOGY_KINDS as readonly string[]).includes(raw.topology))
      problems.push(`--topology ${JSON.stringify(raw.topology)}: expected one of ${TOPOLOGY_KINDS.join(', ')}`);
    else topology = raw.topology as TopologyKind;
  }
  // The proxy relays one address; cluster redirections and sentinel answers name the real ports.
  if (topology !== 'standalone' && addedLatencyMs > 0)
    problems.push(
      `--added-latency-ms cannot be combined with --topology ${topology}: the fault proxy fronts one server only; drop one of them`,
    );
  if (topology === 'sentinel' && redisUrl !== null)
    problems.push(
      '--topology sentinel cannot be combined with --redis-url / REDIS_URL: the harness starts its own sentinels; drop one of them (a cluster seed URL works with --topology cluster)',
    );
  if (raw.target !== undefined && raw.target !== 'managed' && raw.target !== 'container')
    problems.push(
      `--target ${JSON.stringify(raw.target)}: expected managed (a redis-server process, the default) or container (testcontainers, needs Docker)`,
    );
  if (raw.target === 'container' && redisUrl !== null)
    problems.push(
      '--target container cannot be combined with --redis-url / REDIS_URL: the container is the target; drop one of them',
    );
  if (raw.target === 'container' && topology !== 'standalone')
    problems.push(
      `--target container cannot be combined with --topology ${topology}: the container target is one standalone server`,
    );
  if (raw.faultCmd !== undefined && raw.faultCmd.trim() === '')
    problems.push(
      '--fault-cmd is empty: give the command that injects the fault, e.g. --fault-cmd "docker kill redis", or drop the option',
    );
  const outDir = raw.out ?? `reports/${timestampFolder(now)}`;
  const outProblem = outDirProblem(outDir);
  if (outProblem !== null) problems.push(outProblem);
  if (problems.length > 0) {
    throw new ConfigError(`invalid option${problems.length > 1 ? 's' : ''}`, {
      problems,
      hint: 'run `rpb run --help` (or `rpb validate --help`) for the options and their formats',
    });
  }
  return {
    quick: raw.quick === true,
    seed,
    outDir,
    redisUrl,
    missExtraMs,
    dataDir: nonEmpty(raw.dataDir) ?? nonEmpty(env.RPB_DATA_DIR),
    overrides,
    addedLatencyMs,
    shard,
    workers,
    // Absent when not given: each scenario then runs on its own default (the first of its topologies).
    ...(raw.topology === undefined ? {} : { topology }),
    ...(raw.faultCmd !== undefined ? { faultCmd: raw.faultCmd } : {}),
    ...(raw.target === 'container' ? { target: 'container' as const } : {}),
  };
}
