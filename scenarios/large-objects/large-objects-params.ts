/** The large-objects scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface LargeObjectsParams {
  /** Trials behind every verdict: one paired round of the large object and the feature vector each. */
  readonly trials: number;
  /** Size of the large object's JSON (the document's "10MB JSON string"). */
  readonly largeBytes: number;
  /** Serialise + parse repetitions of the large object per trial (its median is the trial's figure). */
  readonly codecRepetitions: number;
  /** Timed SETs and GETs of the large object per trial (the feature vector gets 20 times as many). */
  readonly ioRepetitions: number;
  /** Length of each head-of-line window (the large value moving, then the feature vector, or the reverse). */
  readonly windowMs: number;
  /** The other client's small GETs per second during a window (open loop). */
  readonly probeRatePerSecond: number;
}

/**
 * 6 trials (the fewest that give a verdict) of 3 codec repetitions and 1-s windows: about 3.5 s a
 * trial. The probe's 1,000 GETs/s give 1,000 samples per window, so its p99 is the 10th-slowest.
 */
export const DEFAULT_LARGE_OBJECTS_PARAMS: LargeObjectsParams = {
  trials: 6,
  largeBytes: 10 * 1024 * 1024,
  codecRepetitions: 1,
  ioRepetitions: 5,
  windowMs: 1_000,
  probeRatePerSecond: 1_000,
};

/** --quick: one codec repetition, two timed SET/GETs and 250-ms windows (250 probe samples, p99 the 3rd-slowest). */
export const QUICK_LARGE_OBJECTS_PARAMS: LargeObjectsParams = {
  ...DEFAULT_LARGE_OBJECTS_PARAMS,
  codecRepetitions: 1,
  ioRepetitions: 2,
  windowMs: 250,
};

export const LARGE_OBJECTS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: { kind: 'integer', min: 1, max: 30, description: 'paired trials (6 or more for a verdict)' },
  largeBytes: {
    kind: 'integer',
    min: 100_000,
    max: 100 * 1024 * 1024,
    description: "bytes of the large object's JSON (the document's 10 MB)",
  },
  codecRepetitions: { kind: 'integer', min: 1, max: 20, description: 'serialise + parse repetitions per trial' },
  ioRepetitions: { kind: 'integer', min: 1, max: 50, description: 'timed SETs and GETs of the large object per trial' },
  windowMs: { kind: 'integer', min: 100, max: 60_000, description: 'length of each head-of-line window' },
  probeRatePerSecond: {
    kind: 'integer',
    min: 50,
    max: 20_000,
    description: "the other client's small GETs per second during a window",
  },
};
