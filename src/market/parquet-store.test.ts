import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Table as ArrowTable, makeVector, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFileError, SignalInputError } from '../errors.ts';
import { OHLCV_COLUMNS } from './ohlcv-series.ts';
import { ParquetStore } from './parquet-store.ts';
import { generateOhlcv } from './synthetic-ohlcv.ts';
import { tradingDaysBetween } from './trading-calendar.ts';

const DATES = tradingDaysBetween('2023-01-01', '2025-12-31');
let dir: string;
let store: ParquetStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-parquet-store-'));
  store = new ParquetStore(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectRejects<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

describe('ParquetStore', () => {
  it('round-trips a series bit for bit', async () => {
    const series = generateOhlcv({ symbol: 'BRK.B', dates: DATES, seed: 42 });
    await store.writeSeries(series);
    const back = await store.readSeries('BRK.B');
    expect(back.symbol).toBe('BRK.B');
    expect(back.dates).toEqual(series.dates);
    for (const column of OHLCV_COLUMNS) {
      expect(back[column]).toBeInstanceOf(Float64Array);
      expect(back[column].length).toBe(DATES.length);
      expect(
        Buffer.from(back[column].buffer, back[column].byteOffset, back[column].byteLength).equals(
          Buffer.from(series[column].buffer),
        ),
        column,
      ).toBe(true);
    }
    // The columns are the caller's own arrays, not views into a shared read buffer.
    expect(back.open.buffer.byteLength).toBe(DATES.length * 8);
  });

  it('writes a real Parquet file, with no temp file left behind', async () => {
    await store.writeSeries(generateOhlcv({ symbol: 'AAPL', dates: DATES, seed: 1 }));
    const bytes = await readFile(path.join(dir, 'AAPL.parquet'));
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect(bytes.subarray(bytes.length - 4).toString('latin1')).toBe('PAR1');
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('lists the stored symbols, ignoring other files', async () => {
    await writeFile(path.join(dir, 'notes.txt'), 'x');
    await writeFile(path.join(dir, '.MSFT.123.tmp'), 'x');
    expect(await store.listSymbols()).toEqual(['AAPL', 'BRK.B']);
    expect(await new ParquetStore(path.join(dir, 'absent')).listSymbols()).toEqual([]);
  });

  it('reports an unknown symbol with the symbol and the data directory', async () => {
    const error = await expectRejects(store.readSeries('ZZZZ'), SignalInputError);
    expect(error.code).toBe('unknown-symbol');
    expect(error.message).toContain('ZZZZ');
    expect(error.message).toContain(dir);
  });

  it('rejects an invalid symbol before touching the file system', async () => {
    const error = await expectRejects(store.readSeries('../AAPL'), SignalInputError);
    expect(error.code).toBe('invalid-symbol');
  });

  it('reports a truncated file as DataFileError with its path', async () => {
    const bytes = await readFile(path.join(dir, 'AAPL.parquet'));
    await writeFile(path.join(dir, 'TRUNC.parquet'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await expectRejects(store.readSeries('TRUNC'), DataFileError);
    expect(error.path).toBe(path.join(dir, 'TRUNC.parquet'));
  });

  it('reports a garbage file as DataFileError', async () => {
    await writeFile(path.join(dir, 'JUNK.parquet'), 'this is not parquet at all');
    await expectRejects(store.readSeries('JUNK'), DataFileError);
  });

  it('reports a Parquet file without the OHLCV columns as DataFileError naming the column', async () => {
    const table = new ArrowTable({ close: makeVector(new Float64Array([1, 2, 3])) });
    await writeFile(
      path.join(dir, 'PARTIAL.parquet'),
      writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream'))),
    );
    const error = await expectRejects(store.readSeries('PARTIAL'), DataFileError);
    expect(error.message).toContain('missing column date');
  });

  it('reports an unreadable path (a directory named like a data file) as DataFileError', async () => {
    await mkdir(path.join(dir, 'DIRSYM.parquet'));
    await expectRejects(store.readSeries('DIRSYM'), DataFileError);
  });

  it('refuses to write mismatched column lengths', async () => {
    const series = generateOhlcv({ symbol: 'BAD', dates: DATES.slice(0, 10), seed: 1 });
    await expect(store.writeSeries({ ...series, vwap: new Float64Array(9) })).rejects.toThrow(/vwap/);
  });
});
