/**
 * Micro-benchmark of the recorder's hot path: MetricRecorder.recordNs beside a bare
 * hdr-histogram-js recordValue on the same bounds.
 * Run: npx tsx bench/microbench/record-value.bench.ts [--time-ms 2000] [--warmup-ms 500]
 */
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { MetricRecorder } from '../measure/metric-recorder.ts';
import { DEFAULT_MICROBENCH_OPTIONS, runMicroBench } from './run-bench.ts';
import type { MicroBenchOptions, MicroResult } from './run-bench.ts';

/**
 * tinybench's per-iteration overhead (timer reads, the task call, bookkeeping) is tens of ns,
 * the size of what we measure, so each iteration records a batch and the figures are divided
 * by the batch size. Varied values matter: the library's cost depends on the value (Math.log2).
 */
export const RECORD_BATCH_SIZE = 1_000;
export const RECORD_VALUES_SEED = 20_240_101;

/** Latencies spread log-uniformly over 10 us .. 100 ms (a seeded LCG, Numerical Recipes constants). */
export function latencySample(count: number, seed: number): Float64Array {
  const values = new Float64Array(count);
  let state = seed >>> 0;
  const low = Math.log(10_000);
  const high = Math.log(100_000_000);
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    values[i] = Math.floor(Math.exp(low + (state / 4_294_967_296) * (high - low)));
  }
  return values;
}

export async function recordValueSuite(
  options: MicroBenchOptions = DEFAULT_MICROBENCH_OPTIONS,
): Promise<MicroResult[]> {
  const values = latencySample(RECORD_BATCH_SIZE, RECORD_VALUES_SEED);
  const recorder = new MetricRecorder('bench', 0);
  const histogram = createLatencyHistogram();
  const results = await runMicroBench(
    'record-value',
    [
      {
        id: 'metric-recorder',
        name: `MetricRecorder.recordNs (per call; batches of ${RECORD_BATCH_SIZE})`,
        fn: () => {
          for (let i = 0; i < values.length; i++) recorder.recordNs(values[i]);
        },
      },
      {
        id: 'hdr-record-value',
        name: `hdr-histogram-js recordValue (per call; batches of ${RECORD_BATCH_SIZE})`,
        fn: () => {
          for (let i = 0; i < values.length; i++) histogram.recordValue(values[i]);
        },
      },
    ],
    options,
  );
  // Keeps both targets observable so no loop can be optimised away.
  if (recorder.total().totalCount === 0 || histogram.totalCount === 0)
    throw new Error('record-value benchmark recorded nothing');
  return results.map((result) => ({
    ...result,
    medianNs: result.medianNs / RECORD_BATCH_SIZE,
    meanNs: result.meanNs / RECORD_BATCH_SIZE,
    // The p99 of batch means says nothing about the p99 of single calls: not reported.
    p99Ns: Number.NaN,
  }));
}
