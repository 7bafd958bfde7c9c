import { readdirSync, statSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import { parseRedisUrl } from '../targets/redis-url.ts';
import { parseAssignments } from './tunables.ts';

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
  return entries.length === 0 ? null : `--out ${outDir}: already holds ${entries.length} file(s); choose a new or empty folder (rpb never deletes files)`;
}

function timestampFolder(now: Date): string {
  return now.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
}

/**
 * Validates every option at once; the ConfigError lists all problems with their fixes. The one
 * place that reads REDIS_URL and RPB_DATA_DIR: an option given on the command line wins.
 */
export function resolveRunParams(raw: RawRunOptions, env: NodeJS.ProcessEnv, now = new Date()): RunParams {
  const problems: string[] = [];
  let seed = DEFAULT_SEED;
  if (raw.seed !== undefined) {
    if (!/^\d{1,9}$/.test(raw.seed)) problems.push(`--seed ${JSON.stringify(raw.seed)}: expected a non-negative integer below 1e9, e.g. --seed 42`);
    else seed = Number(raw.seed);
  }
  let missExtraMs = 0;
  if (raw.missExtraMs !== undefined) {
    const value = Number(raw.missExtraMs);
    if (!/^\d+(\.\d+)?$/.test(raw.missExtraMs) || !Number.isFinite(value) || value > 10_000) {
      problems.push(`--miss-extra-ms ${JSON.stringify(raw.missExtraMs)}: expected milliseconds between 0 and 10000, e.g. --miss-extra-ms 40`);
    } else missExtraMs = value;
  }
  let addedLatencyMs = 0;
  if (raw.addedLatencyMs !== undefined) {
    const value = Number(raw.addedLatencyMs);
    if (!/^\d+(\.\d+)?$/.test(raw.addedLatencyMs) || value > 10_000) {
      problems.push(`--added-latency-ms ${JSON.stringify(raw.addedLatencyMs)}: expected milliseconds between 0 and 10000, e.g. --added-latency-ms 1`);
    } else addedLatencyMs = value;
  }
  let overrides: Record<string, string> = {};
  try {
    overrides = parseAssignments(raw.set ?? [], '--set');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const nonEmpty = (value: string | undefined): string | null => (value !== undefined && value.trim() !== '' ? value : null);
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
  };
}
