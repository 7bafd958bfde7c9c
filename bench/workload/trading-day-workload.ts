import { MS_PER_S } from '../core/units.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { defaultSymbols } from '../../src/market/symbols.ts';
import {
  epochDayToIso,
  isIsoDate,
  isTradingEpochDay,
  isoToEpochDay,
  tradingDaysEndingAt,
} from '../../src/market/trading-calendar.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { ConfigError } from '../errors.ts';
import { createKeyChooser } from '../load/key-distributions.ts';
import { constantProblems } from '../load/key-distribution-spec.ts';
import type { KeyChooser } from '../load/key-chooser.ts';
import type { KeyTrace } from '../analysis/miss-ratio-curve.ts';

/**
 * One trading day of the signal service's reads, on a simulated clock: during the session, signal
 * requests arrive as a Poisson process; each asks features for `symbolsPerRequest` distinct symbols
 * (zipfian: a few large caps get most requests, the same ranking every day) at one date, the day's
 * own date most often and older dates of the lookback less and less (zipfian over the offset in
 * trading days). The dates roll over from one day to the next: day d+1's "one day ago" is day d's
 * "today". Every lookup is cache-aside with the TTL on the fill.
 */
export interface TradingDayWorkload {
  /** Universe of symbols (the document's service: 500 to 5,000). */
  readonly symbols: number;
  /** Trading dates a request may ask for, ending at the day's own date. */
  readonly lookbackDates: number;
  /** Zipfian constant over symbols (0.99: YCSB's default). */
  readonly symbolTheta: number;
  /** Zipfian constant over the date's offset from the day's own date (offset 0 the most requested). */
  readonly dateTheta: number;
  /** Signal requests per simulated second during the session. */
  readonly signalRequestsPerSecond: number;
  /** Symbols per signal request (the document's example request has 5). */
  readonly symbolsPerRequest: number;
  /** Length of the session in simulated seconds (09:30-16:00: 23,400). */
  readonly sessionSeconds: number;
  /** Day 0's date; day d is the d-th trading day after it. */
  readonly firstDate: string;
  readonly seed: number;
}

export const DEFAULT_TRADING_DAY: TradingDayWorkload = {
  symbols: 500,
  lookbackDates: 20,
  symbolTheta: 0.99,
  dateTheta: 0.99,
  signalRequestsPerSecond: 1,
  symbolsPerRequest: 5,
  sessionSeconds: 23_400,
  firstDate: '2025-01-13',
  seed: 42,
};

/** One day's lookups: key id = symbol x lookbackDates + (lookbackDates - 1 - offset); times in simulated ms. */
export interface TradingDayTrace extends KeyTrace {
  readonly workload: TradingDayWorkload;
  readonly day: number;
  /** The day's own date (offset 0). */
  readonly date: string;
  /** The session's length in simulated ms. */
  readonly durationMs: number;
  /** `features:{symbol}:{date}` of a key id. */
  keyName(id: number): string;
}

/** Every problem with a workload, each naming the field and the accepted range; empty when valid. */
export function tradingDayProblems(w: TradingDayWorkload): string[] {
  const problems: string[] = [];
  const integer = (name: string, value: number, min: number): void => {
    if (!Number.isSafeInteger(value) || value < min)
      problems.push(`${name} must be an integer >= ${min}, got ${value}`);
  };
  integer('symbols', w.symbols, 1);
  integer('lookbackDates', w.lookbackDates, 1);
  integer('symbolsPerRequest', w.symbolsPerRequest, 1);
  if (w.symbolsPerRequest > w.symbols)
    problems.push(`symbolsPerRequest (${w.symbolsPerRequest}) must not exceed symbols (${w.symbols})`);
  for (const [name, value] of [
    ['signalRequestsPerSecond', w.signalRequestsPerSecond],
    ['sessionSeconds', w.sessionSeconds],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0)) problems.push(`${name} must be a number above 0, got ${value}`);
  }
  for (const [name, theta] of [
    ['symbolTheta', w.symbolTheta],
    ['dateTheta', w.dateTheta],
  ] as const) {
    for (const problem of constantProblems(theta)) problems.push(`${name}: ${problem}`);
  }
  if (!isIsoDate(w.firstDate)) problems.push(`firstDate must be YYYY-MM-DD, got ${JSON.stringify(w.firstDate)}`);
  return problems;
}

/** The trading date of day `day`: firstDate (or the first trading day after it) moved `day` trading days on. */
export function tradingDayDate(firstDate: string, day: number): string {
  let epochDay = isoToEpochDay(firstDate, 'firstDate');
  while (!isTradingEpochDay(epochDay)) epochDay += 1;
  for (let moved = 0; moved < day;) {
    epochDay += 1;
    if (isTradingEpochDay(epochDay)) moved += 1;
  }
  return epochDayToIso(epochDay);
}

