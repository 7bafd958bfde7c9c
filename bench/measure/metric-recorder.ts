import type { Histogram } from 'hdr-histogram-js';
import { createLatencyHistogram, HIGHEST_TRACKABLE_VALUE_NS } from './histogram-bounds.ts';
import type { LatencyUnit } from './histogram-bounds.ts';
import { LatencyCounts } from './latency-counts.ts';
import type { SparseCounts } from './latency-counts.ts';

export interface MetricRecorderOptions {
  /** The unit reports show this metric in; recording is always in ns. */
  readonly displayUnit: LatencyUnit;
}

export const DEFAULT_METRIC_RECORDER_OPTIONS: MetricRecorderOptions = { displayUnit: 'ms' };

/** One closed interval, kept as sparse counts; `histogram` builds a new dense copy on each access (~0.1 ms, 270 KB). */
export class IntervalHistogram {
  constructor(
    readonly startTimeMs: number,
    readonly endTimeMs: number,
    private readonly counts: SparseCounts,
  ) {}

  get totalCount(): number {
    return this.counts.totalCount;
  }

  /** The interval's counts as they are (for shipping them exactly from a worker thread). */
  get sparseCounts(): SparseCounts {
    return this.counts;
  }

  /** Adds this interval's counts into `target` (merging intervals without a dense copy each). */
  addTo(target: Histogram): void {
    this.counts.addTo(target);
  }

  get histogram(): Histogram {
    const histogram = createLatencyHistogram();
    this.counts.addTo(histogram);
    histogram.startTimeStampMsec = this.startTimeMs;
    histogram.endTimeStampMsec = this.endTimeMs;
    return histogram;
  }
}

/**
 * Latencies of one metric, in ns, cut into intervals. recordNs touches only the open interval's
 * counts; cutInterval folds them into the running total. Nothing here throws on the measured path.
 */
export class MetricRecorder {
  readonly options: MetricRecorderOptions;
  private readonly open = new LatencyCounts();
  private readonly closedTotal = createLatencyHistogram();
  private closed: IntervalHistogram[] = [];
  private openStartMs: number;
  private clampedCount = 0;
  private invalidCount = 0;
  /** Closed-interval counts at each trial's end (see markTrial). */
  private trialEnds: number[] = [];

  constructor(
    readonly name: string,
    startTimeMs: number,
    options: Partial<MetricRecorderOptions> = {},
  ) {
    this.options = { ...DEFAULT_METRIC_RECORDER_OPTIONS, ...options };
    this.openStartMs = startTimeMs;
  }

  /**
   * Records one latency. Above one hour it is clamped to the maximum and counted in `clamped`;
   * a negative, NaN or infinite value is a caller bug: counted in `invalid`, not recorded.
   */
  recordNs(valueNs: number): void {
    if (valueNs >= 0 && valueNs <= HIGHEST_TRACKABLE_VALUE_NS) {
      this.open.record(valueNs);
    } else if (valueNs > HIGHEST_TRACKABLE_VALUE_NS && valueNs !== Infinity) {
      this.clampedCount++;
      this.open.record(HIGHEST_TRACKABLE_VALUE_NS);
    } else {
      this.invalidCount++;
    }
  }

  /**
   * Adds counts recorded elsewhere (a worker thread) into the open interval, exactly; their
   * clamped and invalid tallies are added too.
   */
  recordCounts(counts: SparseCounts, clamped = 0, invalid = 0): void {
    this.open.add(counts);
    this.clampedCount += clamped;
    this.invalidCount += invalid;
  }

  /** Closes the open interval at endTimeMs (never before its start) and opens the next one there. */
  cutInterval(endTimeMs: number): IntervalHistogram {
    const end = Math.max(endTimeMs, this.openStartMs);
    const counts = this.open.snapshot();
    this.open.clear();
    counts.addTo(this.closedTotal);
    const interval = new IntervalHistogram(this.openStartMs, end, counts);
    this.closed.push(interval);
    this.openStartMs = end;
    return interval;
  }

  /** A new histogram of everything since the last reset, the open interval included. */
  total(): Histogram {
    const total = createLatencyHistogram();
    total.add(this.closedTotal);
    this.open.snapshot().addTo(total);
    return total;
  }

  intervals(): readonly IntervalHistogram[] {
    return [...this.closed];
  }

  /**
   * Ends a trial (a round of a scenario) at the last closed interval; call after cutInterval.
   * Trials are the unit of the statistics (verdicts, baseline comparison), not single requests.
   */
  markTrial(): void {
    this.trialEnds.push(this.closed.length);
  }

  /** For a metric first recorded after `count` trials were marked: those trials are empty for it. */
  padTrials(count: number): void {
    while (this.trialEnds.length < count) this.trialEnds.push(0);
  }

  /** One histogram per marked trial: the intervals between consecutive marks, merged. */
  trialHistograms(): Histogram[] {
    let start = 0;
    return this.trialEnds.map((end) => {
      const histogram = createLatencyHistogram();
      for (let i = start; i < end; i++) this.closed[i]!.addTo(histogram);
      start = end;
      return histogram;
    });
  }

  /** Drops everything recorded so far (the warm-up) and opens a fresh interval at nowMs. */
  reset(nowMs: number): void {
    this.open.clear();
    this.closedTotal.reset();
    this.closed = [];
    this.trialEnds = [];
    this.openStartMs = nowMs;
    this.clampedCount = 0;
    this.invalidCount = 0;
  }

  get openIntervalStartMs(): number {
    return this.openStartMs;
  }

  get openCount(): number {
    return this.open.totalCount;
  }

  get clamped(): number {
    return this.clampedCount;
  }

  get invalid(): number {
    return this.invalidCount;
  }
}
