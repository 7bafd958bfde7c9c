/**
 * SLOW reference for Alpha158, for tests only: each feature is rebuilt from the raw columns with plain
 * loops, straight from the formulas of shared/spec/alpha158.md. Shares nothing with the fast path
 * except the series type and the names list, so a shared mistake cannot hide.
 */
import type { OhlcvSeries } from '../market/ohlcv-series.ts';
import { ALPHA158_NAMES } from './alpha158-names.ts';

type Row = (i: number) => number;

/** The values of an element-wise expression over rows t-d+1..t, oldest first. */
function windowOf(expr: Row, t: number, d: number): number[] {
  const values: number[] = [];
  for (let i = t - d + 1; i <= t; i++) values.push(expr(i));
  return values;
}

function allEqual(values: number[]): boolean {
  return values.every((v) => v === values[0]);
}

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function mean(values: number[]): number {
  return sum(values) / values.length;
}

function std(values: number[]): number {
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

interface Fit {
  slope: number;
  rsquare: number;
  resi: number;
}

/** Ordinary least squares of y on 1..n. R^2 is NaN for a constant y (SST = 0, 0/0 by convention). */
function fitLine(y: number[]): Fit {
  const n = y.length;
  const xs = y.map((_, i) => i + 1);
  const xBar = mean(xs);
  const yBar = mean(y);
  let sxy = 0;
  let sxx = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - xBar) * (y[i] - yBar);
    sxx += (xs[i] - xBar) * (xs[i] - xBar);
    sst += (y[i] - yBar) * (y[i] - yBar);
  }
  const slope = sxy / sxx;
  const intercept = yBar - slope * xBar;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - intercept - slope * xs[i]) ** 2;
  const rsquare = allEqual(y) ? Number.NaN : 1 - sse / sst;
  return { slope, rsquare, resi: y[n - 1] - (intercept + slope * n) };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Averages the 1-based sorted positions holding the last value. */
function rankPct(values: number[]): number {
  const target = values[values.length - 1];
  const sorted = [...values].sort((a, b) => a - b);
  const positions: number[] = [];
  sorted.forEach((v, i) => {
    if (v === target) positions.push(i + 1);
  });
  return mean(positions) / values.length;
}

function idxOfFirst(values: number[], pick: (a: number, b: number) => boolean): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (pick(values[i], values[best])) best = i;
  return best + 1;
}

function corr(x: number[], y: number[]): number {
  if (allEqual(x) || allEqual(y)) return Number.NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx) / Math.sqrt(syy);
}

function rollingFeature(s: OhlcvSeries, op: string, t: number, d: number): number {
  return volumeFeature(s, op, t, d) ?? priceFeature(s, op, t, d);
}

/** The volume operators (VMA, VSTD, WVMA, VSUM*); undefined for any other. */
function volumeFeature(s: OhlcvSeries, op: string, t: number, d: number): number | undefined {
  const close: Row = (i) => s.close[i];
  const prevClose: Row = (i) => s.close[i - 1];
  const volume: Row = (i) => s.volume[i];
  const prevVolume: Row = (i) => s.volume[i - 1];
  const vUpSum = sum(windowOf((i) => Math.max(volume(i) - prevVolume(i), 0), t, d));
  const vDownSum = sum(windowOf((i) => Math.max(prevVolume(i) - volume(i), 0), t, d));
  const vAbsSum = sum(windowOf((i) => Math.abs(volume(i) - prevVolume(i)), t, d));
  const weighted = windowOf((i) => Math.abs(close(i) / prevClose(i) - 1) * volume(i), t, d);
  switch (op) {
    case 'VMA':
      return mean(windowOf(volume, t, d)) / (volume(t) + 1e-12);
    case 'VSTD':
      return std(windowOf(volume, t, d)) / (volume(t) + 1e-12);
    case 'WVMA':
      return std(weighted) / (mean(weighted) + 1e-12);
    case 'VSUMP':
      return vUpSum / (vAbsSum + 1e-12);
    case 'VSUMN':
      return vDownSum / (vAbsSum + 1e-12);
    case 'VSUMD':
      return (vUpSum - vDownSum) / (vAbsSum + 1e-12);
    default:
      return undefined;
  }
}

