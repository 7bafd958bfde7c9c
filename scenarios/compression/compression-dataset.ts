import { createJsonObjectCodec, jsonObjectCodec } from '../../src/cache/json-object-codec.ts';
import { ALPHA158_NAMES } from '../../src/features/alpha158-names.ts';
import { computeAlpha158AtIndex } from '../../src/features/alpha158.ts';
import { defaultSymbols, generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';

/** The document's example date; each trial's as-of date steps back a week from it. */
const LAST_DATE = '2025-01-17';
/** Alpha158 needs 61 bars ending at the as-of date. */
const HISTORY_BARS = 61;
const TRIAL_STEP_DAYS = 5;

/**
 * One trial's input: a different symbol and as-of date, so the trials are independent samples of
 * real-looking vectors.
 */
export interface CompressionSample {
  readonly symbol: string;
  readonly date: string;
  /** The document's value: Alpha158 of one symbol and date (158 floats). */
  readonly vector: Float64Array;
  /**
   * The document's "large features" (~50 KB of JSON): Alpha158 of the as-of date and the
   * lags - 1 trading days before it, concatenated, named NAME_LAG (e.g. KMID_0, KMID_1, ...).
   * Empty when the large case is off.
   */
  readonly large: Float64Array;
}

export interface CompressionDataset {
  readonly samples: readonly CompressionSample[];
  /** Vectors in the large case (0: off). */
  readonly lags: number;
  /** Feature names of the large case, in order, for its JSON dict. */
  readonly largeNames: readonly string[];
}

/** The lag names of the large case: all 158 names for lag 0, then for lag 1, ... */
export function laggedFeatureNames(lags: number): string[] {
  const names: string[] = [];
  for (let lag = 0; lag < lags; lag++) for (const name of ALPHA158_NAMES) names.push(`${name}_${lag}`);
  return names;
}

/**
 * How many lags make the document-format JSON (a dict of named floats) reach `targetBytes`,
 * judged on the first vector (values of other trials differ by a few bytes).
 */
export function lagsForTarget(vector: Float64Array, targetBytes: number): number {
  if (targetBytes <= 0) return 0;
  let lags = 1;
  for (;;) {
    const names = laggedFeatureNames(lags);
    const bytes = createJsonObjectCodec(names).encode(
      Float64Array.from({ length: names.length }, (_, i) => vector[i % vector.length]!),
    ).length;
    if (bytes >= targetBytes || lags >= 1_000) return lags;
    lags += Math.max(1, Math.floor((targetBytes - bytes) / (bytes / lags)));
  }
}

/** `trials` samples of distinct symbols and dates (synthetic bars, seeded): deterministic for a seed. */
export function buildCompressionDataset(trials: number, seed: number, largeJsonBytes: number): CompressionDataset {
  const symbols = defaultSymbols(trials);
  // Lags are sized once, on a first vector, so every trial compresses the same shape of value.
  const sizingDays = tradingDaysEndingAt(LAST_DATE, HISTORY_BARS);
  const lags = lagsForTarget(
    computeAlpha158AtIndex(generateOhlcv({ symbol: symbols[0]!, dates: sizingDays, seed }), HISTORY_BARS - 1),
    largeJsonBytes,
  );
  const days = tradingDaysEndingAt(LAST_DATE, HISTORY_BARS + Math.max(lags - 1, 0) + trials * TRIAL_STEP_DAYS);
  const samples: CompressionSample[] = symbols.map((symbol, trial) => {
    const series = generateOhlcv({ symbol, dates: days, seed });
    const index = days.length - 1 - trial * TRIAL_STEP_DAYS;
    const large = new Float64Array(lags * ALPHA158_NAMES.length);
    for (let lag = 0; lag < lags; lag++)
      large.set(computeAlpha158AtIndex(series, index - lag), lag * ALPHA158_NAMES.length);
    return { symbol, date: days[index]!, vector: computeAlpha158AtIndex(series, index), large };
  });
  return { samples, lags, largeNames: laggedFeatureNames(lags) };
}

/** Bytes of the document's own value for a vector: `json.dumps(features)` of the dict (no frame header). */
export function documentJsonBytes(vector: Float64Array): number {
  return jsonObjectCodec.encode(vector).length;
}
