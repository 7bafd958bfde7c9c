import type { OhlcvSeries } from '../market/ohlcv-series.ts';
import {
  ALPHA158_FEATURE_COUNT,
  ALPHA158_MIN_ROWS,
  ALPHA158_ROLLING_OPERATORS,
  ALPHA158_WINDOWS,
} from './alpha158-names.ts';
import { insufficientHistory, resolveAsOfIndex } from './as-of-index.ts';
import {
  quantileOfSorted,
  sortWindowInto,
  windowCorr,
  windowCountNegative,
  windowCountPositive,
  windowIdxMax,
  windowIdxMin,
  windowMax,
  windowMean,
  windowMin,
  windowRank,
  windowResi,
  windowRsquare,
  windowSlope,
  windowStd,
  windowSum,
  windowSumAbs,
  windowSumNegative,
  windowSumPositive,
} from './rolling-operators.ts';

export { resolveAsOfIndex } from './as-of-index.ts';

/** Formulas: shared/spec/alpha158.md (Qlib Alpha158DL), including its +1e-12 guards. */
const EPS = 1e-12;
const SPAN = ALPHA158_MIN_ROWS - 1; // the longest window; the per-call arrays hold this many rows
const LAST = SPAN - 1; // index of row t inside the per-call arrays
const ROLLING_BASE = 13;
const WINDOW_COUNT = ALPHA158_WINDOWS.length;

type RollingOperator = (typeof ALPHA158_ROLLING_OPERATORS)[number];
const OP = Object.fromEntries(ALPHA158_ROLLING_OPERATORS.map((op, i) => [op, i])) as Record<RollingOperator, number>;

/**
 * Per-call arrays over the last SPAN rows (position k is row t-SPAN+1+k). Module-level and reused:
 * the computation is synchronous, so no two calls can interleave within one thread.
 */
const scratch = {
  close: new Float64Array(SPAN),
  high: new Float64Array(SPAN),
  low: new Float64Array(SPAN),
  volume: new Float64Array(SPAN),
  logVolume: new Float64Array(SPAN), // Log(volume+1)
  ratio: new Float64Array(SPAN), // close/Ref(close,1)
  logVolumeRatio: new Float64Array(SPAN), // Log(volume/Ref(volume,1)+1)
  closeDiff: new Float64Array(SPAN), // close-Ref(close,1)
  volumeDiff: new Float64Array(SPAN), // volume-Ref(volume,1)
  weightedVolume: new Float64Array(SPAN), // Abs(close/Ref(close,1)-1)*volume
  sorted: new Float64Array(SPAN),
};

function fillScratch(series: OhlcvSeries, t: number): void {
  const { close, high, low, volume } = series;
  for (let k = 0; k < SPAN; k++) {
    const row = t - LAST + k;
    const c = close[row];
    const v = volume[row];
    const prevC = close[row - 1];
    const prevV = volume[row - 1];
    const ratio = c / prevC;
    scratch.close[k] = c;
    scratch.high[k] = high[row];
    scratch.low[k] = low[row];
    scratch.volume[k] = v;
    scratch.logVolume[k] = Math.log(v + 1);
    scratch.ratio[k] = ratio;
    scratch.logVolumeRatio[k] = Math.log(v / prevV + 1);
    scratch.closeDiff[k] = c - prevC;
    scratch.volumeDiff[k] = v - prevV;
    scratch.weightedVolume[k] = Math.abs(ratio - 1) * v;
  }
}

function writeBarFeatures(series: OhlcvSeries, t: number, out: Float64Array): void {
  const open = series.open[t];
  const high = series.high[t];
  const low = series.low[t];
  const close = series.close[t];
  const range = high - low + EPS;
  const upper = high - Math.max(open, close);
  const lower = Math.min(open, close) - low;
  const shift = 2 * close - high - low;
  out[0] = (close - open) / open; // KMID
  out[1] = (high - low) / open; // KLEN
  out[2] = (close - open) / range; // KMID2
  out[3] = upper / open; // KUP
  out[4] = upper / range; // KUP2
  out[5] = lower / open; // KLOW
  out[6] = lower / range; // KLOW2
  out[7] = shift / open; // KSFT
  out[8] = shift / range; // KSFT2
  out[9] = open / close; // OPEN0
  out[10] = high / close; // HIGH0
  out[11] = low / close; // LOW0
  out[12] = series.vwap[t] / close; // VWAP0
}

