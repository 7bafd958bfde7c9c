/** The chaos suite's parameters: defaults, the --quick set, and what a user may --set. */
import type { TunableSpec } from '../../bench/core/tunables.ts';
import { CHAOS_FAULT_IDS } from './chaos-faults.ts';
import type { ChaosParams } from './chaos-types.ts';

/**
 * Defaults: every fault; six windows per judged client of each fault a claim is judged on, one of
 * the others. The cap is about three fault windows: ioredis defaults reconnect within it after a
 * restart, and a request still waiting then counts as not completed.
 */
export const DEFAULT_CHAOS_PARAMS: ChaosParams = {
  fault: 'all',
  trials: 6,
  otherFaultTrials: 1,
  preMs: 200,
  faultMs: 600,
  postMs: 300,
  rateOpsPerSecond: 200,
  requestCapMs: 2_000,
  sampleMs: 100,
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
  bucketMs: 250,
  steadyWindowMs: 250,
  latencyMs: 50,
};

/**
 * --quick: kill and black hole only (the absent and cache-full claims are "not measured": measuring
 * them too, `--set fault=claims`, adds about 13 s, which a 2-minute `rpb validate --quick` has no
 * room for), six shorter windows per judged client, the other clients skipped.
 */
export const QUICK_CHAOS_PARAMS: ChaosParams = {
  ...DEFAULT_CHAOS_PARAMS,
  fault: 'kill-and-blackhole',
  otherFaultTrials: 0,
  preMs: 100,
  faultMs: 250,
  postMs: 150,
  requestCapMs: 1_000,
  sampleMs: 50,
  bucketMs: 100,
};

const ms = (max: number, description: string): TunableSpec => ({ kind: 'integer', min: 1, max, description });

export const CHAOS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  fault: {
    kind: 'choice',
    values: ['all', 'claims', 'kill-and-blackhole', ...CHAOS_FAULT_IDS],
    description:
      'which faults the chaos suite runs: all, the ones claims are judged on (kill, absent, blackhole, full-lru), kill-and-blackhole (--quick), or one (each also has its own scenario chaos-<fault>)',
  },
  trials: {
    kind: 'integer',
    min: 1,
    max: 100,
    description:
      'fault windows per judged client (safe, naive) of each fault a claim is judged on, and per client of a fault run alone (one trial each; a verdict needs 6)',
  },
  otherFaultTrials: {
    kind: 'integer',
    min: 0,
    max: 100,
    description:
      'fault windows per client of the other faults and clients (safe-no-reset, safe-no-sf), in the suite (0: skip them)',
  },
  preMs: ms(600_000, 'steady load before the fault is injected, in each window'),
  faultMs: ms(
    600_000,
    'fault window: inject at preMs, heal this much later (e.g. 90000 with trials=1 to see when ioredis defaults give up)',
  ),
  postMs: ms(600_000, 'load after the heal (recovery), in each window'),
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
};
