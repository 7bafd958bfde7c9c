import { Redis } from 'ioredis';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { ALPHA158_LENGTH } from '../../src/cache/codec.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import type { LatencySummary } from '../core/run-summary.ts';
import { FaultProxy } from '../faults/fault-proxy.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { nowNs } from '../measure/clock.ts';
import { ManagedRedis } from '../targets/managed-redis.ts';

/**
 * The gate probe: the quick benchmark `rpb calibrate` measures the gate with. One run is what a CI
 * job gates on, made small enough to repeat hundreds of times: a fresh connection, a warm-up, then
 * `trials` trials of `trialMs` each (longer until minRequestsPerTrial, at most maxTrialFactor times
 * as long) of the system's cache-hit path (FeatureCache.get: GET + PTTL in one round trip, then
 * decode) in a closed loop, one request at a time. Per trial it keeps the
 * latency percentiles and the time per request (1 / throughput).
 *
 * A canary is a known regression of the run's own code or network, never an edit of the figures:
 * `addedLatencyMs` delays every Redis reply through the fault proxy; `holdBack` keeps each request
 * busy for that fraction of its own latency after the reply (a spin, so sub-millisecond holds are
 * exact), which multiplies every percentile by 1 + holdBack and divides the throughput by it.
 */
export interface ProbeVariant {
  readonly name: string;
  readonly addedLatencyMs: number;
  readonly holdBack: number;
}

export interface ProbeOptions {
  readonly trials: number;
  readonly trialMs: number;
  /** Untimed requests after connecting, at most warmUpMs long. */
  readonly warmUpRequests: number;
  readonly warmUpMs: number;
  /**
   * A trial goes on past trialMs until it has this many requests, so that its p99 can be compared
   * (the gate compares a percentile p only when every trial has 10 / (1 - p) samples: 1000 for p99);
   * a canary that slows each request would otherwise take its own p99 out of the comparison.
   */
  readonly minRequestsPerTrial: number;
  /**
   * ... but never past this many times trialMs, and only while its pace so far would reach them
   * by then. 8 (1.2 s at 150 ms): at 2, a calibration on a slow machine (p50 about 160 µs,
   * disturbed runs 2-12 times slower) cut 1 in 13 trials short, which took the p99 out of 60 of 100
   * canary decisions; at 8, 28 of those 1826 short trials would still be short. The pace check
   * spares a trial that cannot get there (the +1 ms canary, about 1.2 ms a request, 941-987
   * requests in 1.2 s): without it that canary's trials ran 1.2 s each, half of a block's time.
   */
  readonly maxTrialFactor: number;
  /** Upper bound on requests per trial, so a loop is bounded in count as well as time. */
  readonly maxRequestsPerTrial: number;
}

export const PROBE_DEFAULTS: ProbeOptions = {
  trials: 5,
  trialMs: 150,
  warmUpRequests: 1_000,
  warmUpMs: 100,
  minRequestsPerTrial: 1_000,
  maxTrialFactor: 8,
  maxRequestsPerTrial: 100_000,
};

/**
 * A trial's limits on the clock, computed once before its loop (which then compares; past trialMs
 * it also subtracts once a request for the pace check).
 */
export interface TrialLimits {
  readonly startNs: bigint;
  /** Before this a trial always goes on (trialMs). */
  readonly endNs: bigint;
  /** From this on it never does (maxTrialFactor x trialMs). */
  readonly hardEndNs: bigint;
  /** hardEndNs - startNs, as a number for the pace check. */
  readonly hardSpanNs: number;
  readonly minRequests: number;
  readonly maxRequests: number;
}

export function trialLimits(options: ProbeOptions, startNs: bigint): TrialLimits {
  const trialNs = options.trialMs * 1e6;
  return {
    startNs,
    endNs: startNs + BigInt(Math.round(trialNs)),
    hardEndNs: startNs + BigInt(Math.round(trialNs * options.maxTrialFactor)),
    hardSpanNs: Math.round(trialNs * options.maxTrialFactor),
    minRequests: options.minRequestsPerTrial,
    maxRequests: options.maxRequestsPerTrial,
  };
}

/**
 * Whether a trial with `count` requests at `now` goes on: always before trialMs; after it, while
 * it lacks minRequests and, at its pace so far, would have them by the hard end. It runs between
 * one request's end and the next one's start (`sentNs = now`), so its few comparisons, and past
 * trialMs one bigint subtraction, count in the next request's latency (not measured on their own).
 */