/** Every other rolling operator: close, high and low over the window (CORR and CORD pair them with volume). */
function priceFeature(s: OhlcvSeries, op: string, t: number, d: number): number {
  const close: Row = (i) => s.close[i];
  const prevClose: Row = (i) => s.close[i - 1];
  const volume: Row = (i) => s.volume[i];
  const prevVolume: Row = (i) => s.volume[i - 1];
  const c = s.close[t];
  const maxHigh = Math.max(...windowOf((i) => s.high[i], t, d));
  const minLow = Math.min(...windowOf((i) => s.low[i], t, d));
  const upSum = sum(windowOf((i) => Math.max(close(i) - prevClose(i), 0), t, d));
  const downSum = sum(windowOf((i) => Math.max(prevClose(i) - close(i), 0), t, d));
  const absSum = sum(windowOf((i) => Math.abs(close(i) - prevClose(i)), t, d));
  const cntp = mean(windowOf((i) => (close(i) > prevClose(i) ? 1 : 0), t, d));
  const cntn = mean(windowOf((i) => (close(i) < prevClose(i) ? 1 : 0), t, d));
  const idxMax = idxOfFirst(
    windowOf((i) => s.high[i], t, d),
    (a, b) => a > b,
  );
  const idxMin = idxOfFirst(
    windowOf((i) => s.low[i], t, d),
    (a, b) => a < b,
  );
  switch (op) {
    case 'ROC':
      return s.close[t - d] / c;
    case 'MA':
      return mean(windowOf(close, t, d)) / c;
    case 'STD':
      return std(windowOf(close, t, d)) / c;
    case 'BETA':
      return fitLine(windowOf(close, t, d)).slope / c;
    case 'RSQR':
      return fitLine(windowOf(close, t, d)).rsquare;
    case 'RESI':
      return fitLine(windowOf(close, t, d)).resi / c;
    case 'MAX':
      return maxHigh / c;
    case 'MIN':
      return minLow / c;
    case 'QTLU':
      return quantile(windowOf(close, t, d), 0.8) / c;
    case 'QTLD':
      return quantile(windowOf(close, t, d), 0.2) / c;
    case 'RANK':
      return rankPct(windowOf(close, t, d));
    case 'RSV':
      return (c - minLow) / (maxHigh - minLow + 1e-12);
    case 'IMAX':
      return idxMax / d;
    case 'IMIN':
      return idxMin / d;
    case 'IMXD':
      return (idxMax - idxMin) / d;
    case 'CORR':
      return corr(
        windowOf(close, t, d),
        windowOf((i) => Math.log(volume(i) + 1), t, d),
      );
    case 'CORD':
      return corr(
        windowOf((i) => close(i) / prevClose(i), t, d),
        windowOf((i) => Math.log(volume(i) / prevVolume(i) + 1), t, d),
      );
    case 'CNTP':
      return cntp;
    case 'CNTN':
      return cntn;
    case 'CNTD':
      return cntp - cntn;
    case 'SUMP':
      return upSum / (absSum + 1e-12);
    case 'SUMN':
      return downSum / (absSum + 1e-12);
    case 'SUMD':
      return (upSum - downSum) / (absSum + 1e-12);
    default:
      throw new Error(`reference: unknown operator ${op}`);
  }
}

function barFeature(s: OhlcvSeries, name: string, t: number): number {
  const o = s.open[t];
  const h = s.high[t];
  const l = s.low[t];
  const c = s.close[t];
  switch (name) {
    case 'KMID':
      return (c - o) / o;
    case 'KLEN':
      return (h - l) / o;
    case 'KMID2':
      return (c - o) / (h - l + 1e-12);
    case 'KUP':
      return (h - Math.max(o, c)) / o;
    case 'KUP2':
      return (h - Math.max(o, c)) / (h - l + 1e-12);
    case 'KLOW':
      return (Math.min(o, c) - l) / o;
    case 'KLOW2':
      return (Math.min(o, c) - l) / (h - l + 1e-12);
    case 'KSFT':
      return (2 * c - h - l) / o;
    case 'KSFT2':
      return (2 * c - h - l) / (h - l + 1e-12);
    case 'OPEN0':
      return o / c;
    case 'HIGH0':
      return h / c;
    case 'LOW0':
      return l / c;
    case 'VWAP0':
      return s.vwap[t] / c;
    default:
      throw new Error(`reference: unknown feature ${name}`);
  }
}

/** All 158 features at row t, in the order of ALPHA158_NAMES (parsed back into operator and window). */
export function referenceAlpha158(series: OhlcvSeries, t: number): number[] {
  if (t < 60) throw new Error(`reference: row ${t} has fewer than 61 rows of history`);
  return ALPHA158_NAMES.map((name) => {
    const match = /^([A-Z]+?)(5|10|20|30|60)$/.exec(name);
    if (match === null) return barFeature(series, name, t);
    return rollingFeature(series, match[1], t, Number(match[2]));
  });
}
