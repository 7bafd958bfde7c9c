import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  DATASET_FORMAT_VERSION,
  manifestFilesPresent,
  manifestMatches,
  readManifest,
  removeManifest,
  writeManifest,
} from './dataset-manifest.ts';
import type { DatasetParams } from './dataset-manifest.ts';
import { ParquetStore } from './parquet-store.ts';
import { defaultSymbols, isValidSymbol, SYMBOL_PATTERN } from './symbols.ts';
import { generateOhlcv } from './synthetic-ohlcv.ts';
import { isIsoDate, tradingDaysBetween, tradingDaysEndingAt } from './trading-calendar.ts';

export type { DatasetParams } from './dataset-manifest.ts';

export interface EnsureDatasetOptions extends DatasetParams {
  readonly dir: string;
  /** Regenerate even when a matching dataset exists. */
  readonly force?: boolean;
  /** Symbols generated and written at the same time. */
  readonly concurrency?: number;
}

export const DEFAULT_GENERATION_CONCURRENCY = 4;

export interface DatasetInfo extends DatasetParams {
  readonly dir: string;
  readonly tradingDays: number;
  /** False when an existing, matching dataset was reused. */
  readonly generated: boolean;
  /** Sum of the data files' sizes. */
  readonly bytesOnDisk: number;
}

/**
 * 500 symbols x 3 calendar years (775 trading days with the simplified calendar), fixed end date so
 * results are reproducible.
 */
export const DEFAULT_DATASET: DatasetParams = {
  symbols: defaultSymbols(500),
  startDate: '2023-01-01',
  endDate: '2025-12-31',
  seed: 42,
};

/** Environment variable that overrides defaultDatasetDir, e.g. RPB_DATA_DIR=/mnt/fast/market. */
export const DATASET_DIR_ENV = 'RPB_DATA_DIR';

/**
 * `$RPB_DATA_DIR` if set, else `<repoRoot>/node_modules/.cache/redis-patterns-bench/market-<hash>`:
 * inside the project, ignored by git, reused across runs, and keyed by the parameters so that two
 * datasets never share a directory.
 */
export function defaultDatasetDir(
  repoRoot: string,
  params: DatasetParams = DEFAULT_DATASET,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const override = env[DATASET_DIR_ENV];
  if (override !== undefined && override.trim() !== '') return path.resolve(override);
  return path.join(repoRoot, 'node_modules', '.cache', 'redis-patterns-bench', `market-${datasetParamsHash(params)}`);
}

