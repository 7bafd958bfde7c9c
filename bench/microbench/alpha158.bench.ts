/** Micro-benchmark of the Alpha158 miss path: one computeAlpha158 call on a 3-year daily series. */
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import { generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysBetween } from '../../src/market/trading-calendar.ts';
import { DEFAULT_MICROBENCH_OPTIONS, runMicroBench } from './run-bench.ts';
import type { MicroBenchOptions, MicroResult } from './run-bench.ts';

/** The default data set's history for one symbol: 3 years of daily bars from the market generator. */
const BENCH_SERIES = { symbol: 'AAPL', startDate: '2023-01-01', endDate: '2025-12-31', seed: 42 } as const;

export async function alpha158Suite(options: MicroBenchOptions = DEFAULT_MICROBENCH_OPTIONS): Promise<MicroResult[]> {
  const series = generateOhlcv({
    symbol: BENCH_SERIES.symbol,
    dates: tradingDaysBetween(BENCH_SERIES.startDate, BENCH_SERIES.endDate),
    seed: BENCH_SERIES.seed,
  });
  const lastDate = series.dates[series.dates.length - 1];
  let sink = 0; // keeps the result observable so the call cannot be optimised away
  const results = await runMicroBench(
    'alpha158',
    [
      {
        id: 'compute',
        name: `computeAlpha158 (${series.dates.length} rows, last date)`,
        fn: () => {
          sink += computeAlpha158(series, lastDate)[0];
        },
      },
    ],
    options,
  );
  if (Number.isNaN(sink)) throw new Error('alpha158 benchmark produced NaN KMID');
  return results;
}
