/** The pubsub-latency scenario's parameters: defaults, --quick, what a user may --set, and the run-time limit. */
import { ConfigError } from '../../bench/errors.ts';
import type { TunableSpec, TunableValue } from '../../bench/core/tunables.ts';

export const SCENARIO_ID = 'pubsub-latency';

/** One paced publishing condition: events per second and payload size. */
export interface LatencyCell {
  readonly rate: number;
  readonly bytes: number;
}

export interface PubsubLatencyParams {
  /** Rounds, one trial each: fresh connections, a short warm-up, then every cell in a shuffled order. */
  readonly rounds: number;
  /** Paced publishing per cell and round. */
  readonly cellDurationMs: number;
  /** Once before the first round: every cell visited on throwaway connections (code paths, JIT), not recorded. */
  readonly warmupDurationMs: number;
  /** Per round, on its fresh connections: this many events at the reference cell, not recorded. */
  readonly roundWarmupEvents: number;
  readonly cells: readonly LatencyCell[];
  /** The cell the claim is judged on: the document's case, a small event at a modest rate. */
  readonly referenceRate: number;
  readonly referencePayloadBytes: number;
  /** Rate of the system-under-test path (EventPublisher -> EventSubscriber with validation); 0: skip. */
  readonly signalEventRate: number;
}

export const DEFAULT_PUBSUB_LATENCY_PARAMS: PubsubLatencyParams = {
  rounds: 6,
  cellDurationMs: 500,
  warmupDurationMs: 500,
  roundWarmupEvents: 50,
  // Rates up to 30k/s for small events, payloads up to 64 KB at the modest rate: 30k/s x 64 KB (2 GB/s) is
  // beyond what the machine carries, and measured only how far the publisher fell behind.
  cells: [
    { rate: 1_000, bytes: 256 },
    { rate: 10_000, bytes: 256 },
    { rate: 30_000, bytes: 256 },
    { rate: 1_000, bytes: 4_096 },
    { rate: 10_000, bytes: 4_096 },
    { rate: 1_000, bytes: 65_536 },
  ],
  referenceRate: 1_000,
  referencePayloadBytes: 256,
  signalEventRate: 1_000,
};

export const QUICK_PUBSUB_LATENCY_PARAMS: PubsubLatencyParams = {
  ...DEFAULT_PUBSUB_LATENCY_PARAMS,
  cellDurationMs: 200,
  warmupDurationMs: 200,
  // Two rates x two payloads, so the report's latency-vs-rate chart has a line per payload (+2.4 s).
  cells: [
    { rate: 1_000, bytes: 256 },
    { rate: 10_000, bytes: 256 },
    { rate: 1_000, bytes: 4_096 },
    { rate: 10_000, bytes: 4_096 },
  ],
};

/** A whole run longer than this is refused: a typo (cellDurationMs=600000) must not hold the machine for hours. */
const MAX_RUN_MS = 20 * 60_000;

export const PUBSUB_LATENCY_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 3,
    max: 50,
    description:
      'rounds (trials behind the verdict; 6 or more for a verdict); each opens fresh connections and visits every cell in a shuffled order',
  },
  cellDurationMs: { kind: 'integer', min: 100, max: 60_000, description: 'paced publishing per cell and round' },
  warmupDurationMs: {
    kind: 'integer',
    min: 0,
    max: 60_000,
    description: 'warm-up before the first round over every cell, not recorded',
  },
  signalEventRate: {
    kind: 'integer',
    min: 0,
    max: 10_000,
    description: 'SignalEvents/s through EventPublisher -> EventSubscriber (the system under test); 0 skips that cell',
  },
};

/** Cells a round visits, the SignalEvent cell included. */
export function cellsPerRound(params: PubsubLatencyParams): number {
  return params.cells.length + (params.signalEventRate > 0 ? 1 : 0);
}

/** Quick or full defaults with the user's --set values; a run that would exceed MAX_RUN_MS is a ConfigError. */
export function resolvePubsubLatencyParams(
  quick: boolean,
  overrides: Readonly<Record<string, TunableValue>>,
): PubsubLatencyParams {
  const params = {
    ...(quick ? QUICK_PUBSUB_LATENCY_PARAMS : DEFAULT_PUBSUB_LATENCY_PARAMS),
    ...overrides,
  } as PubsubLatencyParams;
  const cells = cellsPerRound(params);
  const runMs = params.warmupDurationMs + params.rounds * cells * params.cellDurationMs;
  if (runMs > MAX_RUN_MS) {
    throw new ConfigError(
      `${SCENARIO_ID}: rounds=${params.rounds} x ${cells} cells x cellDurationMs=${params.cellDurationMs} would publish for ${Math.round(runMs / 60_000)} min, more than the ${MAX_RUN_MS / 60_000} min limit`,
      {
        hint: `lower --set rounds or --set cellDurationMs (e.g. --set cellDurationMs=500)`,
      },
    );
  }
  return params;
}
