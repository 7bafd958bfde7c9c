/**
 * Micro-benchmark of the Alpha158 miss path: one computeAlpha158 call on a 3-year daily series.
 * Run: npx tsx bench/microbench/alpha158.bench.ts [--time-ms 2000] [--warmup-ms 500]
 */
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import type { OhlcvSeries } from '../../src/market/ohlcv-series.ts';
import { DEFAULT_MICROBENCH_OPTIONS, runMicroBench } from './run-bench.ts';
import type { MicroBenchOptions, MicroResult } from './run-bench.ts';

export const ALPHA158_BENCH_ROWS = 756; // 3 years of trading days
export const ALPHA158_BENCH_SEED = 20_240_101;

/** mulberry32 (Tommy Ettinger, public domain): small, seeded, good enough for synthetic prices. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A geometric random walk (about 2% daily volatility) on consecutive weekdays from 2022-01-03. */
export function syntheticSeries(rows: number, seed: number): OhlcvSeries {
  const rand = mulberry32(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()); // Box-Muller
  const columns = { open: new Float64Array(rows), high: new Float64Array(rows), low: new Float64Array(rows), close: new Float64Array(rows), volume: new Float64Array(rows), vwap: new Float64Array(rows) };
  const dates: string[] = [];
  let ms = Date.UTC(2022, 0, 3);
  let prevClose = 100;
  for (let i = 0; i < rows; i++) {
    while (new Date(ms).getUTCDay() % 6 === 0) ms += 86_400_000; // skip Saturday (6) and Sunday (0)
    dates.push(new Date(ms).toISOString().slice(0, 10));
    ms += 86_400_000;
    const open = prevClose * Math.exp(0.005 * gaussian());
    const close = open * Math.exp(0.02 * gaussian());
    const high = Math.max(open, close) * (1 + 0.01 * rand());
    const low = Math.min(open, close) * (1 - 0.01 * rand());
    columns.open[i] = open;
    columns.high[i] = high;
    columns.low[i] = low;
    columns.close[i] = close;
    columns.volume[i] = Math.round(2e6 * Math.exp(0.4 * gaussian()));
    columns.vwap[i] = (high + low + close) / 3;
    prevClose = close;
  }
  return { symbol: 'SYN', dates, ...columns };
}

export async function alpha158Suite(options: MicroBenchOptions = DEFAULT_MICROBENCH_OPTIONS): Promise<MicroResult[]> {
  const series = syntheticSeries(ALPHA158_BENCH_ROWS, ALPHA158_BENCH_SEED);
  const lastDate = series.dates[series.dates.length - 1];
  let sink = 0; // keeps the result observable so the call cannot be optimised away
  const results = await runMicroBench(
    'alpha158',
    [{ id: 'compute', name: `computeAlpha158 (${ALPHA158_BENCH_ROWS} rows, last date)`, fn: () => { sink += computeAlpha158(series, lastDate)[0]; } }],
    options,
  );
  if (Number.isNaN(sink)) throw new Error('alpha158 benchmark produced NaN KMID');
  return results;
}
