import { readdirSync, statSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import { validateRedisUrl } from '../targets/redis-url.ts';
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
  /** `--shard k/N`: this machine runs 1/N of every open-loop rate and count cap (bench/load/shard.ts); null: all. */
  readonly shard: ShardSpec | null;
  /** `--workers W`: load worker threads on this machine (bench/load/worker-pool.ts). */
  readonly workers: number;
  /**
   * `--topology`: standalone, sentinel (1 master, 2 replicas, 3 sentinels) or cluster (3 masters + 3 replicas).
   * Absent on purpose when not given: each scenario then runs on its own default (the first of its topologies).
   */
  readonly topology?: TopologyKind;
  /** `--fault-cmd`: the user's own command that injects a chaos fault on a Redis rpb did not start. */
  readonly faultCmd?: string;
  /** `--target container`: Redis in a container started by testcontainers (needs Docker). Absent: managed process. */
  readonly target?: 'managed' | 'container';
  /**
   * RPB_COMPOSE_SERVICE: the compose service the Redis of REDIS_URL is (docker-compose.yml's bench runner
   * sets it), named in the report and in verdict conditions. Absent: not a compose run.
   */
  readonly composeService?: string;
  /**
   * `--thorough`: also measure with Redis's own default settings where the harness shortens them to
   * fit its budget (failover: cluster-node-timeout 15000 ms, down-after-milliseconds 30000 ms).
   */
  readonly thorough: boolean;
  /** `--confidence`: the coverage every claim's interval is computed at (default 0.95). */
  readonly confidence: number;
}

/** The run options that have a fixed default; outDir's (reports/<timestamp>) follows the clock. */
type DefaultedRunParams = Omit<RunParams, 'outDir' | 'topology' | 'faultCmd' | 'target' | 'composeService'>;

/** Every default of `rpb run`, declared once: resolveRunParams is `{ ...RUN_PARAM_DEFAULTS, ...given }`. */
export const RUN_PARAM_DEFAULTS: DefaultedRunParams = {
  quick: false,
  seed: 42,
  redisUrl: null,
  missExtraMs: 0,
  dataDir: null,
  overrides: {},
  addedLatencyMs: 0,
  shard: null,
  workers: 1,
  thorough: false,
  confidence: 0.95,
};

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
  thorough?: boolean;
  confidence?: string;
}

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

/** Runs one parser; its ConfigError becomes lines of the combined report (worded by `describe`); others propagate. */
function attempt<T>(problems: string[], parse: () => T, describe: (error: ConfigError) => string[]): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...describe(error));
    return undefined;
  }
}

const withHint = (error: ConfigError): string[] => [`${error.message}; ${error.hint ?? ''}`.trim()];

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

function parseSeed(text: string | undefined, problems: string[]): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d{1,9}$/.test(text)) return Number(text);
  problems.push(`--seed ${JSON.stringify(text)}: expected a non-negative integer below 1e9, e.g. --seed 42`);
  return undefined;
}

function parseMilliseconds(
  text: string | undefined,
  flag: string,
  example: string,
  problems: string[],
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (/^\d+(\.\d+)?$/.test(text) && value <= 10_000) return value;
  problems.push(`${flag} ${JSON.stringify(text)}: expected milliseconds between 0 and 10000, e.g. ${flag} ${example}`);
  return undefined;
}

function parseConfidence(text: string | undefined, problems: string[]): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (/^0?\.\d+$/.test(text) && value >= 0.5 && value <= 0.999) return value;
  problems.push(
    `--confidence ${JSON.stringify(text)}: expected a coverage between 0.5 and 0.999, e.g. --confidence 0.95`,
  );
  return undefined;
}

function parseTopology(text: string | undefined, problems: string[]): TopologyKind | undefined {
  if (text === undefined || (TOPOLOGY_KINDS as readonly string[]).includes(text)) return text as TopologyKind;
  problems.push(`--topology ${JSON.stringify(text)}: expected one of ${TOPOLOGY_KINDS.join(', ')}`);
  return undefined;
}

/** Checked here, before anything runs, so a malformed URL is exit 2 with nothing written. */
function checkedRedisUrl(url: string | undefined, problems: string[]): string | undefined {
  if (url !== undefined)
    attempt(
      problems,
      () => validateRedisUrl(url),
      (error) => [`--redis-url / REDIS_URL: ${error.message}; ${error.hint ?? ''}`.trim()],
    );
  return url;
}

