import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeOhlcvParquet } from '../../src/market/ohlcv-parquet-codec.ts';
import { ParquetStore } from '../../src/market/parquet-store.ts';
import { generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysBetween } from '../../src/market/trading-calendar.ts';
import { DEFAULT_MICROBENCH_OPTIONS, runMicroBench } from './run-bench.ts';
import type { MicroBenchOptions, MicroResult } from './run-bench.ts';

export interface ParquetReadSuiteOptions extends MicroBenchOptions {
  readonly symbol: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly seed: number;
}

/** One symbol's default dataset history (3 years), as a cache miss reads it. */
export const DEFAULT_PARQUET_READ_OPTIONS: ParquetReadSuiteOptions = {
  ...DEFAULT_MICROBENCH_OPTIONS,
  symbol: 'AAPL',
  startDate: '2023-01-01',
  endDate: '2025-12-31',
  seed: 42,
};

/**
 * Times ParquetStore.readSeries (file read + Parquet decode + Arrow to columns) and, separately,
 * the in-memory decode, so the file-system share of a cache miss is visible.
 */
export async function parquetReadSuite(options: Partial<ParquetReadSuiteOptions> = {}): Promise<MicroResult[]> {
  const resolved: ParquetReadSuiteOptions = { ...DEFAULT_PARQUET_READ_OPTIONS, ...options };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-parquet-read-'));
  try {
    const store = new ParquetStore(dir);
    const series = generateOhlcv({
      symbol: resolved.symbol,
      dates: tradingDaysBetween(resolved.startDate, resolved.endDate),
      seed: resolved.seed,
    });
    await store.writeSeries(series);
    const bytes = await readFile(store.filePath(resolved.symbol));
    return await runMicroBench(
      'parquet-read',
      [
        {
          id: 'read-series',
          name: `readSeries ${resolved.symbol} (${series.dates.length} rows, ${bytes.length} B)`,
          fn: () => store.readSeries(resolved.symbol),
        },
        {
          id: 'decode',
          name: `decode in memory (${series.dates.length} rows)`,
          fn: () => decodeOhlcvParquet(bytes, resolved.symbol),
        },
      ],
      resolved,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