function writeWindowFeatures(series: OhlcvSeries, t: number, w: number, out: Float64Array): void {
  const d = ALPHA158_WINDOWS[w];
  const s = scratch;
  const close = s.close[LAST];
  const volume = s.volume[LAST];
  const put = (op: RollingOperator, value: number): void => {
    out[ROLLING_BASE + OP[op] * WINDOW_COUNT + w] = value;
  };

  const maxHigh = windowMax(s.high, LAST, d);
  const minLow = windowMin(s.low, LAST, d);
  sortWindowInto(s.close, LAST, d, s.sorted);
  const idxMax = windowIdxMax(s.high, LAST, d);
  const idxMin = windowIdxMin(s.low, LAST, d);
  const up = windowCountPositive(s.closeDiff, LAST, d) / d;
  const down = windowCountNegative(s.closeDiff, LAST, d) / d;
  const closeMoves = windowSumAbs(s.closeDiff, LAST, d) + EPS;
  const closeGain = windowSumPositive(s.closeDiff, LAST, d) / closeMoves;
  const closeLoss = windowSumNegative(s.closeDiff, LAST, d) / closeMoves;
  const volumeMoves = windowSumAbs(s.volumeDiff, LAST, d) + EPS;
  const volumeGain = windowSumPositive(s.volumeDiff, LAST, d) / volumeMoves;
  const volumeLoss = windowSumNegative(s.volumeDiff, LAST, d) / volumeMoves;

  put('ROC', series.close[t - d] / close);
  put('MA', windowMean(s.close, LAST, d) / close);
  put('STD', windowStd(s.close, LAST, d) / close);
  put('BETA', windowSlope(s.close, LAST, d) / close);
  put('RSQR', windowRsquare(s.close, LAST, d));
  put('RESI', windowResi(s.close, LAST, d) / close);
  put('MAX', maxHigh / close);
  put('MIN', minLow / close);
  put('QTLU', quantileOfSorted(s.sorted, d, 0.8) / close);
  put('QTLD', quantileOfSorted(s.sorted, d, 0.2) / close);
  put('RANK', windowRank(s.close, LAST, d));
  put('RSV', (close - minLow) / (maxHigh - minLow + EPS));
  put('IMAX', idxMax / d);
  put('IMIN', idxMin / d);
  put('IMXD', (idxMax - idxMin) / d);
  put('CORR', windowCorr(s.close, s.logVolume, LAST, d));
  put('CORD', windowCorr(s.ratio, s.logVolumeRatio, LAST, d));
  put('CNTP', up);
  put('CNTN', down);
  put('CNTD', up - down);
  put('SUMP', closeGain);
  put('SUMN', closeLoss);
  put('SUMD', closeGain - closeLoss);
  put('VMA', windowMean(s.volume, LAST, d) / (volume + EPS));
  put('VSTD', windowStd(s.volume, LAST, d) / (volume + EPS));
  put('WVMA', windowStd(s.weightedVolume, LAST, d) / (windowSum(s.weightedVolume, LAST, d) / d + EPS));
  put('VSUMP', volumeGain);
  put('VSUMN', volumeLoss);
  put('VSUMD', volumeGain - volumeLoss);
}

/** The 158 features at row `index` (spec order). Needs 61 rows ending at `index`. */
export function computeAlpha158AtIndex(series: OhlcvSeries, index: number): Float64Array {
  const rows = series.dates.length;
  if (!Number.isInteger(index) || index < 0 || index >= rows) {
    throw new RangeError(`${series.symbol}: row index ${index} is outside 0..${rows - 1}`);
  }
  if (index < SPAN) throw insufficientHistory(series, series.dates[index], index + 1);
  const out = new Float64Array(ALPHA158_FEATURE_COUNT);
  writeBarFeatures(series, index, out);
  fillScratch(series, index);
  for (let w = 0; w < WINDOW_COUNT; w++) writeWindowFeatures(series, index, w, out);
  return out;
}

/** The 158 features of `asOfDate` (the last trading day on or before it). Never a short vector. */
export function computeAlpha158(series: OhlcvSeries, asOfDate: string): Float64Array {
  return computeAlpha158AtIndex(series, resolveAsOfIndex(series, asOfDate));
}
