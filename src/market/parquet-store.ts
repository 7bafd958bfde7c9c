import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataFileError, SignalInputError } from '../errors.ts';
import type { MarketDataSource } from './market-data-source.ts';
import { OhlcvFormatError, decodeOhlcvParquet, encodeOhlcvParquet } from './ohlcv-parquet-codec.ts';
import type { OhlcvSeries } from './ohlcv-series.ts';
import { assertValidSymbol, isValidSymbol } from './symbols.ts';

const PARQUET_EXTENSION = '.parquet';

/**
 * One Parquet file per symbol, `<dir>/<SYMBOL>.parquet` (layout in ohlcv-parquet-codec.ts).
 * Symbols are validated before they become file names, so a request cannot escape the directory.
 */
export class ParquetStore implements MarketDataSource {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  filePath(symbol: string): string {
    assertValidSymbol(symbol);
    return path.join(this.dir, `${symbol}${PARQUET_EXTENSION}`);
  }

  /** Writes atomically (temp file in the same directory, then rename): readers never see half a file. */
  async writeSeries(series: OhlcvSeries): Promise<void> {
    const target = this.filePath(series.symbol);
    const bytes = encodeOhlcvParquet(series);
    await mkdir(this.dir, { recursive: true });
    // Dot-prefixed so listSymbols never mistakes a temp file for data.
    const temp = path.join(this.dir, `.${series.symbol}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temp, bytes);
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  async readSeries(symbol: string): Promise<OhlcvSeries> {
    const file = this.filePath(symbol);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if (isErrnoException(error) && error.code === 'ENOENT') {
        throw new SignalInputError(
          'unknown-symbol',
          `unknown symbol ${symbol}: no file ${symbol}${PARQUET_EXTENSION} in data directory ${this.dir}`,
        );
      }
      throw new DataFileError(file, `cannot read market data for ${symbol}: ${describe(error)}`, { cause: error });
    }
    try {
      return decodeOhlcvParquet(bytes, symbol);
    } catch (error) {
      if (error instanceof OhlcvFormatError)
        throw new DataFileError(file, `bad market data file for ${symbol}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /** Symbols with a data file, sorted; an absent directory holds no symbols. */
  async listSymbols(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isErrnoException(error) && error.code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((name) => name.endsWith(PARQUET_EXTENSION))
      .map((name) => name.slice(0, -PARQUET_EXTENSION.length))
      .filter(isValidSymbol)
      .sort();
  }
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
