import { SparseCounts } from '../measure/latency-counts.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import type { WireInterval } from './worker-protocol.ts';

/**
 * Adds the intervals streamed by W load workers into one RecorderSet, exactly (counts index by
 * index) and aligned on time. Workers cut on a common grid (origin + k x intervalMs), so interval
 * k of every worker becomes the set's interval k. A worker whose event loop stalled over a grid
 * point cuts once for two slots: the set then cuts only where every worker cut, so counts are never
 * split or moved across a boundary. Each worker's last, partial interval (cut at its own end, off
 * the grid) goes into the set's open interval, which the caller closes (as after runOpenLoop).
 */
export class IntervalMerger {
  private readonly queues: WireInterval[][];
  private readonly finished: boolean[];

  constructor(
    workerCount: number,
    private readonly recorders: RecorderSet,
    private readonly originMs: number,
    private readonly intervalMs: number,
  ) {
    this.queues = Array.from({ length: workerCount }, () => []);
    this.finished = Array.from({ length: workerCount }, () => false);
  }

  add(worker: number, interval: WireInterval): void {
    this.queues[worker]!.push(interval);
    this.advance();
  }

  /** The worker sent its last interval (or died): it no longer holds back the common cuts. */
  finish(worker: number): void {
    this.finished[worker] = true;
    this.advance();
  }

  /** Everything still queued goes into the open intervals, uncut (end of run, or abort). */
  flush(): void {
    for (const queue of this.queues) for (const interval of queue.splice(0)) this.record(interval);
  }

  private onGrid(timeMs: number): boolean {
    return Number.isInteger((timeMs - this.originMs) / this.intervalMs);
  }

  /** Cuts the set at every boundary all workers share, as far as the workers have reported. */
  private advance(): void {
    for (;;) {
      const boundary = this.nextCommonBoundary();
      if (boundary === null) return;
      for (const queue of this.queues) {
        while (queue.length > 0 && queue[0]!.endMs <= boundary) this.record(queue.shift() as WireInterval);
      }
      this.recorders.cutAll(boundary);
    }
  }

  /**
   * The earliest grid point where every worker cut (a worker that finished before it counts as
   * having cut there); null while some running worker has not reported that far.
   */
  private nextCommonBoundary(): number | null {
    const candidates = [...new Set(this.queues.flatMap((queue) => queue.map((interval) => interval.endMs)))]
      .filter((t) => this.onGrid(t))
      .sort((a, b) => a - b);
    for (const candidate of candidates) {
      let common = true;
      for (let w = 0; w < this.queues.length && common; w++) {
        const queue = this.queues[w]!;
        if (queue.some((interval) => interval.endMs === candidate)) continue;
        // An interval across the point (a stalled worker cut once for two slots): no cut here.
        if (queue.some((interval) => interval.startMs < candidate && interval.endMs > candidate)) common = false;
        else if (!this.finished[w]) return null;
      }
      if (common) return candidate;
    }
    return null;
  }

  private record(interval: WireInterval): void {
    for (const metric of interval.metrics) {
      this.recorders
        .metric(metric.name)
        .recordCounts(
          new SparseCounts(metric.indexes, metric.counts, metric.totalCount),
          metric.clamped,
          metric.invalid,
        );
    }
  }
}
