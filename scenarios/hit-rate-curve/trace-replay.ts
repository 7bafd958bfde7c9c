import { MS_PER_S, NS_PER_MS } from '../../bench/core/units.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { encodeGet } from '../../bench/load/resp-connection.ts';
import type { RespConnection } from '../../bench/load/resp-connection.ts';
import { ReplyKind } from '../../bench/load/resp-reply-scanner.ts';
import type { TradingDayTrace } from '../../bench/workload/trading-day-workload.ts';

/** Outcome of one lookup: a miss whose fill Redis accepted. */
export const ACCESS_MISS_FILLED = 0;
/** A hit. */
export const ACCESS_HIT = 1;
/** A miss whose fill (SET) Redis refused. */
export const ACCESS_MISS_FILL_FAILED = 2;
/** Not sent: the replay was aborted first. */
export const ACCESS_NOT_SENT = 3;

/** What to replay and how fast. */
export interface ReplayOptions {
  readonly trace: TradingDayTrace;
  /**
   * Simulated seconds per real second: lookup i is sent at trace.timesMs[i] / acceleration ms after the
   * start. Infinity: unpaced, as fast as the connection goes (the calibration).
   */
  readonly acceleration: number;
  /** TTL of every fill as Redis sees it (SET PX, real ms): the simulated TTL / acceleration. */
  readonly ttlPxMs: number;
  /** Value stored for a key id on a miss. */
  readonly payload: (keyId: number) => Buffer;
  /** Lookups in flight at once; a key's lookups stay in trace order (one waits for the one before). */
  readonly concurrency: number;
  /** Replay only the first lookups (the calibration); default all. */
  readonly maxLookups?: number;
  readonly signal: AbortSignal;
}

/** Per-lookup outcomes and how well the replay kept its schedule. */
export interface ReplayResult {
  /** Per lookup: ACCESS_HIT, ACCESS_MISS_FILLED, ACCESS_MISS_FILL_FAILED or ACCESS_NOT_SENT (aborted). */
  readonly outcomes: Uint8Array;
  readonly replayed: number;
  readonly wallMs: number;
  /** Lookups sent / wall time. */
  readonly achievedRatePerSecond: number;
  /** Largest delay of a send behind its schedule, real ms (times the acceleration: simulated ms). */
  readonly maxLagMs: number;
  /** 99th percentile of the sends' delays behind the schedule, real ms. */
  readonly lagP99Ms: number;
  readonly aborted: boolean;
}

/** The RESP bytes of one key's GET (built on first use) and of its fill (SET key value PX ttl). */
class CommandCache {
  readonly #gets: (string | undefined)[];
  readonly #tail: Buffer;

  constructor(
    private readonly trace: TradingDayTrace,
    private readonly payload: (keyId: number) => Buffer,
    ttlPxMs: number,
  ) {
    this.#gets = new Array<string | undefined>(trace.keySpace);
    const px = String(ttlPxMs);
    this.#tail = Buffer.from(`\r\n$2\r\nPX\r\n$${px.length}\r\n${px}\r\n`, 'latin1');
  }

  get(keyId: number): string {
    this.#gets[keyId] ??= encodeGet(this.trace.keyName(keyId));
    return this.#gets[keyId];
  }

  set(keyId: number): Buffer {
    const key = this.trace.keyName(keyId);
    const value = this.payload(keyId);
    const head = `*5\r\n$3\r\nSET\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n$${value.length}\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), value, this.#tail]);
  }
}

/**
 * Replays a trading day's lookups against Redis as the service's cache-aside path does: GET; on a
 * miss, SET the value with the (scaled) TTL. Lookups are sent on the simulated clock, `concurrency`
 * at a time on one lean RESP connection; a key's lookups wait for the one before, so each sees the
 * fill of the last miss as a sequential replay would. When Redis or the event loop falls behind the
 * schedule, the replay runs late (maxLagMs) and catches up.
 */
export async function replayTrace(connection: RespConnection, options: ReplayOptions): Promise<ReplayResult> {
  const { trace, acceleration, concurrency, signal } = options;
  const lookups = Math.min(trace.keys.length, options.maxLookups ?? trace.keys.length);
  const outcomes = new Uint8Array(lookups).fill(ACCESS_NOT_SENT);
  const commands = new CommandCache(trace, options.payload, options.ttlPxMs);
  const paced = Number.isFinite(acceleration);
  const tails = new Array<Promise<void> | undefined>(trace.keySpace);
  let inFlight = 0;
  let wake: (() => void) | null = null;
  let failure: unknown;

  const lookup = async (i: number): Promise<void> => {
    const keyId = trace.keys[i];
    if ((await connection.send(commands.get(keyId))) === ReplyKind.Value) {
      outcomes[i] = ACCESS_HIT;
      return;
    }
    outcomes[i] = await connection.send(commands.set(keyId)).then(
      () => ACCESS_MISS_FILLED,
      () => ACCESS_MISS_FILL_FAILED,
    );
  };
  const settle = (keyId: number, op: Promise<void>): void => {
    inFlight -= 1;
    if (tails[keyId] === op) tails[keyId] = undefined;
    wake?.();
  };
  const issue = (i: number): void => {
    const keyId = trace.keys[i];
    const previous = tails[keyId];
    inFlight += 1;
    const op: Promise<void> = (previous === undefined ? lookup(i) : previous.then(() => lookup(i))).then(
      () => settle(keyId, op),
      (error: unknown) => {
        failure ??= error;
        settle(keyId, op);
      },
    );
    tails[keyId] = op;
  };
  const nextCompletion = (): Promise<void> =>
    new Promise<void>((resolve) => {
      wake = () => {
        wake = null;
        resolve();
      };
    });

  const startNs = nowNs();
  const elapsedMs = (): number => Number(nowNs() - startNs) / NS_PER_MS;
  const lags = new Float32Array(lookups);
  let next = 0;
  while (next < lookups && failure === undefined && !signal.aborted) {
    const now = elapsedMs();
    while (next < lookups && inFlight < concurrency) {
      const dueMs = paced ? trace.timesMs[next] / acceleration : 0;
      if (dueMs > now) break;
      lags[next] = now - dueMs;
      issue(next++);
    }
    if (next >= lookups) break;
    if (inFlight >= concurrency) await nextCompletion();
    else {
      const waitMs = trace.timesMs[next] / acceleration - now;
      if (waitMs >= 1) await sleepMs(waitMs, signal);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  while (inFlight > 0) await nextCompletion();
  if (failure !== undefined) throw failure;
  const wallMs = elapsedMs();
  const sortedLags = lags.subarray(0, next).sort();
  return {
    outcomes,
    replayed: next,
    wallMs,
    achievedRatePerSecond: wallMs > 0 ? (next / wallMs) * MS_PER_S : 0,
    maxLagMs: next > 0 ? sortedLags[next - 1] : 0,
    lagP99Ms: next > 0 ? sortedLags[Math.min(next - 1, Math.floor(0.99 * next))] : 0,
    aborted: signal.aborted,
  };
}