/** 12 hex digits of SHA-256 over the parameters and the format version. */
export function datasetParamsHash(params: DatasetParams): string {
  const canonical = JSON.stringify([
    DATASET_FORMAT_VERSION,
    params.seed,
    params.startDate,
    params.endDate,
    params.symbols,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

/** Bad dataset options; `problems` lists every one, each naming the option and what it accepts. */
export class DatasetOptionsError extends RangeError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid dataset options:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'DatasetOptionsError';
    this.problems = problems;
  }
}

/** Reuses `<dir>` when its manifest matches and all files are intact; otherwise (re)generates every file. */
export async function ensureDataset(options: EnsureDatasetOptions): Promise<DatasetInfo> {
  const problems = datasetParamsProblems(options);
  if (typeof options.dir !== 'string' || options.dir.trim() === '') problems.push('dir must be a non-empty path');
  const concurrency = options.concurrency ?? DEFAULT_GENERATION_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    problems.push(`concurrency must be a positive integer, got ${concurrency}`);
  if (problems.length > 0) throw new DatasetOptionsError(problems);

  const params: DatasetParams = {
    symbols: [...options.symbols],
    startDate: options.startDate,
    endDate: options.endDate,
    seed: options.seed,
  };
  const store = new ParquetStore(options.dir);
  const dates = tradingDaysBetween(params.startDate, params.endDate);

  const existing = options.force === true ? undefined : await readManifest(store.dir);
  if (
    existing !== undefined &&
    manifestMatches(existing, params) &&
    (await manifestFilesPresent(existing, (s) => store.filePath(s)))
  ) {
    const bytesOnDisk = existing.symbols.reduce((sum, symbol) => sum + existing.fileBytes[symbol], 0);
    return { ...params, dir: store.dir, tradingDays: existing.tradingDays, generated: false, bytesOnDisk };
  }

  await mkdir(store.dir, { recursive: true });
  await removeManifest(store.dir);
  const fileBytes: Record<string, number> = {};
  await forEachLimited(params.symbols, concurrency, async (symbol) => {
    await store.writeSeries(generateOhlcv({ symbol, dates, seed: params.seed }));
    fileBytes[symbol] = (await stat(store.filePath(symbol))).size;
  });
  await writeManifest(store.dir, {
    ...params,
    formatVersion: DATASET_FORMAT_VERSION,
    tradingDays: dates.length,
    fileBytes,
  });
  const bytesOnDisk = Object.values(fileBytes).reduce((sum, bytes) => sum + bytes, 0);
  return { ...params, dir: store.dir, tradingDays: dates.length, generated: true, bytesOnDisk };
}

export interface GenerateDatasetOptions {
  readonly dir: string;
  readonly symbolCount: number;
  /** Trading days per symbol, ending at endDate. */
  readonly days: number;
  readonly seed: number;
  /** ISO date of the last day (included when it is a trading day). */
  readonly endDate: string;
  readonly force?: boolean;
}

/** Bounds a single command: 20,000 symbols x 25,000 days is already ~2 GB of Parquet. */
export const GENERATE_LIMITS = { maxSymbolCount: 20_000, maxDays: 25_000 } as const;

/** `rpb data generate`: defaultSymbols(symbolCount), the `days` trading days ending at endDate. */
export async function generateDataset(options: GenerateDatasetOptions): Promise<DatasetInfo> {
  const problems: string[] = [];
  if (typeof options.dir !== 'string' || options.dir.trim() === '') problems.push('dir must be a non-empty path');
  if (!isIntegerIn(options.symbolCount, 1, GENERATE_LIMITS.maxSymbolCount)) {
    problems.push(
      `symbolCount must be an integer from 1 to ${GENERATE_LIMITS.maxSymbolCount}, got ${options.symbolCount}`,
    );
  }
  if (!isIntegerIn(options.days, 1, GENERATE_LIMITS.maxDays))
    problems.push(`days must be an integer from 1 to ${GENERATE_LIMITS.maxDays}, got ${options.days}`);
  if (!Number.isSafeInteger(options.seed)) problems.push(`seed must be an integer, got ${options.seed}`);
  if (!isIsoDate(options.endDate))
    problems.push(`endDate must be an ISO date YYYY-MM-DD, got ${JSON.stringify(options.endDate)}`);
  if (problems.length > 0) throw new DatasetOptionsError(problems);

  const dates = tradingDaysEndingAt(options.endDate, options.days);
  return ensureDataset({
    dir: options.dir,
    symbols: defaultSymbols(options.symbolCount),
    startDate: dates[0],
    endDate: options.endDate,
    seed: options.seed,
    force: options.force,
  });
}

function datasetParamsProblems(params: DatasetParams): string[] {
  const problems: string[] = [];
  if (!Array.isArray(params.symbols) || params.symbols.length === 0) {
    problems.push('symbols must be a non-empty list');
  } else {
    const invalid = params.symbols.filter((symbol) => !isValidSymbol(symbol));
    if (invalid.length > 0)
      problems.push(
        `symbols ${invalid
          .slice(0, 5)
          .map((s) => JSON.stringify(s))
          .join(', ')} do not match ${SYMBOL_PATTERN.source}`,
      );
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const symbol of params.symbols) (seen.has(symbol) ? duplicates : seen).add(symbol);
    if (duplicates.size > 0)
      problems.push(`symbols must be unique; repeated: ${[...duplicates].slice(0, 5).join(', ')}`);
  }
  const startOk = isIsoDate(params.startDate);
  const endOk = isIsoDate(params.endDate);
  if (!startOk) problems.push(`startDate must be an ISO date YYYY-MM-DD, got ${JSON.stringify(params.startDate)}`);
  if (!endOk) problems.push(`endDate must be an ISO date YYYY-MM-DD, got ${JSON.stringify(params.endDate)}`);
  if (startOk && endOk) {
    if (params.startDate > params.endDate)
      problems.push(`startDate ${params.startDate} is after endDate ${params.endDate}`);
    else if (tradingDaysBetween(params.startDate, params.endDate).length === 0)
      problems.push(`no trading days from ${params.startDate} to ${params.endDate}`);
  }
  if (!Number.isSafeInteger(params.seed)) problems.push(`seed must be an integer, got ${params.seed}`);
  return problems;
}

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure rejects after in-flight tasks settle. */
async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++];
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
