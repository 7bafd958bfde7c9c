/** The chaos suite's parameters: defaults, the --quick set, and what a user may --set. */
import type { TunableSpec } from '../../bench/core/tunables.ts';
import { CHAOS_FAULT_IDS } from './chaos-faults.ts';
import type { ChaosParams } from './chaos-types.ts';

export const DEFAULT_CHAOS_PARAMS: ChaosParams = {
  fault: 'all',
  preMs: 3_000,
  faultMs: 10_000,
  postMs: 7_000,
  rateOpsPerSecond: 200,
  requestCapMs: 30_000,
  sampleMs: 250,
  coldFraction: 0.2,
  ttlSeconds: 3_600,
  ttlJitterFraction: 0.1,
  commandTimeoutMs: 100,
  callTimeoutMs: 150,
  failureThreshold: 3,
  openDurationMs: 500,
  reconnectMaxDelayMs: 500,
  symbolCount: 60,
  hotSymbols: 20,
  hotDates: 5,
  keyDates: 40,
  bucketMs: 1_000,
  steadyWindowMs: 500,
  fullFraction: 0.7,
  latencyMs: 50,
};

/** --quick: short windows (the whole suite in about two minutes), a 2 s cap on the naive client. */
export const QUICK_CHAOS_PARAMS: ChaosParams = {
  ...DEFAULT_CHAOS_PARAMS,
  preMs: 800,
  faultMs: 1_200,
  postMs: 1_500,
  requestCapMs: 2_000,
  sampleMs: 100,
  bucketMs: 250,
  steadyWindowMs: 250,
};

const ms = (max: number, description: string): TunableSpec => ({ kind: 'integer', min: 1, max, description });

export const CHAOS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  fault: {
    kind: 'choice',
    values: ['all', ...CHAOS_FAULT_IDS],
    description: 'which fault the chaos suite runs (each also has its own scenario chaos-<fault>)',
  },
  preMs: ms(600_000, 'steady load before the fault is injected'),
  faultMs: ms(
    600_000,
    'fault window: inject at preMs, heal this much later (e.g. 90000 to see when ioredis defaults give up)',
  ),
  postMs: ms(600_000, 'load after the heal (recovery)'),
  rateOpsPerSecond: {
    kind: 'integer',
    min: 1,
    max: 5_000,
    description: 'open-loop request rate (single-symbol signal requests)',
  },
  requestCapMs: ms(
    600_000,
    'harness cap on one request, so a client that waits forever still ends the run (the request counts as capped)',
  ),
  coldFraction: {
    kind: 'number',
    min: 0,
    max: 1,
    description: 'share of requests for keys drawn from the whole key space (mostly misses, which write)',
  },
  ttlJitterFraction: { kind: 'number', min: 0, max: 0.99, description: 'TTL jitter of the safe client' },
  commandTimeoutMs: ms(60_000, 'safe client: ioredis commandTimeout'),
  callTimeoutMs: ms(60_000, 'safe client: hard bound on one cache call'),
  failureThreshold: {
    kind: 'integer',
    min: 1,
    max: 1_000,
    description: 'safe client: consecutive failures that open the circuit',
  },
  openDurationMs: ms(600_000, 'safe client: open circuit before a half-open probe'),
  reconnectMaxDelayMs: {
    kind: 'integer',
    min: 50,
    max: 600_000,
    description:
      'safe client: cap of the reconnection backoff (src/redis/client-options.ts default: 500; the bound "first hit within 1 s after a restart" needs it well below 1000)',
  },
  fullFraction: {
    kind: 'number',
    min: 0.05,
    max: 0.95,
    description: 'maxmemory faults: share of the cached data that still fits',
  },
};