/** k distinct symbols drawn from the chooser (rejecting repeats), k <= the universe. */
function distinctDraws(chooser: KeyChooser, k: number, into: Int32Array): void {
  for (let filled = 0; filled < k;) {
    const symbol = chooser.next();
    let repeat = false;
    for (let j = 0; j < filled; j++) if (into[j] === symbol) repeat = true;
    if (!repeat) into[filled++] = symbol;
  }
}

/** The lookups of trading day `day` (0-based) of the workload, seeded by (seed, day): each day its own draw. */
export function generateTradingDayTrace(workload: TradingDayWorkload, day: number): TradingDayTrace {
  const problems = tradingDayProblems(workload);
  if (!Number.isSafeInteger(day) || day < 0) problems.push(`day must be an integer >= 0, got ${day}`);
  if (problems.length > 0)
    throw new ConfigError(`invalid trading-day workload: ${problems.join('; ')}`, {
      problems,
      hint: 'fix the workload parameters (see `rpb list`)',
    });
  const { symbols, lookbackDates, symbolsPerRequest } = workload;
  const random = SeededRandom.forKey(workload.seed, `trading-day-${day}`);
  const symbolChooser = createKeyChooser({ kind: 'zipfian', constant: workload.symbolTheta }, symbols, random);
  const offsetChooser = createKeyChooser({ kind: 'zipfian', constant: workload.dateTheta }, lookbackDates, random);
  const durationMs = workload.sessionSeconds * MS_PER_S;
  const meanGapMs = MS_PER_S / workload.signalRequestsPerSecond;
  const keys: number[] = [];
  const times: number[] = [];
  const drawn = new Int32Array(symbolsPerRequest);
  for (let t = random.nextExponential(meanGapMs); t < durationMs; t += random.nextExponential(meanGapMs)) {
    const dateIndex = lookbackDates - 1 - offsetChooser.next();
    distinctDraws(symbolChooser, symbolsPerRequest, drawn);
    for (const symbol of drawn) {
      keys.push(symbol * lookbackDates + dateIndex);
      times.push(t);
    }
  }
  const date = tradingDayDate(workload.firstDate, day);
  const dates = tradingDaysEndingAt(date, lookbackDates);
  const names = defaultSymbols(symbols);
  return {
    workload,
    day,
    date,
    durationMs,
    keys: Int32Array.from(keys),
    timesMs: Float64Array.from(times),
    keySpace: symbols * lookbackDates,
    keyName: (id: number) => featureKey(names[Math.floor(id / lookbackDates)], dates[id % lookbackDates]),
  };
}

/** The lookups of a day before `endMs` (simulated): the same day cut short, for replays that need not run it all. */
export function traceUntil(trace: TradingDayTrace, endMs: number): TradingDayTrace {
  if (endMs >= trace.durationMs) return trace;
  let end = 0;
  while (end < trace.timesMs.length && trace.timesMs[end] < endMs) end += 1;
  return { ...trace, durationMs: endMs, keys: trace.keys.subarray(0, end), timesMs: trace.timesMs.subarray(0, end) };
}

/**
 * The TTL as Redis must see it when `acceleration` simulated seconds pass per real second: the
 * simulated TTL divided by the acceleration, in whole milliseconds for SET PX (at least 1).
 */
export function scaledTtlMs(ttlSeconds: number, acceleration: number): number {
  return Math.max(1, Math.round((ttlSeconds * MS_PER_S) / acceleration));
}

/**
 * Working set with the TTL as its window (Denning): the mean number of distinct keys requested per
 * window of `windowMs`, over the whole windows from `fromMs` on (the partial last one left out; a
 * trace shorter than one window counts its part from `fromMs`). What an unlimited cache holds at once.
 */
export function workingSetKeys(trace: KeyTrace, windowMs: number, fromMs: number): number {
  const lastTime = trace.timesMs.length > 0 ? trace.timesMs[trace.timesMs.length - 1] : fromMs;
  const whole = Math.floor((lastTime - fromMs) / windowMs);
  const windows = Math.max(1, whole);
  const endMs = whole >= 1 ? fromMs + whole * windowMs : Number.POSITIVE_INFINITY;
  const seenIn = new Int32Array(trace.keySpace).fill(-1);
  let distinct = 0;
  for (let i = 0; i < trace.keys.length; i++) {
    const t = trace.timesMs[i];
    if (t < fromMs || t >= endMs) continue;
    const window = Math.floor((t - fromMs) / windowMs);
    if (seenIn[trace.keys[i]] !== window) {
      seenIn[trace.keys[i]] = window;
      distinct += 1;
    }
  }
  return distinct / windows;
}
