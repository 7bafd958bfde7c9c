import { mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATASET_DIR_ENV,
  DEFAULT_DATASET,
  DatasetOptionsError,
  datasetParamsHash,
  defaultDatasetDir,
  ensureDataset,
  generateDataset,
} from './dataset.ts';
import { MANIFEST_FILE } from './dataset-manifest.ts';
import { ParquetStore } from './parquet-store.ts';
import { tradingDaysBetween } from './trading-calendar.ts';

const PARAMS = { symbols: ['AAPL', 'MSFT', 'SYM0003'], startDate: '2025-01-01', endDate: '2025-03-31', seed: 9 };
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rpb-dataset-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ensureDataset', () => {
  it('generates every file and the manifest, then reuses them', async () => {
    const dir = path.join(root, 'reuse');
    const first = await ensureDataset({ dir, ...PARAMS });
    expect(first.generated).toBe(true);
    expect(first.tradingDays).toBe(tradingDaysBetween(PARAMS.startDate, PARAMS.endDate).length);
    expect(first.bytesOnDisk).toBeGreaterThan(0);
    expect(await new ParquetStore(dir).listSymbols()).toEqual(['AAPL', 'MSFT', 'SYM0003']);
    const series = await new ParquetStore(dir).readSeries('MSFT');
    expect(series.dates[0]).toBe('2025-01-02');
    expect(series.dates.at(-1)).toBe('2025-03-31');

    const second = await ensureDataset({ dir, ...PARAMS });
    expect(second.generated).toBe(false);
    expect(second.bytesOnDisk).toBe(first.bytesOnDisk);
    expect(second.symbols).toEqual(PARAMS.symbols);
  });

  it('regenerates when the manifest parameters differ', async () => {
    const dir = path.join(root, 'params');
    await ensureDataset({ dir, ...PARAMS });
    const before = await readFile(path.join(dir, 'AAPL.parquet'));
    const changed = await ensureDataset({ dir, ...PARAMS, seed: 10 });
    expect(changed.generated).toBe(true);
    expect((await readFile(path.join(dir, 'AAPL.parquet'))).equals(before)).toBe(false);
    expect((await ensureDataset({ dir, ...PARAMS, seed: 10 })).generated).toBe(false);
    expect((await ensureDataset({ dir, ...PARAMS, seed: 10, endDate: '2025-03-28' })).generated).toBe(true);
    expect(
      (await ensureDataset({ dir, ...PARAMS, seed: 10, endDate: '2025-03-28', symbols: ['AAPL'] })).generated,
    ).toBe(true);
  });

  it('regenerates when a file is missing or truncated, or the manifest is absent or corrupt', async () => {
    const dir = path.join(root, 'damage');
    await ensureDataset({ dir, ...PARAMS });
    await unlink(path.join(dir, 'MSFT.parquet'));
    expect((await ensureDataset({ dir, ...PARAMS })).generated).toBe(true);
    expect((await new ParquetStore(dir).readSeries('MSFT')).close.length).toBeGreaterThan(0);

    const aapl = await readFile(path.join(dir, 'AAPL.parquet'));
    await writeFile(path.join(dir, 'AAPL.parquet'), aapl.subarray(0, 100));
    expect((await ensureDataset({ dir, ...PARAMS })).generated).toBe(true);
    expect((await readFile(path.join(dir, 'AAPL.parquet'))).equals(aapl)).toBe(true);

    await unlink(path.join(dir, MANIFEST_FILE));
    expect((await ensureDataset({ dir, ...PARAMS })).generated).toBe(true);
    await writeFile(path.join(dir, MANIFEST_FILE), '{ not json');
    expect((await ensureDataset({ dir, ...PARAMS })).generated).toBe(true);
    expect((await ensureDataset({ dir, ...PARAMS })).generated).toBe(false);
    expect((await ensureDataset({ dir, ...PARAMS, force: true })).generated).toBe(true);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reports every invalid parameter at once', async () => {
    const error = await ensureDataset({
      dir: '',
      symbols: ['ok', 'AAPL', 'AAPL'],
      startDate: '2025-02-30',
      endDate: '2025-13-01',
      seed: 1.5,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetOptionsError);
    const problems = (error as DatasetOptionsError).problems.join('\n');
    for (const fragment of ['dir', '"ok"', 'repeated: AAPL', 'startDate', 'endDate', 'seed'])
      expect(problems).toContain(fragment);
  });
});

describe('generateDataset', () => {
  it('writes symbolCount symbols with `days` trading days ending at endDate', async () => {
    const dir = path.join(root, 'cli');
    const info = await generateDataset({ dir, symbolCount: 4, days: 20, seed: 3, endDate: '2025-12-31' });
    expect(info.generated).toBe(true);
    expect(info.symbols).toEqual(['AAPL', 'MSFT', 'GOOGL', 'AMZN']);
    expect(info.tradingDays).toBe(20);
    const series = await new ParquetStore(dir).readSeries('AMZN');
    expect(series.dates).toHaveLength(20);
    expect(series.dates.at(-1)).toBe('2025-12-31');
    expect((await generateDataset({ dir, symbolCount: 4, days: 20, seed: 3, endDate: '2025-12-31' })).generated).toBe(
      false,
    );
  });

  it('validates every option at once', async () => {
    const error = await generateDataset({
      dir: ' ',
      symbolCount: 0,
      days: 2.5,
      seed: Number.NaN,
      endDate: '31/12/2025',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetOptionsError);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as DatasetOptionsError).problems).toHaveLength(5);
  });
});

describe('defaultDatasetDir', () => {
  it('lives under node_modules/.cache, keyed by the parameters, unless RPB_DATA_DIR is set', () => {
    const dir = defaultDatasetDir('/repo', DEFAULT_DATASET, {});
    expect(dir).toBe(`/repo/node_modules/.cache/redis-patterns-bench/market-${datasetParamsHash(DEFAULT_DATASET)}`);
    expect(datasetParamsHash({ ...DEFAULT_DATASET, seed: 43 })).not.toBe(datasetParamsHash(DEFAULT_DATASET));
    expect(defaultDatasetDir('/repo', DEFAULT_DATASET, { [DATASET_DIR_ENV]: '/data/market' })).toBe('/data/market');
  });

  it('describes 500 symbols over three calendar years ending 2025-12-31 with seed 42', () => {
    expect(DEFAULT_DATASET.symbols).toHaveLength(500);
    expect(DEFAULT_DATASET.endDate).toBe('2025-12-31');
    expect(DEFAULT_DATASET.seed).toBe(42);
  });
});
