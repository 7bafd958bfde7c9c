import { MS_PER_S } from '../core/units.ts';
import type { GeneratorLoad } from '../measure/generator-load.ts';
/** What a load run did, as plain data. Rates are in operations per second. */
export interface LoadResult {
  /** Operations sent in the measured phase. */
  readonly sent: number;
  readonly ok: number;
  /** Failures other than timeouts. */
  readonly errors: number;
  readonly timeouts: number;
  /** Still pending when the drain bound (or an abort) ended the run: neither recorded nor counted as ok/error. */
  readonly abandoned: number;
  /** Open loop: due before the end but never sent because the in-flight bound stayed full. Closed loop: 0. */
  readonly unsent: number;
  /** Open loop: the time-weighted scheduled rate. Closed loop: null, it has no target. */
  readonly targetRate: number | null;
  readonly achievedRate: number;
  /** Open loop: the largest delay of an actual send behind its intended time. Closed loop: null. */
  readonly maxSendLagMs: number | null;
  /** The measured phase's sending window (warm-up and the final drain excluded). */
  readonly durationMs: number;
  readonly aborted: boolean;
  readonly warnings: readonly string[];
  /**
   * How busy the generator was over the measured phase (bench/measure/generator-load.ts): set by
   * the open and closed loops and the worker pool; absent from results made elsewhere.
   */
  readonly generatorLoad?: GeneratorLoad;
}

const count = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Milliseconds in the unit a reader takes in at a glance. */
export function formatDurationMs(ms: number): string {
  return ms >= MS_PER_S
    ? `${(ms / MS_PER_S).toFixed(ms >= 10 * MS_PER_S ? 0 : 1)} s`
    : `${ms.toFixed(ms >= 10 ? 0 : 1)} ms`;
}

export function fellBehindWarning(achievedRate: number, targetRate: number, maxSendLagMs: number): string {
  return `generator fell behind: achieved ${count(achievedRate)} ops/s of ${count(targetRate)} target; max send lag ${formatDurationMs(maxSendLagMs)}`;
}

export function sendLagWarning(maxSendLagMs: number, maxInFlight: number): string {
  return (
    `sends lagged up to ${formatDurationMs(maxSendLagMs)} behind schedule (in-flight bound ${count(maxInFlight)} full or event loop busy); ` +
    'the corrected latency includes that wait, the uncorrected one does not'
  );
}

export function unsentWarning(unsent: number, maxInFlight: number): string {
  return `${count(unsent)} operations due before the end were never sent: the in-flight bound (${count(maxInFlight)}) stayed full`;
}

export function abandonedWarning(abandoned: number, drainTimeoutMs: number, aborted: boolean): string {
  const when = aborted ? 'when the run was aborted' : `${formatDurationMs(drainTimeoutMs)} after the end`;
  return `${count(abandoned)} operations still pending ${when} were abandoned (not recorded)`;
}

export function abortedWarning(durationMs: number): string {
  return `run aborted after ${formatDurationMs(durationMs)}; the figures cover only the part that ran`;
}