/** Each option parsed alone, in the order its problems are listed; undefined: not given (or not valid). */
function parseGiven(raw: RawRunOptions, env: NodeJS.ProcessEnv, problems: string[]) {
  return {
    quick: raw.quick === true,
    thorough: raw.thorough === true ? true : undefined,
    confidence: parseConfidence(raw.confidence, problems),
    seed: parseSeed(raw.seed, problems),
    missExtraMs: parseMilliseconds(raw.missExtraMs, '--miss-extra-ms', '40', problems),
    addedLatencyMs: parseMilliseconds(raw.addedLatencyMs, '--added-latency-ms', '1', problems),
    overrides: attempt(
      problems,
      () => parseAssignments(raw.set ?? [], '--set'),
      (error) => [...error.problems],
    ),
    redisUrl: checkedRedisUrl(nonEmpty(raw.redisUrl) ?? nonEmpty(env.REDIS_URL), problems),
    dataDir: nonEmpty(raw.dataDir) ?? nonEmpty(env.RPB_DATA_DIR),
    shard: raw.shard === undefined ? undefined : attempt(problems, () => parseShard(raw.shard!, env), withHint),
    workers: raw.workers === undefined ? undefined : attempt(problems, () => parseWorkers(raw.workers!), withHint),
    topology: parseTopology(raw.topology, problems),
    faultCmd: raw.faultCmd,
    target: raw.target === 'container' ? ('container' as const) : undefined,
    composeService: nonEmpty(env.RPB_COMPOSE_SERVICE),
  };
}

function composeServiceHost(redisUrl: string | undefined): string | undefined {
  if (redisUrl === undefined) return undefined;
  try {
    return new URL(redisUrl).hostname;
  } catch {
    return undefined;
  }
}

/** Options that are each fine alone but cannot work together, and the --target and --fault-cmd values. */
function combinationProblems(raw: RawRunOptions, given: ReturnType<typeof parseGiven>): string[] {
  const problems: string[] = [];
  const topology = given.topology ?? 'standalone';
  const hasUrl = given.redisUrl !== undefined;
  // The proxy relays one address; cluster redirections and sentinel answers name the real ports.
  if (topology !== 'standalone' && (given.addedLatencyMs ?? 0) > 0)
    problems.push(
      `--added-latency-ms cannot be combined with --topology ${topology}: the fault proxy fronts one server only; drop one of them`,
    );
  if (topology === 'sentinel' && hasUrl)
    problems.push(
      '--topology sentinel cannot be combined with --redis-url / REDIS_URL: the harness starts its own sentinels; drop one of them (a cluster seed URL works with --topology cluster)',
    );
  if (raw.target !== undefined && raw.target !== 'managed' && raw.target !== 'container')
    problems.push(
      `--target ${JSON.stringify(raw.target)}: expected managed (a redis-server process, the default) or container (testcontainers, needs Docker)`,
    );
  if (raw.target === 'container' && hasUrl)
    problems.push(
      '--target container cannot be combined with --redis-url / REDIS_URL: the container is the target; drop one of them',
    );
  if (raw.target === 'container' && topology !== 'standalone')
    problems.push(
      `--target container cannot be combined with --topology ${topology}: the container target is one standalone server`,
    );
  if (given.composeService !== undefined && composeServiceHost(given.redisUrl) !== given.composeService)
    problems.push(
      `RPB_COMPOSE_SERVICE=${given.composeService} names the compose service of the Redis given by --redis-url / REDIS_URL, whose host must be that service name; ${given.redisUrl === undefined ? 'no URL was given' : `the URL's host is ${composeServiceHost(given.redisUrl)}`}: unset it outside docker-compose.yml's bench runner`,
    );
  if (raw.faultCmd !== undefined && raw.faultCmd.trim() === '')
    problems.push(
      '--fault-cmd is empty: give the command that injects the fault, e.g. --fault-cmd "docker kill redis", or drop the option',
    );
  return problems;
}

/** The given values only: an undefined one must not hide its default in `{ ...defaults, ...given }`. */
function definedOnly<T extends object>(values: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<{
    [K in keyof T]: Exclude<T[K], undefined>;
  }>;
}

/**
 * Validates every option at once; the ConfigError lists all problems with their fixes. The one
 * place that reads REDIS_URL and RPB_DATA_DIR: an option given on the command line wins.
 */
export function resolveRunParams(raw: RawRunOptions, env: NodeJS.ProcessEnv, now = new Date()): RunParams {
  const problems: string[] = [];
  const given = parseGiven(raw, env, problems);
  problems.push(...combinationProblems(raw, given));
  const outDir = raw.out ?? `reports/${timestampFolder(now)}`;
  const outProblem = outDirProblem(outDir);
  if (outProblem !== null) problems.push(outProblem);
  if (problems.length > 0) {
    throw new ConfigError(`invalid option${problems.length > 1 ? 's' : ''}`, {
      problems,
      hint: 'run `rpb run --help` (or `rpb validate --help`) for the options and their formats',
    });
  }
  return { ...RUN_PARAM_DEFAULTS, ...definedOnly(given), outDir };
}
