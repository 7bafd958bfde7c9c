import type { RecorderSet } from './recorder-set.ts';

/**
 * Appends everything `from` recorded to `into`, count for count and on the same time grid. A
 * pooled load (runShardedLoad with several workers) records into a scratch set of its own,
 * because its warm-up ends with resetAll(), which must not wipe a scenario's earlier metrics; the
 * scratch set's intervals are then moved here.
 *
 * `from`'s open interval is closed first (now). `into` is cut at `from`'s first interval start (the
 * time before, e.g. the warm-up, becomes an empty interval of its metrics; a metric new to `into`
 * starts there, with the empty trials `into` already marked), then each of `from`'s
 * intervals is added and `into` cut at its end, so `into` ends with an empty open interval, as after
 * a cutAll. Clamped and invalid tallies move too. Returns the number of values moved.
 */
export function moveIntervals(from: RecorderSet, into: RecorderSet): number {
  from.cutAll();
  const names = from.names();
  const ends = new Set<number>();
  let startMs = Infinity;
  for (const name of names) {
    for (const interval of from.metric(name).intervals()) {
      ends.add(interval.endTimeMs);
      startMs = Math.min(startMs, interval.startTimeMs);
    }
  }
  if (ends.size === 0) return 0;
  into.cutAll(startMs);
  const existing = new Set(into.names());
  for (const name of names) {
    if (existing.has(name)) continue;
    // A recorder opens its first interval at creation ("now", after the run): move it back to the
    // run's start, keeping the empty trials the set padded it with.
    const created = into.metric(name, { displayUnit: from.metric(name).options.displayUnit });
    if (created.openIntervalStartMs > startMs) {
      const trials = created.trialHistograms().length;
      created.reset(startMs);
      created.padTrials(trials);
    }
  }
  const cursors = new Map(names.map((name) => [name, 0]));
  const tallied = new Set<string>();
  let moved = 0;
  for (const endMs of [...ends].sort((a, b) => a - b)) {
    for (const name of names) {
      const source = from.metric(name);
      const intervals = source.intervals();
      let cursor = cursors.get(name) ?? 0;
      while (cursor < intervals.length && intervals[cursor]!.endTimeMs <= endMs) {
        const interval = intervals[cursor]!;
        const first = !tallied.has(name);
        tallied.add(name);
        into.metric(name).recordCounts(interval.sparseCounts, first ? source.clamped : 0, first ? source.invalid : 0);
        moved += interval.totalCount;
        cursor++;
      }
      cursors.set(name, cursor);
    }
    into.cutAll(endMs);
  }
  return moved;
}
