import { SignalInputError } from '../../src/errors.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import type { MarketDataSource } from '../../src/market/market-data-source.ts';
import type { OhlcvSeries } from '../../src/market/ohlcv-series.ts';
import { defaultSymbols, generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';

/** The document's example date: the last trading day of the synthetic history. */
export const LAST_DATE = '2025-01-17';
/** Alpha158 needs 61 rows before its as-of date; rounds step back one trading day each. */
const HISTORY_DAYS = 120;

/** What both processes build the same market from (plain JSON: it crosses to the second process). */
export interface MarketSpec {
  readonly symbols: readonly string[];
  readonly seed: number;
}

/** The symbol-dates of one round: every symbol at one as-of date (round r: r trading days before LAST_DATE). */
export interface RoundKeys {
  readonly round: number;
  readonly date: string;
  readonly symbols: readonly string[];
}

export function marketSpec(symbolCount: number, seed: number): MarketSpec {
  return { symbols: defaultSymbols(symbolCount), seed };
}

/** One as-of date per round, newest first; at most HISTORY_DAYS - 61 rounds. */
export function roundKeys(spec: MarketSpec, rounds: number): RoundKeys[] {
  const dates = tradingDaysEndingAt(LAST_DATE, HISTORY_DAYS);
  if (rounds > HISTORY_DAYS - 61) throw new RangeError(`at most ${HISTORY_DAYS - 61} rounds (got ${rounds})`);
  return Array.from({ length: rounds }, (_, round) => ({
    round,
    date: dates[dates.length - 1 - round]!,
    symbols: spec.symbols,
  }));
}

/** Synthetic bars from memory (seeded), the same in any process: the system under test's market source. */
export class SpecMarket implements MarketDataSource {
  readonly #series: Map<string, OhlcvSeries>;

  constructor(spec: MarketSpec) {
    const dates = tradingDaysEndingAt(LAST_DATE, HISTORY_DAYS);
    this.#series = new Map(spec.symbols.map((symbol) => [symbol, generateOhlcv({ symbol, dates, seed: spec.seed })]));
  }

  async readSeries(symbol: string): Promise<OhlcvSeries> {
    const found = this.#series.get(symbol);
    if (found === undefined) throw new SignalInputError('unknown-symbol', `no market data for ${symbol}`);
    return found;
  }

  /** The reference: Alpha158 computed directly from the bars, no cache anywhere. */
  computed(symbol: string, date: string): Float64Array {
    const found = this.#series.get(symbol);
    if (found === undefined) throw new SignalInputError('unknown-symbol', `no market data for ${symbol}`);
    return computeAlpha158(found, date);
  }
}
