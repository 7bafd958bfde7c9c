import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_DATASET,
  datasetParamsHash,
  defaultDatasetDir,
  DatasetOptionsError,
  ensureDataset,
} from '../../src/market/dataset.ts';
import type { DatasetInfo, DatasetParams } from '../../src/market/dataset.ts';
import { defaultSymbols } from '../../src/market/symbols.ts';
import { ConfigError, InfraError } from '../errors.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The document's data set shape (3 years of daily bars per symbol) with a chosen symbol count. */
export function datasetParams(symbolCount: number, seed: number): DatasetParams {
  const symbols =
    symbolCount === DEFAULT_DATASET.symbols.length ? DEFAULT_DATASET.symbols : defaultSymbols(symbolCount);
  return { ...DEFAULT_DATASET, symbols, seed };
}

/**
 * Generates the data set on first use into the cache folder (or `dataDir`) and reuses it after.
 * Errors from src/ are mapped to the harness's: bad parameters are a ConfigError, I/O an InfraError.
 */
export async function prepareDataset(
  params: DatasetParams,
  dataDir: string | null,
  progress: (message: string) => void,
): Promise<DatasetInfo> {
  // One subfolder per data-set shape (symbols, dates, seed): a --quick run and a full run never
  // regenerate each other's files, and a user's own folder is never overwritten.
  const dir =
    dataDir === null
      ? defaultDatasetDir(REPO_ROOT, params, {})
      : path.join(path.resolve(dataDir), `market-${datasetParamsHash(params)}`);
  try {
    const started = Date.now();
    const info = await ensureDataset({ ...params, dir });
    if (info.generated) {
      progress(
        `market data: generated ${info.symbols.length} symbols x ${info.tradingDays} trading days in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`,
      );
    }
    return info;
  } catch (error) {
    if (error instanceof DatasetOptionsError) {
      throw new ConfigError('invalid market data set options', {
        problems: error.problems,
        hint: 'see `rpb data generate --help`',
      });
    }
    throw new InfraError(`could not prepare the market data set in ${dir}: ${(error as Error).message}`, {
      hint: 'check that the folder is writable and has free space, or point RPB_DATA_DIR / --data-dir elsewhere',
      cause: error,
    });
  }
}