export function trialGoesOn(limits: TrialLimits, now: bigint, count: number): boolean {
  if (count >= limits.maxRequests || now >= limits.hardEndNs) return false;
  if (now < limits.endNs) return true;
  if (count >= limits.minRequests) return false;
  return count * limits.hardSpanNs >= limits.minRequests * Number(now - limits.startNs);
}

export interface ProbeTrial {
  readonly latency: LatencySummary;
  /** Wall time of the trial divided by its requests. */
  readonly timePerRequestNs: number;
}

export interface ProbeRun {
  readonly variant: string;
  readonly trials: readonly ProbeTrial[];
}

const SYMBOLS = 100;
const DATE = '2026-01-02';

/** A redis-server of its own with 100 feature vectors cached, shared by every run of a calibration. */
export class GateProbeTarget {
  readonly #server: ManagedRedis;
  readonly #seed: number;

  private constructor(server: ManagedRedis, seed: number) {
    this.#server = server;
    this.#seed = seed;
  }

  /** The redis-server's pid, e.g. for CPU pinning. */
  get serverPid(): number {
    return this.#server.pid;
  }

  static async start(seed: number): Promise<GateProbeTarget> {
    const server = await ManagedRedis.start();
    const target = new GateProbeTarget(server, seed);
    try {
      await target.refresh();
      return target;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /**
   * (Re)writes the 100 feature vectors, untimed. The cache gives every key its one-hour TTL, so a
   * calibration calls this before every block: one longer than an hour read an expired key (a
   * 100-block calibration at 6 runs per side stopped at block 92 on "P000 missing").
   */
  async refresh(): Promise<void> {
    const client = new Redis(this.#server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    try {
      await client.connect();
      const cache = new FeatureCache({ client });
      const random = new SeededRandom(this.#seed);
      for (let s = 0; s < SYMBOLS; s += 1) {
        const vector = Float64Array.from({ length: ALPHA158_LENGTH }, () => random.nextFloat() * 2 - 1);
        await cache.set(symbolOf(s), DATE, vector);
      }
    } finally {
      client.disconnect();
    }
  }

  /** Redis's URL, e.g. for a test that disturbs the target. */
  get url(): string {
    return this.#server.url;
  }

  async run(variant: ProbeVariant, options: ProbeOptions, signal: AbortSignal): Promise<ProbeRun> {
    const proxy =
      variant.addedLatencyMs > 0
        ? await FaultProxy.start({
            upstreamHost: this.#server.host,
            upstreamPort: this.#server.port,
            toxics: [{ kind: 'latency', latencyMs: variant.addedLatencyMs, direction: 'downstream' }],
          })
        : null;
    const client = new Redis({
      host: proxy?.host ?? this.#server.host,
      port: proxy?.port ?? this.#server.port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      commandTimeout: 5_000,
    });
    // A dropped connection (Ctrl-C stops the redis-server mid-trial) reaches the caller through the
    // rejected command; without a listener ioredis would also print it as an unhandled error event.
    client.on('error', () => {});
    try {
      await client.connect();
      const cache = new FeatureCache({ client });
      let next = 0;
      const request = async (): Promise<void> => {
        next = (next + 1) % SYMBOLS;
        if ((await cache.get(symbolOf(next), DATE)) === null) throw new Error(`gate probe: ${symbolOf(next)} missing`);
      };
      const warmUpEnd = Date.now() + options.warmUpMs;
      for (let i = 0; i < options.warmUpRequests && Date.now() < warmUpEnd; i += 1) await request();
      const trials: ProbeTrial[] = [];
      for (let t = 0; t < options.trials && !signal.aborted; t += 1) {
        const histogram = createLatencyHistogram();
        try {
          const startNs = nowNs();
          const limits = trialLimits(options, startNs);
          let count = 0;
          let now = startNs;
          while (trialGoesOn(limits, now, count)) {
            const sentNs = now;
            await request();
            now = nowNs();
            if (variant.holdBack > 0) {
              const dueNs = now + BigInt(Math.round(Number(now - sentNs) * variant.holdBack));
              while (now < dueNs) now = nowNs();
            }
            histogram.recordValue(Number(now - sentNs));
            count += 1;
          }
          trials.push({ latency: summarizeHistogram(histogram), timePerRequestNs: Number(now - startNs) / count });
        } finally {
          histogram.destroy();
        }
      }
      return { variant: variant.name, trials };
    } finally {
      client.disconnect();
      await proxy?.close();
    }
  }

  async stop(): Promise<void> {
    await this.#server.stop();
  }
}

function symbolOf(index: number): string {
  return `P${String(index).padStart(3, '0')}`;
}
