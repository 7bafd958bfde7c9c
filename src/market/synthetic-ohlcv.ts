import { SignalInputError } from '../errors.ts';
import type { OhlcvSeries } from './ohlcv-series.ts';
import { SeededRandom } from './seeded-random.ts';
import { assertValidSymbol } from './symbols.ts';
import { assertIsoDate } from './trading-calendar.ts';

// Symbol helpers live in symbols.ts; re-exported here because callers think of them as part of the generator.
export { assertValidSymbol, defaultSymbols, isValidSymbol, SYMBOL_PATTERN } from './symbols.ts';

export interface GenerateOhlcvOptions {
  readonly symbol: string;
  /** Trading days, oldest first, strictly increasing. */
  readonly dates: readonly string[];
  readonly seed: number;
}

/** Ranges the per-symbol parameters are drawn from: roughly those of US large caps. */
export const SYNTHETIC_MARKET_RANGES = {
  startPrice: { min: 10, max: 500 },
  annualDrift: { min: -0.05, max: 0.2 },
  annualVolatility: { min: 0.15, max: 0.6 },
  averageDailyVolume: { min: 200_000, max: 50_000_000 },
  tradingDaysPerYear: 252,
} as const;

/** Overnight gap as a fraction of the daily volatility. */
const GAP_VOLATILITY_RATIO = 0.3;
/** Extension of the high/low beyond open/close, as a fraction of the daily volatility. */
const WICK_VOLATILITY_RATIO = 0.5;
/** Log-volume standard deviation from day to day. */
const VOLUME_LOG_SIGMA = 0.4;

/**
 * Daily bars from geometric Brownian motion (exact log-normal step, as in Hull, "Options, Futures and
 * Other Derivatives", ch. 14). Every parameter comes from the symbol's own random stream, so the same
 * (symbol, dates, seed) always yields bit-identical columns, independent of any other symbol.
 */
export function generateOhlcv(options: GenerateOhlcvOptions): OhlcvSeries {
  const { symbol, dates, seed } = options;
  assertValidSymbol(symbol);
  assertIncreasingDates(dates);

  const ranges = SYNTHETIC_MARKET_RANGES;
  const rng = SeededRandom.forKey(seed, symbol);
  const startPrice = logUniform(rng, ranges.startPrice.min, ranges.startPrice.max);
  const drift = rng.nextRange(ranges.annualDrift.min, ranges.annualDrift.max);
  const volatility = rng.nextRange(ranges.annualVolatility.min, ranges.annualVolatility.max);
  const averageVolume = logUniform(rng, ranges.averageDailyVolume.min, ranges.averageDailyVolume.max);

  const dt = 1 / ranges.tradingDaysPerYear;
  const dailySigma = volatility * Math.sqrt(dt);
  const logStepMean = (drift - (volatility * volatility) / 2) * dt;
  // Centre the log-normal volume on the symbol's average: E[exp(N(m, s^2))] = exp(m + s^2 / 2).
  const volumeLogMean = Math.log(averageVolume) - (VOLUME_LOG_SIGMA * VOLUME_LOG_SIGMA) / 2;

  const length = dates.length;
  const open = new Float64Array(length);
  const high = new Float64Array(length);
  const low = new Float64Array(length);
  const close = new Float64Array(length);
  const volume = new Float64Array(length);
  const vwap = new Float64Array(length);

  let previousClose = startPrice;
  for (let i = 0; i < length; i++) {
    const shock = rng.nextGaussian();
    const o = previousClose * Math.exp(GAP_VOLATILITY_RATIO * dailySigma * rng.nextGaussian());
    const c = previousClose * Math.exp(logStepMean + dailySigma * shock);
    const h = Math.max(o, c) * Math.exp(WICK_VOLATILITY_RATIO * dailySigma * Math.abs(rng.nextGaussian()));
    const l = Math.min(o, c) * Math.exp(-WICK_VOLATILITY_RATIO * dailySigma * Math.abs(rng.nextGaussian()));
    // Typical price with a little noise, clamped so rounding can never leave [low, high].
    const typical = ((h + l + c) / 3) * Math.exp(0.1 * dailySigma * rng.nextGaussian());
    // Big moves trade more: volume grows with the size of the day's shock.
    const v = Math.exp(volumeLogMean + VOLUME_LOG_SIGMA * rng.nextGaussian() + 0.25 * Math.abs(shock));

    open[i] = o;
    high[i] = h;
    low[i] = l;
    close[i] = c;
    vwap[i] = Math.min(h, Math.max(l, typical));
    volume[i] = Math.max(1, Math.round(v));
    previousClose = c;
  }

  return { symbol, dates: [...dates], open, high, low, close, volume, vwap };
}

function logUniform(rng: SeededRandom, min: number, max: number): number {
  return Math.exp(rng.nextRange(Math.log(min), Math.log(max)));
}

function assertIncreasingDates(dates: readonly string[]): void {
  for (let i = 0; i < dates.length; i++) {
    assertIsoDate(dates[i], `dates[${i}]`);
    // ISO dates compare correctly as strings.
    if (i > 0 && dates[i] <= dates[i - 1]) {
      throw new SignalInputError(
        'invalid-date',
        `dates must be strictly increasing: dates[${i - 1}] = ${dates[i - 1]}, dates[${i}] = ${dates[i]}`,
      );
    }
  }
}
