import { ConfigError } from '../errors.ts';

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
}

export interface RawRunOptions {
  quick?: boolean;
  seed?: string;
  out?: string;
  redisUrl?: string;
  missExtraMs?: string;
  dataDir?: string;
}

export const DEFAULT_SEED = 42;

function timestampFolder(now: Date): string {
  return now.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
}

/** Validates every option at once; the ConfigError lists all problems with their fixes. */
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
  const redisUrl = raw.redisUrl ?? (env.REDIS_URL && env.REDIS_URL.trim() !== '' ? env.REDIS_URL : null);
  if (problems.length > 0) {
    throw new ConfigError(`invalid option${problems.length > 1 ? 's' : ''} for rpb run`, {
      problems,
      hint: 'run `rpb run --help` for the options and their formats',
    });
  }
  return {
    quick: raw.quick === true,
    seed,
    outDir: raw.out ?? `reports/${timestampFolder(now)}`,
    redisUrl,
    missExtraMs,
    dataDir: raw.dataDir ?? env.RPB_DATA_DIR ?? null,
  };
}
