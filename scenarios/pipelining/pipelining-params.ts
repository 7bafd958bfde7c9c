/** The pipelining scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { RoundPlan } from '../../bench/run/round-runner.ts';
import { ConfigError } from '../../bench/errors.ts';
import { NUMBER_LIST_SEPARATOR, parseNumberList } from '../../bench/core/tunables.ts';
import type { TunableSpec, TunableValue } from '../../bench/core/tunables.ts';

/**
 * An iteration of the round runner is one visit of one cell (batch size x added round trip), which
 * times the four fetch modes once each. The per-round counts below are per cell.
 */
export interface PipeliningParams extends RoundPlan {
  /**
   * Visits per round at least of the cell the claims are judged on (5 GETs at +1 ms): each trial's
   * p50s are medians of that many fetches, whatever share of the round's time the cell gets.
   */
  readonly exampleVisitsPerRound: number;
  readonly batchSizes: readonly number[];
  /**
   * Added round trips in ms; 0 is the direct connection, the others go through the fault proxy.
   * 1 ms is the document's premise ("5 × 1ms = 5ms"): its three claims are judged there.
   */
  readonly addedRttsMs: readonly number[];
  /** TTL of the keys written, so that a Redis given by URL does not keep them if the run dies. */
  readonly ttlSeconds: number;
}

/**
 * Rounds are the trials: 9 give a 95% interval that drops the lowest and the highest round. One
 * visit of every cell takes about 0.9 s (500 sequential GETs at +1 ms alone take 0.6 s), so a
 * round's minimum is one visit per cell (15 of the document's 5 GETs, whose p50s are the trials)
 * and the rest of its time goes to the cheap cells. The +2 ms column doubles that cost and shows what +1 ms shows (a
 * speedup that grows with the round trip): `--set addedRttsMs=0:1:2` adds it.
 */
export const DEFAULT_PIPELINING_PARAMS: PipeliningParams = {
  rounds: 9,
  roundDurationMs: 1_500,
  minIterationsPerRound: 1,
  exampleVisitsPerRound: 15,
  maxIterationsPerRound: 20_000,
  // Connections, proxies and the JIT only: no cell owes the warm-up a visit.
  warmupDurationMs: 300,
  warmupIterations: 0,
  batchSizes: [1, 5, 10, 50, 100, 500],
  // No 0.5 ms: the proxy's timers wait at least 1 ms, so it would add what 1 ms adds.
  addedRttsMs: [0, 1],
  ttlSeconds: 3_600,
};

/** --quick: 6 rounds (the fewest that give a verdict), three batch sizes, no added RTT and the document's 1 ms. */
export const QUICK_PIPELINING_PARAMS: PipeliningParams = {
  ...DEFAULT_PIPELINING_PARAMS,
  rounds: 6,
  // The 50 GETs at +1 ms take about 65 ms of a round, the 8 visits of the document's 5 GETs about 90.
  roundDurationMs: 250,
  exampleVisitsPerRound: 8,
  warmupDurationMs: 150,
  batchSizes: [1, 5, 50],
};

/** The largest batch: every batch reads the first keys of one stored set of this many. */
export const MAX_BATCH = 2_000;
/** The largest added round trip in ms (a sequential batch pays it once per key). */
export const MAX_ADDED_RTT_MS = 10;

/** What `--set` may change. */
export const PIPELINING_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: { kind: 'integer', min: 3, max: 1_000, description: 'rounds (trials behind every verdict)' },
  roundDurationMs: {
    kind: 'integer',
    min: 50,
    max: 600_000,
    description: 'length of one round, shared equally in time by every batch size x round trip',
  },
  minIterationsPerRound: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'visits of every batch size x round trip per round at least (each visit times the four modes once)',
  },
  exampleVisitsPerRound: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'visits per round at least of the judged cell (5 GETs at +1 ms): fetches behind each trial',
  },
  warmupDurationMs: { kind: 'integer', min: 0, max: 600_000, description: 'warm-up before the first round' },
  batchSizes: {
    kind: 'number-list',
    min: 1,
    max: MAX_BATCH,
    maxItems: 10,
    description: `keys fetched per batch, e.g. 1${NUMBER_LIST_SEPARATOR}5${NUMBER_LIST_SEPARATOR}50; the claims need 5`,
  },
  addedRttsMs: {
    kind: 'number-list',
    min: 0,
    max: MAX_ADDED_RTT_MS,
    maxItems: 5,
    description: `round trips added through the fault proxy in ms (0: direct), e.g. 0${NUMBER_LIST_SEPARATOR}1${NUMBER_LIST_SEPARATOR}2; the claims need 1`,
  },
};

/** The numbers of a checked number-list tunable, distinct and ascending. */
function listOf(text: string): number[] {
  return [...new Set(parseNumberList(text) ?? [])].sort((a, b) => a - b);
}

/**
 * The defaults (or the --quick set) with the user's `--set` values, checked already; the two lists
 * arrive as text and are read here. A batch size that is not a whole number is a ConfigError.
 */
export function resolvePipeliningParams(
  quick: boolean,
  overrides: Readonly<Record<string, TunableValue>>,
): PipeliningParams {
  const { batchSizes, addedRttsMs, ...numbers } = overrides;
  const base = quick ? QUICK_PIPELINING_PARAMS : DEFAULT_PIPELINING_PARAMS;
  const batches = batchSizes === undefined ? base.batchSizes : listOf(String(batchSizes));
  if (!batches.every(Number.isInteger))
    throw new ConfigError(`pipelining.batchSizes=${String(batchSizes)}: batch sizes are whole numbers of keys`);
  return {
    ...base,
    ...(numbers as Partial<PipeliningParams>),
    batchSizes: batches,
    addedRttsMs: addedRttsMs === undefined ? base.addedRttsMs : listOf(String(addedRttsMs)),
  };
}
