import type { BatchFetchMode } from './batch-fetch.ts';

/**
 * Names of the pipelining scenario's metrics and values. One scheme for both, in the gate's
 * selector syntax so a budget can address every variant:
 *   <mode>[batch=<n>]              at no added round trip (direct loopback connection)
 *   <mode>[batch=<n>,rtt=<r>ms]    through the fault proxy adding <r> ms per round trip
 * e.g. `pipeline[batch=5]`, `sequential[batch=50,rtt=2ms]`, `speedup[batch=5,rtt=0.5ms]`;
 * a budget reads them as `pipelining.pipeline[batch=5].p50` or `pipelining.speedup[batch=5]`.
 */

/** "2ms", "0.5ms": the added round trip as written in names. */
export function rttLabel(rttMs: number): string {
  if (!Number.isFinite(rttMs) || rttMs < 0)
    throw new RangeError(`added round trip must be a finite number of ms >= 0, got ${rttMs}`);
  return `${rttMs}ms`;
}

function variantName(base: string, batch: number, rttMs: number): string {
  if (!Number.isSafeInteger(batch) || batch < 1)
    throw new RangeError(`batch size must be a positive integer, got ${batch}`);
  return rttMs === 0 ? `${base}[batch=${batch}]` : `${base}[batch=${batch},rtt=${rttLabel(rttMs)}]`;
}

/** The latency metric of one way of fetching one batch size at one added round trip. */
export function batchMetricName(mode: BatchFetchMode, batch: number, rttMs: number): string {
  return variantName(mode, batch, rttMs);
}

/** The scalar value holding sequential p50 / pipeline p50 for one batch size and added round trip. */
export function speedupValueName(batch: number, rttMs: number): string {
  return variantName('speedup', batch, rttMs);
}

/** The grid a run measures: every batch size at every added round trip. */
export interface PipeliningGrid {
  readonly batchSizes: readonly number[];
  readonly addedRttsMs: readonly number[];
}

/**
 * Speedups of one round, keyed by speedupValueName: sequential p50 / pipeline p50, both from that
 * round's histograms (a ratio within a round shares the machine's state). `p50Ns` gives a metric's
 * p50 in ns; a missing or non-positive figure gives NaN, never a made-up ratio.
 */
export function roundSpeedups(
  p50Ns: (metric: string) => number | undefined,
  grid: PipeliningGrid,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rttMs of grid.addedRttsMs) {
    for (const batch of grid.batchSizes) {
      const sequential = p50Ns(batchMetricName('sequential', batch, rttMs)) ?? Number.NaN;
      const pipeline = p50Ns(batchMetricName('pipeline', batch, rttMs)) ?? Number.NaN;
      out[speedupValueName(batch, rttMs)] = sequential > 0 && pipeline > 0 ? sequential / pipeline : Number.NaN;
    }
  }
  return out;
}

/** Per-round figures turned around: for each name, its figure in every round, in round order. */
export function trialsByName(rounds: readonly Readonly<Record<string, number>>[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  rounds.forEach((round, index) => {
    for (const [name, value] of Object.entries(round)) {
      const list = (out[name] ??= []);
      // A name missing from earlier rounds keeps its place: trial i is round i.
      while (list.length < index) list.push(Number.NaN);
      list.push(value);
    }
  });
  return out;
}
