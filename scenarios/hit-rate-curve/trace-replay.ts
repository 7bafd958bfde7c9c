import type { Redis } from 'ioredis';
import { MS_PER_S, NS_PER_MS } from '../../bench/core/units.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import type { SignalTrace } from '../../bench/workload/signal-workload.ts';

export const ACCESS_MISS_FILLED = 0;
export const ACCESS_HIT = 1;
export const ACCESS_MISS_FILL_FAILED = 2;

export interface ReplayOptions {
  readonly trace: SignalTrace;
  /** TTL of every fill (SET PX); null: fills without TTL. */
  readonly ttlMs: number | null;
  /** Value stored for a key id on a miss. */
  readonly payload: (keyId: number) => Buffer;
  /** Accesses that warm the cache and are not counted. */
  readonly warmupAccesses: number;
  /** Hit rate over time is cut into windows of this length (trace time). */
  readonly windowMs: number;
  /** Hard bound on the replay's wall time; the rest of the trace is skipped. */
  readonly maxDurationMs: number;
  readonly signal: AbortSignal;
}

export interface ReplayResult {
  readonly counted: number;
  readonly hits: number;
  /** Fills (SET on a miss) Redis refused, e.g. OOM under noeviction or volatile-* without TTL keys. */
  readonly fillErrors: number;
  readonly fills: number;
  /** Per window of trace time: accesses and hits (warm-up included: the warm-up curve). */
  readonly windows: readonly { readonly endMs: number; readonly accesses: number; readonly hits: number }[];
  /** Accesses sent / wall time. */
  readonly achievedRatePerSecond: number;
  /** Largest lag behind the trace's schedule. */
  readonly maxLagMs: number;
  readonly replayed: number;
  /** Per access replayed: ACCESS_HIT, ACCESS_MISS_FILLED or ACCESS_MISS_FILL_FAILED. */
  readonly outcomes: Uint8Array;
  readonly stoppedEarly: 'aborted' | 'time-bound' | null;
}

/**
 * Replays a trace against Redis as the service's cache-aside path does: GET; on a miss, SET the
 * value with the TTL. One connection, in trace order, each access at its scheduled time (the
 * trace's request rate): the order is what LRU sees, and the wall time is what Redis's 1 s LRU
 * clock and the TTLs see. When Redis is slower than the schedule the replay runs behind (maxLagMs).
 */
export async function replayTrace(client: Redis, options: ReplayOptions): Promise<ReplayResult> {
  const { trace, signal } = options;
  const windows: { endMs: number; accesses: number; hits: number }[] = [];
  let window = { endMs: options.windowMs, accesses: 0, hits: 0 };
  let hits = 0;
  let counted = 0;
  let fills = 0;
  let fillErrors = 0;
  let maxLagMs = 0;
  let stoppedEarly: ReplayResult['stoppedEarly'] = null;
  const outcomes = new Uint8Array(trace.keys.length);
  const startNs = nowNs();
  const deadlineNs = startNs + BigInt(Math.round(options.maxDurationMs * NS_PER_MS));
  let i = 0;
  for (; i < trace.keys.length; i++) {
    if (signal.aborted) {
      stoppedEarly = 'aborted';
      break;
    }
    const now = nowNs();
    if (now > deadlineNs) {
      stoppedEarly = 'time-bound';
      break;
    }
    const dueMs = trace.timesMs[i];
    const elapsedMs = Number(now - startNs) / NS_PER_MS;
    if (elapsedMs < dueMs - 1) await sleepMs(dueMs - elapsedMs, signal);
    else if (elapsedMs - dueMs > maxLagMs) maxLagMs = elapsedMs - dueMs;
    const keyId = trace.keys[i];
    const key = trace.keyName(keyId);
    const value = await client.getBuffer(key);
    const hit = value !== null;
    outcomes[i] = ACCESS_HIT;
    if (!hit) {
      fills += 1;
      outcomes[i] = ACCESS_MISS_FILLED;
      try {
        if (options.ttlMs === null) await client.set(key, options.payload(keyId));
        else await client.set(key, options.payload(keyId), 'PX', Math.max(1, Math.round(options.ttlMs)));
      } catch {
        fillErrors += 1;
        outcomes[i] = ACCESS_MISS_FILL_FAILED;
      }
    }
    while (dueMs >= window.endMs) {
      windows.push(window);
      window = { endMs: window.endMs + options.windowMs, accesses: 0, hits: 0 };
    }
    window.accesses += 1;
    if (hit) window.hits += 1;
    if (i >= options.warmupAccesses) {
      counted += 1;
      if (hit) hits += 1;
    }
  }
  if (window.accesses > 0) windows.push(window);
  const wallMs = Number(nowNs() - startNs) / NS_PER_MS;
  return {
    counted,
    hits,
    fills,
    fillErrors,
    windows,
    achievedRatePerSecond: wallMs > 0 ? (i / wallMs) * MS_PER_S : 0,
    maxLagMs,
    replayed: i,
    outcomes: outcomes.subarray(0, i),
    stoppedEarly,
  };
}
