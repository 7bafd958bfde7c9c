/** The arithmetic behind memory-sizing's figures: scaling, capacity, rates, the eviction knee. Pure. */
import { DOCUMENT_KEY_SPACE, DOCUMENT_MAXMEMORY_BYTES } from './memory-sizing-params.ts';

/** One trading session (09:30-16:00) in simulated seconds: the time between two dates of the stream. */
export const SESSION_SECONDS = 23_400;

/**
 * maxmemory for a run on `keySpace` keys with the same keys-to-capacity ratio as the document's
 * 512mb for its universe (DOCUMENT_KEY_SPACE keys): 512mb x keySpace / DOCUMENT_KEY_SPACE, in bytes.
 */
export function scaledMaxmemoryBytes(keySpace: number): number {
  return Math.round((DOCUMENT_MAXMEMORY_BYTES * keySpace) / DOCUMENT_KEY_SPACE);
}

/** Keys (symbol-days) that fit under maxmemory: (maxmemory - the empty instance) / bytes per key, rounded down. */
export function keysThatFit(maxmemoryBytes: number, baselineUsedMemory: number, usedMemoryPerKey: number): number {
  if (!(usedMemoryPerKey > 0)) return Number.NaN;
  return Math.max(0, Math.floor((maxmemoryBytes - baselineUsedMemory) / usedMemoryPerKey));
}

/** part / whole in %, NaN when whole is 0. */
export function percentOf(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : (100 * part) / whole;
}

/**
 * A used_memory measured on a run scaled down from the documented universe, scaled back up: the
 * empty instance's share stays, the keys' share is multiplied by DOCUMENT_KEY_SPACE / keySpace.
 */
export function scaleToDocument(usedMemory: number, baselineUsedMemory: number, keySpace: number): number {
  return baselineUsedMemory + ((usedMemory - baselineUsedMemory) * DOCUMENT_KEY_SPACE) / keySpace;
}

/** A sweep point's maxmemory: the empty instance + `fraction` of the peak working set above it. */
export function sweepMaxmemoryBytes(baselineUsedMemory: number, peakUsedMemory: number, fraction: number): number {
  return Math.round(baselineUsedMemory + fraction * Math.max(0, peakUsedMemory - baselineUsedMemory));
}

/** The TTL of the no-TTL stream's good variant in real ms: 3600 / 23400 of the interval between dates. */
export function streamTtlPxMs(ttlSeconds: number, dateIntervalMs: number): number {
  return Math.max(1, Math.round((ttlSeconds / SESSION_SECONDS) * dateIntervalMs));
}

/** One reading of INFO during a replay, at `atMs` real ms after its start. */
export interface InfoSample {
  readonly atMs: number;
  readonly usedMemory: number;
  readonly evictedKeys: number;
}

/** The last sample taken at or before `atMs` (the first when none is); null for no samples. */
export function sampleAt(samples: readonly InfoSample[], atMs: number): InfoSample | null {
  let found: InfoSample | null = samples.length > 0 ? samples[0] : null;
  for (const sample of samples) {
    if (sample.atMs > atMs) break;
    found = sample;
  }
  return found;
}

/** The largest used_memory of the samples; NaN for none. */
export function peakUsedMemory(samples: readonly InfoSample[]): number {
  return samples.length === 0 ? Number.NaN : Math.max(...samples.map((s) => s.usedMemory));
}

/** A sweep point: maxmemory and the evictions it gave, in % of fills. */
export interface SweepPoint {
  readonly maxmemoryBytes: number;
  readonly evictionsPercent: number;
}

/**
 * Where evictions stop being near 0: the smallest maxmemory whose evictions stayed at or below the
 * threshold, and the largest one above it (null when no point is on that side).
 */
export function evictionKnee(
  points: readonly SweepPoint[],
  thresholdPercent: number,
): { readonly smallestNearZero: number | null; readonly largestAbove: number | null } {
  let smallestNearZero: number | null = null;
  let largestAbove: number | null = null;
  for (const point of points) {
    if (!Number.isFinite(point.evictionsPercent)) continue;
    if (point.evictionsPercent <= thresholdPercent)
      smallestNearZero =
        smallestNearZero === null ? point.maxmemoryBytes : Math.min(smallestNearZero, point.maxmemoryBytes);
    else largestAbove = largestAbove === null ? point.maxmemoryBytes : Math.max(largestAbove, point.maxmemoryBytes);
  }
  return { smallestNearZero, largestAbove };
}
