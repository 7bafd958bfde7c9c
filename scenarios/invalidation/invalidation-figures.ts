import type { RedisInfo } from '../../src/monitoring/redis-info.ts';

/**
 * Send and completion times of the load's GETs, in ns since an origin, bounded by `capacity`
 * (a sample beyond it is counted, not kept), so that a GET can be placed against the invalidation.
 */
export class TimedSamples {
  readonly #sent: Float64Array;
  readonly #done: Float64Array;
  #size = 0;
  #dropped = 0;

  constructor(readonly capacity: number) {
    this.#sent = new Float64Array(capacity);
    this.#done = new Float64Array(capacity);
  }

  add(sentNs: number, doneNs: number): void {
    if (this.#size >= this.capacity) {
      this.#dropped += 1;
      return;
    }
    this.#sent[this.#size] = sentNs;
    this.#done[this.#size] = doneNs;
    this.#size += 1;
  }

  get size(): number {
    return this.#size;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /**
   * Latencies (done - sent) of the GETs whose [sent, done] overlaps [fromNs, toNs]: the ones that
   * were sent during the invalidation or were still waiting when it began.
   */
  overlapping(fromNs: number, toNs: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.#size; i++)
      if (this.#sent[i]! <= toNs && this.#done[i]! >= fromNs) out.push(this.#done[i]! - this.#sent[i]!);
    return out;
  }

  /** Latencies of the GETs done before `beforeNs`: the load undisturbed. */
  completedBefore(beforeNs: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.#size; i++) if (this.#done[i]! < beforeNs) out.push(this.#done[i]! - this.#sent[i]!);
    return out;
  }
}

export interface CommandStat {
  readonly calls: number;
  readonly usec: number;
}

/** calls and usec of `cmdstat_<command>` from INFO commandstats (zeros when the command never ran). */
export function commandStat(info: RedisInfo, command: string): CommandStat {
  const entry = info.commandstats?.[`cmdstat_${command}`];
  if (entry === undefined || typeof entry !== 'object') return { calls: 0, usec: 0 };
  const calls = Number(entry.calls ?? 0);
  const usec = Number(entry.usec ?? 0);
  return { calls: Number.isFinite(calls) ? calls : 0, usec: Number.isFinite(usec) ? usec : 0 };
}

/** Server time spent in `command` between two INFO commandstats snapshots. */
export function commandStatDelta(
  before: RedisInfo,
  after: RedisInfo,
  command: string,
): CommandStat & { readonly usecPerCall: number | null } {
  const a = commandStat(before, command);
  const b = commandStat(after, command);
  const calls = b.calls - a.calls;
  const usec = b.usec - a.usec;
  return { calls, usec, usecPerCall: calls > 0 ? usec / calls : null };
}

/** p-th percentile (nearest rank) of raw values; NaN when empty. */
export function percentileOf(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}
