import { KEY_DISTRIBUTION_KINDS } from '../../bench/load/key-distribution-spec.ts';
import { LOAD_DRIVERS } from '../../bench/load/worker-protocol.ts';
import type { LoadDriver } from '../../bench/load/worker-protocol.ts';
import { NUMBER_LIST_SEPARATOR } from '../../bench/core/tunables.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

export type OnOff = 'on' | 'off';
/** managed: only against the redis-server this run started; always: also a --redis-url target (opt-in); off. */
export type RedisBenchmarkMode = 'managed' | 'always' | 'off';
/** Our drivers in the redis-benchmark comparison: the speed targets' (resp) alone, or ioredis beside it. */
export type CompareDrivers = 'resp' | 'both';

export interface CommandLatencyParams {
  /** Target rates of the sweep, ops/s, run in ascending order. */
  readonly rates: readonly number[];
  /** Past the last listed rate, keep doubling until saturation or the p99 budget is exceeded. */
  readonly adaptive: OnOff;
  readonly maxAdaptiveSteps: number;
  readonly maxRate: number;
  readonly stepDurationMs: number;
  /** Before every step and each command of the first claim round, at its rate; never recorded. */
  readonly warmupDurationMs: number;
  /** p99 budget of the knee and of the claim: the document's "P99 < 5ms". */
  readonly budgetMs: number;
  /** The load the claim is checked at (see CLAIM_RATE_REASON). */
  readonly claimRate: number;
  readonly claimRounds: number;
  readonly claimRoundDurationMs: number;
  /** Clients (TCP connections); the document's pool has max_connections=10. */
  readonly connections: number;
  /** Commands pending per connection at most (open loop: in-flight bound = connections x depth). */
  readonly pipelineDepth: number;
  readonly autoPipelining: OnOff;
  /** Who sends the fixed-rate steps and claim rounds: ioredis (the system's client) or the lean RESP loop. */
  readonly driver: LoadDriver;
  readonly keyCount: number;
  readonly keyDistribution: string;
  readonly mgetSize: number;
  readonly redisBenchmark: RedisBenchmarkMode;
  /** Our closed-loop max-throughput run per command; redis-benchmark gets -n for about as long. */
  readonly compareDurationMs: number;
  /** Paired rounds of the comparison (ours and redis-benchmark back to back); ratios are their median. */
  readonly compareRounds: number;
  readonly compareDrivers: CompareDrivers;
  readonly ttlSeconds: number;
}

/**
 * The document states no request rate. Its own configuration bounds it: a pool of
 * max_connections=10, each used by a caller whose cache hit takes ~5 ms ("HIT → 5ms"), sends at
 * most 10 / 5 ms = 2,000 commands/s. The claim is checked at that peak.
 */
export const CLAIM_RATE_REASON =
  "the document gives no request rate; its own set-up bounds it: ConnectionPool(max_connections=10), each connection used by a caller whose cache hit takes ~5 ms ('HIT → 5ms'), i.e. at most 10 / 5 ms = 2,000 commands/s";

/**
 * About 40-55 s on the shared 2-core machine: 6 claim rounds of 3 x 0.7 s (the fewest trials that
 * give a verdict), a sweep of at most 5 steps of 0.7 s per command (1k, 4k, 16k, then 32k and 64k
 * ops/s while held), and the redis-benchmark comparison on the resp driver (3 paired rounds of
 * 0.7 s per command).
 */
export const DEFAULT_COMMAND_LATENCY_PARAMS: CommandLatencyParams = {
  rates: [1_000, 4_000, 16_000],
  adaptive: 'on',
  maxAdaptiveSteps: 2,
  maxRate: 1_000_000,
  stepDurationMs: 700,
  warmupDurationMs: 200,
  budgetMs: 5,
  claimRate: 2_000,
  claimRounds: 6,
  claimRoundDurationMs: 700,
  connections: 10,
  pipelineDepth: 1,
  autoPipelining: 'off',
  driver: 'ioredis',
  keyCount: 1_000,
  keyDistribution: 'uniform',
  mgetSize: 5,
  redisBenchmark: 'managed',
  compareDurationMs: 700,
  compareRounds: 3,
  compareDrivers: 'resp',
  ttlSeconds: 3_600,
};

/**
 * --quick: about 4 s of load: still 6 claim rounds (a verdict needs 6 trials), 0.15 s per command
 * (300 commands: the p99 is the 3rd slowest), one sweep step per command, no redis-benchmark
 * comparison (ask for it with --set redisBenchmark=managed).
 */
export const QUICK_COMMAND_LATENCY_PARAMS: CommandLatencyParams = {
  ...DEFAULT_COMMAND_LATENCY_PARAMS,
  rates: [10_000],
  adaptive: 'off',
  stepDurationMs: 150,
  warmupDurationMs: 100,
  claimRoundDurationMs: 150,
  redisBenchmark: 'off',
  compareRounds: 1,
};

