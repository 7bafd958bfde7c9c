/**
 * Anti-pattern 2 ("No TTL on Cached Data"): a stream of new trading dates written into a small
 * maxmemory under volatile-lru, the document's bad way (SET without TTL) and its good way (SET with
 * the TTL, scaled to the stream's clock), each from a flushed Redis.
 */
import type { Redis } from 'ioredis';
import { RespReplyError } from '../../bench/load/resp-connection.ts';
import type { RespConnection } from '../../bench/load/resp-connection.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { defaultSymbols } from '../../src/market/synthetic-ohlcv.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { tradingDayDate } from '../../bench/workload/trading-day-workload.ts';
import { configureRedis } from '../hit-rate-curve/hit-rate-replays.ts';
import { DOCUMENT_POLICY } from './eviction-day.ts';
import { usedMemory } from './memory-fill.ts';

export type StreamVariant = 'no-ttl' | 'ttl';

/**
 * Redis reclaims expired keys in its cron, `hz` times a second (10 by default: every 100 ms). On the
 * stream's clock a TTL is a few real ms, so the cron runs at Redis's maximum for the streams: expired
 * keys then go within ~2 ms, as they go within a negligible share of a real hour at the default.
 */
export const STREAM_HZ = 500;
export const DEFAULT_HZ = 10;

export interface StreamPlan {
  readonly symbols: number;
  readonly dates: number;
  readonly firstDate: string;
  readonly maxmemoryBytes: number;
  readonly dateIntervalMs: number;
  /** SET PX of the good variant, real ms. */
  readonly ttlPxMs: number;
  readonly value: (keyId: number) => Buffer;
}

export interface StreamResult {
  readonly variant: StreamVariant;
  readonly writes: number;
  /** Writes Redis refused (OOM command not allowed when used memory > 'maxmemory'). */
  readonly refused: number;
  /** used_memory after each date's burst. */
  readonly usedMemoryPerDate: readonly number[];
  readonly endUsedMemory: number;
  readonly peakUsedMemory: number;
  readonly evictedKeys: number;
  readonly expiredKeys: number;
  /** Keys left at the end (DBSIZE). */
  readonly keysAtEnd: number;
}

function field(info: string, name: string): number {
  const match = new RegExp(`^${name}:(\\d+)`, 'm').exec(info);
  return match === null ? Number.NaN : Number(match[1]);
}

/** SET key value, with PX ttl for the good variant, as RESP bytes. */
export function setCommand(key: string, value: Buffer, pxMs: number | null): Buffer {
  const px = pxMs === null ? '' : `$2\r\nPX\r\n$${String(pxMs).length}\r\n${pxMs}\r\n`;
  const head = `*${pxMs === null ? 3 : 5}\r\n$3\r\nSET\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n$${value.length}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), value, Buffer.from(`\r\n${px}`, 'latin1')]);
}

/** One date's burst: every symbol's SET pipelined on the lean connection; returns the refused (OOM) count. */
async function writeDate(
  connection: RespConnection,
  plan: StreamPlan,
  variant: StreamVariant,
  dateIndex: number,
): Promise<number> {
  const date = tradingDayDate(plan.firstDate, dateIndex);
  const pxMs = variant === 'no-ttl' ? null : plan.ttlPxMs;
  const replies = defaultSymbols(plan.symbols).map((symbol, s) =>
    connection.send(setCommand(featureKey(symbol, date), plan.value(dateIndex * plan.symbols + s), pxMs)).then(
      () => 0,
      (error: unknown) => {
        if (error instanceof RespReplyError && /^OOM/.test(error.message)) return 1;
        throw error;
      },
    ),
  );
  return (await Promise.all(replies)).reduce((a: number, b: number) => a + b, 0);
}

/** Runs one variant from a flushed Redis at the plan's maxmemory; the Redis is flushed again after. */
export async function runStream(
  admin: Redis,
  connection: RespConnection,
  plan: StreamPlan,
  variant: StreamVariant,
  signal: AbortSignal,
): Promise<StreamResult> {
  await configureRedis(admin, {
    label: `stream-${variant}`,
    maxmemoryBytes: plan.maxmemoryBytes,
    policy: DOCUMENT_POLICY,
    samples: 5,
  });
  await admin.config('SET', 'hz', String(STREAM_HZ));
  const usedPerDate: number[] = [];
  let refused = 0;
  const start = performance.now();
  for (let d = 0; d < plan.dates && !signal.aborted; d++) {
    const dueMs = start + d * plan.dateIntervalMs - performance.now();
    if (dueMs >= 1) await sleepMs(dueMs, signal);
    refused += await writeDate(connection, plan, variant, d);
    usedPerDate.push(await usedMemory(admin));
  }
  const info = String(await admin.call('INFO', 'memory', 'stats'));
  const keysAtEnd = Number(await admin.dbsize());
  await admin.flushall();
  return {
    variant,
    writes: usedPerDate.length * plan.symbols,
    refused,
    usedMemoryPerDate: usedPerDate,
    endUsedMemory: field(info, 'used_memory'),
    peakUsedMemory: Math.max(...usedPerDate, field(info, 'used_memory')),
    evictedKeys: field(info, 'evicted_keys'),
    expiredKeys: field(info, 'expired_keys'),
    keysAtEnd,
  };
}

/** One trial: both variants, the bad first on even trials and the good first on odd ones. */
export async function runStreamPair(
  admin: Redis,
  connection: RespConnection,
  plan: StreamPlan,
  trial: number,
  signal: AbortSignal,
): Promise<{ readonly bad: StreamResult; readonly good: StreamResult }> {
  const order: StreamVariant[] = trial % 2 === 0 ? ['no-ttl', 'ttl'] : ['ttl', 'no-ttl'];
  const results = new Map<StreamVariant, StreamResult>();
  for (const variant of order) results.set(variant, await runStream(admin, connection, plan, variant, signal));
  return { bad: results.get('no-ttl')!, good: results.get('ttl')! };
}
