import type { Redis } from 'ioredis';
import { sdsAllocation } from './jemalloc-size-class.ts';

/** What one cached feature vector costs in Redis, measured. */
export interface MemoryPerKey {
  readonly keysFilled: number;
  /** used_memory of the empty instance (with this client connected), bytes. */
  readonly baselineUsedMemory: number;
  /** (used_memory after the fill - baseline) / keys: value, key, dict entries, expires entry, allocator slack. */
  readonly usedMemoryPerKey: number;
  /** Mean of MEMORY USAGE key SAMPLES 0 over a sample of the keys (Redis's own per-key estimate). */
  readonly memoryUsagePerKey: number;
  readonly meanValueBytes: number;
  /** jemalloc slot of the mean value's sds allocation, and the bytes it wastes. */
  readonly valueSlotBytes: number;
  readonly valueSlackBytes: number;
}

const SLICE = 500;
const MEMORY_USAGE_SAMPLE = 100;
export const MAX_FILL_KEYS = 50_000;

async function usedMemory(client: Redis): Promise<number> {
  const match = /used_memory:(\d+)/.exec(await client.info('memory'));
  if (match === null) throw new Error('INFO memory has no used_memory field');
  return Number(match[1]);
}

/**
 * FLUSHALL, then fills `count` keys with pipelined SETs (slices of 500, bounded by MAX_FILL_KEYS),
 * measures, and flushes again. Only for a Redis the harness started itself (the caller checks).
 */
export async function measureMemoryPerKey(
  client: Redis,
  count: number,
  keyName: (i: number) => string,
  payload: (i: number) => Buffer,
  ttlMs: number | null,
  signal?: AbortSignal,
): Promise<MemoryPerKey> {
  const keys = Math.max(1, Math.min(count, MAX_FILL_KEYS));
  await client.flushall();
  const baseline = await usedMemory(client);
  let valueBytes = 0;
  for (let start = 0; start < keys && signal?.aborted !== true; start += SLICE) {
    const pipeline = client.pipeline();
    for (let i = start; i < Math.min(keys, start + SLICE); i++) {
      const value = payload(i);
      valueBytes += value.length;
      if (ttlMs === null) pipeline.set(keyName(i), value);
      else pipeline.set(keyName(i), value, 'PX', Math.max(1, Math.round(ttlMs)));
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error !== null) throw error;
  }
  const filled = Number(await client.dbsize());
  const after = await usedMemory(client);
  const step = Math.max(1, Math.floor(filled / MEMORY_USAGE_SAMPLE));
  const usages: number[] = [];
  for (let i = 0; i < filled && usages.length < MEMORY_USAGE_SAMPLE; i += step) {
    const usage = await client.call('MEMORY', 'USAGE', keyName(i), 'SAMPLES', '0');
    if (typeof usage === 'number') usages.push(usage);
  }
  await client.flushall();
  const meanValueBytes = valueBytes / Math.max(1, filled);
  const slot = sdsAllocation(Math.round(meanValueBytes));
  return {
    keysFilled: filled,
    baselineUsedMemory: baseline,
    usedMemoryPerKey: (after - baseline) / Math.max(1, filled),
    memoryUsagePerKey: usages.length === 0 ? Number.NaN : usages.reduce((a, b) => a + b, 0) / usages.length,
    meanValueBytes,
    valueSlotBytes: slot.slot,
    valueSlackBytes: slot.slot - slot.requested,
  };
}

/**
 * A sentence when the value's allocation lands just past a jemalloc class boundary (in the first
 * quarter of its class step, e.g. 4,101 bytes in the 5,120 class), else null.
 */
export function sizeClassWarning(memory: MemoryPerKey): string | null {
  const requested = memory.valueSlotBytes - memory.valueSlackBytes;
  const step = 2 ** Math.floor(Math.log2(memory.valueSlotBytes - 1)) / 4;
  const previousClass = memory.valueSlotBytes - step;
  if (memory.valueSlotBytes <= 64 || requested - previousClass > step / 4) return null;
  return `a value of ~${Math.round(memory.meanValueBytes)} bytes needs ${requested} bytes with its sds header, just over the ${previousClass}-byte jemalloc class, so it takes a ${memory.valueSlotBytes}-byte slot: ${memory.valueSlackBytes} bytes (${Math.round((100 * memory.valueSlackBytes) / memory.valueSlotBytes)}%) of every value allocation are slack; ${requested - previousClass} bytes less per value would save them`;
}