/** The highest rate (ops/s) any parameter may ask for. */
export const MAX_RATE = 10_000_000;

export const COMMAND_LATENCY_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rates: {
    kind: 'number-list',
    min: 1,
    max: MAX_RATE,
    maxItems: 30,
    description: `target rates of the sweep in ops/s, separated by '${NUMBER_LIST_SEPARATOR}' (e.g. 1000${NUMBER_LIST_SEPARATOR}5000${NUMBER_LIST_SEPARATOR}20000)`,
  },
  adaptive: {
    kind: 'choice',
    values: ['on', 'off'],
    description: 'past the last rate, keep doubling until the rate is not held or p99 exceeds the budget',
  },
  maxAdaptiveSteps: { kind: 'integer', min: 0, max: 20, description: 'doublings past the last listed rate at most' },
  maxRate: { kind: 'number', min: 1, max: MAX_RATE, description: 'no step above this rate (ops/s)' },
  stepDurationMs: { kind: 'integer', min: 100, max: 600_000, description: 'measured length of each rate step' },
  warmupDurationMs: {
    kind: 'integer',
    min: 0,
    max: 600_000,
    description: 'unrecorded warm-up before each step and each command of the first claim round',
  },
  budgetMs: {
    kind: 'number',
    min: 0.001,
    max: 60_000,
    description: "p99 budget in ms for the knee and the claim (the document's 5)",
  },
  claimRate: {
    kind: 'number',
    min: 1,
    max: MAX_RATE,
    description: 'rate (ops/s) the P99 < 5 ms claim is checked at (default: the document-derived 2000)',
  },
  claimRounds: { kind: 'integer', min: 3, max: 100, description: 'rounds at the claim rate (trials of the verdict)' },
  claimRoundDurationMs: {
    kind: 'integer',
    min: 100,
    max: 600_000,
    description: 'length of each command in a claim round',
  },
  connections: { kind: 'integer', min: 1, max: 256, description: "client connections (the document's pool: 10)" },
  pipelineDepth: {
    kind: 'integer',
    min: 1,
    max: 1_000,
    description: 'commands pending per connection at most (1: one at a time, as the document’s synchronous client)',
  },
  autoPipelining: {
    kind: 'choice',
    values: ['on', 'off'],
    description: 'ioredis auto-pipelining (commands of one tick share a write); driver=ioredis only',
  },
  driver: {
    kind: 'choice',
    values: LOAD_DRIVERS,
    description:
      "who sends the rate steps and claim rounds: ioredis (the system's client) or resp (the load generator's lean RESP loop, as redis-benchmark; plain TCP only); the redis-benchmark comparison runs both",
  },
  keyCount: {
    kind: 'integer',
    min: 5,
    max: 10_000_000,
    description: 'preloaded keys, each holding one encoded feature vector',
  },
  keyDistribution: {
    kind: 'choice',
    values: KEY_DISTRIBUTION_KINDS.filter((k) => k !== 'hotspot'),
    description: 'which keys the commands touch (default parameters)',
  },
  mgetSize: { kind: 'integer', min: 1, max: 1_000, description: 'keys per MGET (the document batches 5 symbols)' },
  redisBenchmark: {
    kind: 'choice',
    values: ['managed', 'always', 'off'],
    description:
      "run redis-benchmark beside ours: managed = only on the redis-server this run started; always = also on a --redis-url target (its password is passed in redis-benchmark's argv)",
  },
  compareDurationMs: {
    kind: 'integer',
    min: 100,
    max: 600_000,
    description: 'length of our max-throughput run per command; redis-benchmark gets -n for about as long',
  },
  compareRounds: {
    kind: 'integer',
    min: 1,
    max: 20,
    description:
      'paired rounds of the redis-benchmark comparison (ours and redis-benchmark back to back, alternating which goes first); ratios are the median of the rounds',
  },
  compareDrivers: {
    kind: 'choice',
    values: ['resp', 'both'],
    description:
      "our drivers in the redis-benchmark comparison: resp (the speed targets' lean RESP loop) or both (ioredis beside it: what the client library costs)",
  },
};

/**
 * The rates of one sweep: the listed ones (up to maxRate), then doublings while allowed; the caller
 * stops at saturation.
 */
export function* sweepRates(
  params: Pick<CommandLatencyParams, 'rates' | 'maxRate' | 'adaptive' | 'maxAdaptiveSteps'>,
): Generator<{ rate: number; adaptive: boolean }> {
  const listed = params.rates.filter((rate) => rate <= params.maxRate);
  for (const rate of listed) yield { rate, adaptive: false };
  if (params.adaptive !== 'on' || listed.length === 0) return;
  let rate = listed[listed.length - 1];
  for (let step = 0; step < params.maxAdaptiveSteps && rate * 2 <= params.maxRate; step++) {
    rate *= 2;
    yield { rate, adaptive: true };
  }
}
