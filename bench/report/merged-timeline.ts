import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Histogram } from 'hdr-histogram-js';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { parseHlog } from './hlog-reader.ts';
import type { HlogInterval } from './hlog-writer.ts';

/** The merged timeline's slot: each shard interval goes whole into the slot holding its middle. */
export const MERGE_SLOT_MS = 1_000;

export interface TimedHistogram {
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly histogram: Histogram;
}

/** One shard's .hlog: its start time and its intervals. */
export interface ShardHlog {
  readonly startTimeMs: number;
  readonly intervals: TimedHistogram[];
}

/** Reads a .hlog of a shard folder; a string says why it cannot be used. */
export async function readShardHlog(dir: string, relativePath: string): Promise<ShardHlog | string> {
  const root = path.resolve(dir);
  const file = path.resolve(root, relativePath);
  if (path.relative(root, file).startsWith('..')) return `${relativePath}: path outside the run folder`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return `${path.join(dir, relativePath)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'}`;
  }
  const log = parseHlog(text);
  if (log.startTimeMs === null) return `${path.join(dir, relativePath)}: no #[StartTime] header`;
  return { startTimeMs: log.startTimeMs, intervals: [...log.intervals] };
}

/**
 * Adds the intervals of every shard on one timeline from the earliest start: a shard's interval
 * goes whole into the MERGE_SLOT_MS slot holding its middle (counts are never split, so totals
 * stay exact; times are within half a slot plus the machines' clock skew). Empty slots between
 * the first and the last are kept, so the timeline has no holes.
 */
export function mergeTimelines(originMs: number, shards: readonly (readonly TimedHistogram[])[]): HlogInterval[] {
  const slots = new Map<number, Histogram>();
  for (const intervals of shards) {
    for (const interval of intervals) {
      const middle = (interval.startTimeMs + interval.endTimeMs) / 2;
      const slot = Math.max(0, Math.floor((middle - originMs) / MERGE_SLOT_MS));
      let histogram = slots.get(slot);
      if (histogram === undefined) slots.set(slot, (histogram = createLatencyHistogram()));
      histogram.add(interval.histogram);
    }
  }
  if (slots.size === 0) return [];
  const last = Math.max(...slots.keys());
  return Array.from({ length: last + 1 }, (_, slot) => ({
    startTimeMs: originMs + slot * MERGE_SLOT_MS,
    endTimeMs: originMs + (slot + 1) * MERGE_SLOT_MS,
    histogram: slots.get(slot) ?? createLatencyHistogram(),
  }));
}
