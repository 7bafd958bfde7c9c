/** The pubsub-latency scenario's parameters: defaults, --quick, what a user may --set, and the run-time limit. */
import { ConfigError } from '../../bench/errors.ts';
import type { TunableSpec, TunableValue } from '../../bench/core/tunables.ts';

export const SCENARIO_ID = 'pubsub-latency';

export interface PubsubLatencyParams {
  readonly rounds: number;
  /** Paced publishing per cell (rate x payload) and round. */
  readonly cellDurationMs: number;
  readonly warmupDurationMs: number;
  readonly rates: readonly number[];
  readonly payloadBytes: readonly number[];
  /** The cell the claim is judged on: the document's case, a small event at a modest rate. */
  readonly referenceRate: number;
  readonly referencePayloadBytes: number;
  /** Rate of the system-under-test path (EventPublisher -> EventSubscriber with validation); 0: skip. */
  readonly signalEventRate: number;
}

export const DEFAULT_PUBSUB_LATENCY_PARAMS: PubsubLatencyParams = {
  rounds: 5,
  cellDurationMs: 2_000,
  warmupDurationMs: 1_000,
  rates: [1_000, 10_000, 30_000],
  payloadBytes: [256, 4_096, 65_536],
  referenceRate: 1_000,
  referencePayloadBytes: 256,
  signalEventRate: 1_000,
};

export const QUICK_PUBSUB_LATENCY_PARAMS: PubsubLatencyParams = {
  ...DEFAULT_PUBSUB_LATENCY_PARAMS,
  rounds: 3,
  cellDurationMs: 700,
  warmupDurationMs: 300,
  rates: [1_000, 10_000],
  payloadBytes: [256, 4_096],
};

/** A whole run longer than this is refused: a typo (cellDurationMs=600000) must not hold the machine for hours. */
const MAX_RUN_MS = 20 * 60_000;

export const PUBSUB_LATENCY_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 3,
    max: 50,
    description: 'rounds (trials behind the verdict); each round visits every rate x payload cell',
  },
  cellDurationMs: { kind: 'integer', min: 100, max: 60_000, description: 'paced publishing per cell and round' },
  warmupDurationMs: { kind: 'integer', min: 0, max: 60_000, description: 'warm-up, not recorded' },
  signalEventRate: {
    kind: 'integer',
    min: 0,
    max: 10_000,
    description: 'SignalEvents/s through EventPublisher -> EventSubscriber (the system under test); 0 skips that cell',
  },
};

/** Quick or full defaults with the user's --set values; a run that would exceed MAX_RUN_MS is a ConfigError. */
export function resolvePubsubLatencyParams(
  quick: boolean,
  overrides: Readonly<Record<string, TunableValue>>,
): PubsubLatencyParams {
  const params = {
    ...(quick ? QUICK_PUBSUB_LATENCY_PARAMS : DEFAULT_PUBSUB_LATENCY_PARAMS),
    ...overrides,
  } as PubsubLatencyParams;
  const cells = params.rates.length * params.payloadBytes.length + (params.signalEventRate > 0 ? 1 : 0);
  const runMs = params.warmupDurationMs + params.rounds * cells * params.cellDurationMs;
  if (runMs > MAX_RUN_MS) {
    throw new ConfigError(
      `${SCENARIO_ID}: rounds=${params.rounds} x ${cells} cells x cellDurationMs=${params.cellDurationMs} would publish for ${Math.round(runMs / 60_000)} min, more than the ${MAX_RUN_MS / 60_000} min limit`,
      {
        hint: `lower --set rounds or --set cellDurationMs (e.g. --set cellDurationMs=2000)`,
      },
    );
  }
  return params;
}
