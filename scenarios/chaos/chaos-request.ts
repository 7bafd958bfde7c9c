/** One request of the chaos load: pick a key, ask the system under test, log the outcome against the harness cap. */
import { featureKey } from '../../src/cache/feature-key.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import type { SignalBatch } from '../../src/signals/signal-generator.ts';
import { MS_PER_S, NS_PER_MS, NS_PER_S } from '../../bench/core/units.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import type { SystemUnderTest } from './chaos-system.ts';
import type { ChaosKey, ChaosLoadParams, ChaosWorkload, RequestRecord } from './chaos-types.ts';

export function keyId(key: ChaosKey): string {
  return `${key.symbol}|${key.date}`;
}

class CappedError extends Error {
  constructor(capMs: number) {
    super(`request still pending after the harness cap of ${capMs} ms`);
    // load-operation.ts classifies it as a timeout by this name.
    this.name = 'TimeoutError';
  }
}

/** What the requests share with the sampler and the end of the run. */
export interface RequestLog {
  readonly records: RequestRecord[];
  /** Requests the system under test has not settled yet, including those the harness cap gave up on. */
  readonly pending: Set<Promise<unknown>>;
  inFlight: number;
}

export type PickedKey = ChaosKey & { readonly hot: boolean };

/** The key of each request: a cold one from the whole key space, or a hot one. */
export function keyPicker(workload: ChaosWorkload, coldFraction: number, rng: SeededRandom): () => PickedKey {
  return () => {
    if (rng.nextFloat() < coldFraction) {
      return {
        symbol: workload.coldSymbols[rng.nextInt(workload.coldSymbols.length)]!,
        date: workload.coldDates[rng.nextInt(workload.coldDates.length)]!,
        hot: false,
      };
    }
    // Skewed toward the first hot keys (density ~ 1/sqrt(x)): some keys are requested many times a second.
    const u = rng.nextFloat();
    const key = workload.hotKeys[Math.min(workload.hotKeys.length - 1, Math.floor(u * u * workload.hotKeys.length))]!;
    return { ...key, hot: true };
  };
}

/** The keys of one window: each window draws its own, and the clients of one window the same ones (paired). */
export function windowKeyPicker(
  workload: ChaosWorkload,
  coldFraction: number,
  faultId: string,
  trial: number,
): () => PickedKey {
  return keyPicker(workload, coldFraction, SeededRandom.forKey(workload.seed, `chaos:${faultId}:${trial}`));
}

/**
 * The distinct keys a window's load will request (its working set: with a TTL longer than the window,
 * every key it uses), drawn ahead from the window's own key sequence.
 */
export function windowDistinctKeys(
  workload: ChaosWorkload,
  load: ChaosLoadParams,
  faultId: string,
  trial: number,
): number {
  const pick = windowKeyPicker(workload, load.coldFraction, faultId, trial);
  const requests = Math.ceil((load.rateOpsPerSecond * (load.preMs + load.faultMs + load.postMs)) / MS_PER_S);
  const keys = new Set<string>();
  for (let i = 0; i < requests; i++) {
    const key = pick();
    keys.add(featureKey(key.symbol, key.date));
  }
  return keys.size;
}

type RequestResult = Omit<RequestRecord, 'intendedMs' | 'settledMs' | 'latencyMs'>;

const FAILED: Omit<RequestResult, 'outcome'> = { hits: 0, misses: 0, cacheErrors: 0, checked: false, wrong: false };

/**
 * The open loop's operation: a single-symbol signal request for a picked key, timed from its
 * intended send time (startNs + sequence periods) and logged as ok, error or capped.
 */
export function chaosRequest(
  system: SystemUnderTest,
  workload: ChaosWorkload,
  load: ChaosLoadParams,
  pick: () => PickedKey,
  log: RequestLog,
  startNs: bigint,
): (sequence: number) => Promise<SignalBatch> {
  const periodNs = NS_PER_S / load.rateOpsPerSecond;
  const relMs = (ns: bigint): number => Number(ns - startNs) / NS_PER_MS;
  const record = (intendedNs: bigint, doneNs: bigint, result: RequestResult): void => {
    log.records.push({
      intendedMs: relMs(intendedNs),
      settledMs: relMs(doneNs),
      latencyMs: Number(doneNs - intendedNs) / NS_PER_MS,
      ...result,
    });
  };
  return async (sequence) => {
    const intendedNs = startNs + BigInt(Math.round(sequence * periodNs));
    const key = pick();
    const work = trackInFlight(log, system.generator.generate([key.symbol], key.date));
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CappedError(load.requestCapMs)), load.requestCapMs);
    });
    try {
      const batch = await Promise.race([work, cap]);
      const doneNs = nowNs();
      const expected = key.hot ? workload.expectedScores.get(keyId(key)) : undefined;
      const score = batch.signals[0]!.score;
      record(intendedNs, doneNs, {
        outcome: 'ok',
        hits: batch.cache.hits,
        misses: batch.cache.misses,
        cacheErrors: batch.cache.errors,
        checked: expected !== undefined,
        wrong: expected !== undefined && !sameScore(score, expected),
      });
      return batch;
    } catch (error) {
      record(intendedNs, nowNs(), { outcome: error instanceof CappedError ? 'capped' : 'error', ...FAILED });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Counts the request in flight until the system under test settles it, even after the cap gave up on it. */
function trackInFlight<T>(log: RequestLog, work: Promise<T>): Promise<T> {
  log.inFlight += 1;
  const tracked = work.finally(() => {
    log.inFlight -= 1;
    log.pending.delete(tracked);
  });
  tracked.catch(() => {});
  log.pending.add(tracked);
  return work;
}

function sameScore(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}
