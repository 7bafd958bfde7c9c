import { nowEpochMs } from './clock.ts';
import { MetricRecorder } from './metric-recorder.ts';
import type { MetricRecorderOptions } from './metric-recorder.ts';

export interface RecorderSetOptions {
  /** Epoch-ms clock for interval boundaries; injectable so tests control time. */
  readonly clock: () => number;
}

export const DEFAULT_RECORDER_SET_OPTIONS: RecorderSetOptions = { clock: nowEpochMs };

export const DEFAULT_TICK_INTERVAL_MS = 1_000;

/** The metrics of one run, created on first use, cut into intervals together. */
export class RecorderSet {
  private readonly clock: () => number;
  private readonly recorders = new Map<string, MetricRecorder>();
  private startMs: number;
  private lastCutMs: number;
  private trialCount = 0;
  private ticker: NodeJS.Timeout | undefined;

  constructor(options: Partial<RecorderSetOptions> = {}) {
    this.clock = { ...DEFAULT_RECORDER_SET_OPTIONS, ...options }.clock;
    this.startMs = this.clock();
    this.lastCutMs = this.startMs;
  }

  /** Epoch ms of the set's start (or of the last resetAll): the .hlog StartTime. */
  get startTimeMs(): number {
    return this.startMs;
  }

  /** The named recorder; options apply only when it is created, a conflicting unit later is a bug. */
  metric(name: string, options: Partial<MetricRecorderOptions> = {}): MetricRecorder {
    const existing = this.recorders.get(name);
    if (existing !== undefined) {
      if (options.displayUnit !== undefined && options.displayUnit !== existing.options.displayUnit) {
        throw new Error(
          `metric ${name} already records with display unit ${existing.options.displayUnit}, not ${options.displayUnit}`,
        );
      }
      return existing;
    }
    const recorder = new MetricRecorder(name, this.clock(), options);
    // Trial indexes stay aligned across metrics: trials before this one's first value are empty.
    recorder.padTrials(this.trialCount);
    this.recorders.set(name, recorder);
    return recorder;
  }

  names(): string[] {
    return [...this.recorders.keys()];
  }

  cutAll(nowMs: number = this.clock()): void {
    this.lastCutMs = nowMs;
    for (const recorder of this.recorders.values()) recorder.cutInterval(nowMs);
  }

  /**
   * Cuts the intervals when at least intervalMs passed since the last cut. A closed-loop scenario
   * calls it between operations, so the cut (milliseconds for many metrics) never lands inside a
   * timed operation, as a timer firing on the same event loop would.
   */
  cutIfDue(intervalMs: number = DEFAULT_TICK_INTERVAL_MS): boolean {
    const now = this.clock();
    if (now - this.lastCutMs < intervalMs) return false;
    this.cutAll(now);
    return true;
  }

  /** Ends a trial for every metric: cuts the open intervals, then marks the boundary. */
  markTrial(nowMs: number = this.clock()): void {
    this.cutAll(nowMs);
    this.trialCount += 1;
    for (const recorder of this.recorders.values()) recorder.markTrial();
  }

  /** Drops everything recorded so far (the warm-up); the set's start time moves to nowMs. */
  resetAll(nowMs: number = this.clock()): void {
    this.startMs = nowMs;
    this.lastCutMs = nowMs;
    this.trialCount = 0;
    for (const recorder of this.recorders.values()) recorder.reset(nowMs);
  }

  /**
   * Cuts all intervals every intervalMs until stopTicking. The timer is unref'd so it never keeps
   * the process alive; starting again replaces the running timer. After stopTicking, call cutAll
   * once more to close the last, partial interval.
   */
  startTicking(intervalMs: number = DEFAULT_TICK_INTERVAL_MS): void {
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs))
      throw new Error(`tick interval must be a positive number of ms, got ${intervalMs}`);
    this.stopTicking();
    this.ticker = setInterval(() => this.cutAll(this.clock()), intervalMs);
    this.ticker.unref();
  }

  stopTicking(): void {
    if (this.ticker === undefined) return;
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  get ticking(): boolean {
    return this.ticker !== undefined;
  }
}
