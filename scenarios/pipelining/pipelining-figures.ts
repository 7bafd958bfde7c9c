import type { BatchFetchMode } from './batch-fetch.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';

/**
 * Names of the pipelining scenario's metrics and values. One scheme for both, in the gate's
 * selector syntax so a budget can address every variant:
 *   <mode>[batch=<n>]              at no added round trip (direct loopback connection)
 *   <mode>[batch=<n>,rtt=<r>ms]    through the fault proxy adding <r> ms per round trip
 * e.g. `pipeline[batch=5]`, `sequential[batch=50,rtt=2ms]`, `speedup[batch=5,rtt=1ms]`;
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

/** The scalar value holding what the proxy really adds to one GET, e.g. `added-rtt[rtt=1ms]`. */
export function addedRttValueName(rttMs: number): string {
  if (rttMs === 0) throw new RangeError('the direct route adds no round trip to measure');
  return `added-rtt[rtt=${rttLabel(rttMs)}]`;
}

/** The grid a run measures: every batch size at every added round trip. */
export interface PipeliningGrid {
  readonly batchSizes: readonly number[];
  readonly addedRttsMs: readonly number[];
}

/** One round's p50s of one cell, in ns; NaN for a missing or non-positive figure. */
function cellP50sNs(
  p50Ns: (metric: string) => number | undefined,
  batch: number,
  rttMs: number,
): { readonly sequential: number; readonly pipeline: number } {
  const positive = (value: number | undefined): number => (value !== undefined && value > 0 ? value : Number.NaN);
  return {
    sequential: positive(p50Ns(batchMetricName('sequential', batch, rttMs))),
    pipeline: positive(p50Ns(batchMetricName('pipeline', batch, rttMs))),
  };
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
      const { sequential, pipeline } = cellP50sNs(p50Ns, batch, rttMs);
      out[speedupValueName(batch, rttMs)] = sequential / pipeline;
    }
  }
  return out;
}

/** One round's figures of one cell, the three the document's example quotes. */
export interface ExampleFigures {
  /** sequential p50 / pipeline p50. */
  readonly speedup: number;
  /** p50 of the batch fetched one GET after another, in ms. */
  readonly sequentialMs: number;
  /** p50 of the batch fetched in one pipeline, in ms. */
  readonly pipelineMs: number;
}

/**
 * The figures of one round for the document's example (`batch` GETs at `rttMs` added per round
 * trip), from that round's p50s in ns; NaN where a p50 is missing or not positive.
 */
export function exampleFigures(
  p50Ns: (metric: string) => number | undefined,
  batch: number,
  rttMs: number,
): ExampleFigures {
  const { sequential, pipeline } = cellP50sNs(p50Ns, batch, rttMs);
  return { speedup: sequential / pipeline, sequentialMs: sequential / NS_PER_MS, pipelineMs: pipeline / NS_PER_MS };
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
