import { MS_PER_S } from '../core/units.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { defaultSymbols } from '../../src/market/symbols.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { FEATURE_KEY_NAMESPACE } from '../../src/cache/feature-key.ts';
import { ConfigError } from '../errors.ts';
import { createKeyChooser } from '../load/key-distributions.ts';
import { constantProblems } from '../load/key-distribution-spec.ts';
import type { KeyTrace } from '../analysis/miss-ratio-curve.ts';

/**
 * The signal service's read traffic as a model: requests for (symbol, date) feature vectors,
 * symbols skewed by popularity (zipfian: a few large caps get most requests) and dates skewed to
 * the most recent (YCSB "latest": today's features are what a live signal needs), at a steady
 * request rate, each read cache-aside with a TTL on the fill.
 */
export interface SignalWorkload {
  /** Universe of symbols (the document's service: 500 to 5,000). */
  readonly symbols: number;
  /** Trading dates a request may ask for, ending at endDate. */
  readonly dates: number;
  /** Zipfian constant over symbols (0.99: YCSB's default). */
  readonly symbolTheta: number;
  /** "latest" constant over dates (the newest date most popular). */
  readonly dateTheta: number;
  /** Requests per second of the trace (the replay sends them at this rate). */
  readonly requestsPerSecond: number;
  /** Accesses in the trace. */
  readonly accesses: number;
  readonly endDate: string;
  readonly seed: number;
}

export const DEFAULT_SIGNAL_WORKLOAD: SignalWorkload = {
  symbols: 500,
  dates: 20,
  symbolTheta: 0.99,
  dateTheta: 0.99,
  requestsPerSecond: 1_000,
  accesses: 60_000,
  endDate: '2025-01-17',
  seed: 42,
};

export const WORKLOAD_LIMITS = {
  maxSymbols: 100_000,
  maxDates: 2_520,
  maxKeys: 20_000_000,
  maxAccesses: 50_000_000,
  maxRequestsPerSecond: 10_000_000,
} as const;

/** Every problem with a workload, each naming the field and the accepted range; empty when valid. */
export function workloadProblems(w: SignalWorkload): string[] {
  const problems: string[] = [];
  const integer = (name: string, value: number, min: number, max: number): void => {
    if (!Number.isSafeInteger(value) || value < min || value > max)
      problems.push(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  };
  integer('symbols', w.symbols, 1, WORKLOAD_LIMITS.maxSymbols);
  integer('dates', w.dates, 1, WORKLOAD_LIMITS.maxDates);
  integer('accesses', w.accesses, 1, WORKLOAD_LIMITS.maxAccesses);
  if (problems.length === 0 && w.symbols * w.dates > WORKLOAD_LIMITS.maxKeys)
    problems.push(`symbols x dates = ${w.symbols * w.dates} keys; at most ${WORKLOAD_LIMITS.maxKeys}`);
  for (const [name, theta] of [
    ['symbolTheta', w.symbolTheta],
    ['dateTheta', w.dateTheta],
  ] as const) {
    for (const problem of constantProblems(theta)) problems.push(`${name}: ${problem}`);
  }
  if (!(
    Number.isFinite(w.requestsPerSecond) &&
    w.requestsPerSecond > 0 &&
    w.requestsPerSecond <= WORKLOAD_LIMITS.maxRequestsPerSecond
  )) {
    problems.push(
      `requestsPerSecond must be a number above 0 and at most ${WORKLOAD_LIMITS.maxRequestsPerSecond}, got ${String(w.requestsPerSecond)}`,
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(w.endDate))
    problems.push(`endDate must be YYYY-MM-DD, got ${JSON.stringify(w.endDate)}`);
  return problems;
}

export function assertValidWorkload(w: SignalWorkload): void {
  const problems = workloadProblems(w);
  if (problems.length > 0)
    throw new ConfigError(`invalid workload: ${problems.join('; ')}`, {
      problems,
      hint: 'fix the workload parameters (see `rpb list` or `rpb capacity --help`)',
    });
}

/** A seeded access trace of the workload: key id = symbol x dates + date, times at the request rate. */
export interface SignalTrace extends KeyTrace {
  readonly workload: SignalWorkload;
  readonly durationMs: number;
  /** `features:{symbol}:{date}` of a key id. */
  keyName(id: number): string;
}

export function generateSignalTrace(workload: SignalWorkload): SignalTrace {
  assertValidWorkload(workload);
  const symbolChooser = createKeyChooser(
    { kind: 'zipfian', constant: workload.symbolTheta },
    workload.symbols,
    SeededRandom.forKey(workload.seed, 'workload-symbols'),
  );
  const dateChooser = createKeyChooser(
    { kind: 'latest', constant: workload.dateTheta },
    workload.dates,
    SeededRandom.forKey(workload.seed, 'workload-dates'),
  );
  const keys = new Int32Array(workload.accesses);
  const timesMs = new Float64Array(workload.accesses);
  const msPerRequest = MS_PER_S / workload.requestsPerSecond;
  for (let i = 0; i < workload.accesses; i++) {
    keys[i] = symbolChooser.next() * workload.dates + dateChooser.next();
    timesMs[i] = i * msPerRequest;
  }
  const symbols = defaultSymbols(workload.symbols);
  const dates = tradingDaysEndingAt(workload.endDate, workload.dates);
  return {
    workload,
    keys,
    timesMs,
    keySpace: workload.symbols * workload.dates,
    durationMs: workload.accesses * msPerRequest,
    keyName: (id: number) =>
      `${FEATURE_KEY_NAMESPACE}:${symbols[Math.floor(id / workload.dates)]}:${dates[id % workload.dates]}`,
  };
}

/** Share of all requests that go to the most popular symbol, and to the most popular key. */
export function hottestShares(workload: SignalWorkload): { readonly symbol: number; readonly key: number } {
  const zeta = (n: number, theta: number): number => {
    let sum = 0;
    // Exact for small n; the tail past 100k items changes the share by far less than it is reported with.
    for (let i = 1; i <= Math.min(n, 100_000); i++) sum += 1 / i ** theta;
    return sum;
  };
  const symbol = 1 / zeta(workload.symbols, workload.symbolTheta);
  return { symbol, key: symbol / zeta(workload.dates, workload.dateTheta) };
}
