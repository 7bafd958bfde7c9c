/**
 * Micro-benchmark of the recorder's hot path: MetricRecorder.recordNs beside a bare
 * hdr-histogram-js recordValue on the same bounds.
 * Run: npx tsx bench/microbench/record-value.bench.ts [--time-ms 2000] [--warmup-ms 500]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
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

export interface PerCallResult extends MicroResult {
  readonly callsPerIteration: number;
  readonly perCallMedianNs: number;
  readonly perCallMeanNs: number;
  readonly perCallP99Ns: number;
}

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

export async function recordValueSuite(options: MicroBenchOptions = DEFAULT_MICROBENCH_OPTIONS): Promise<PerCallResult[]> {
  const values = latencySample(RECORD_BATCH_SIZE, RECORD_VALUES_SEED);
  const recorder = new MetricRecorder('bench', 0);
  const histogram = createLatencyHistogram();
  const results = await runMicroBench(
    'record-value',
    [
      { name: `MetricRecorder.recordNs x${RECORD_BATCH_SIZE}`, fn: () => { for (let i = 0; i < values.length; i++) recorder.recordNs(values[i]); } },
      { name: `hdr-histogram-js recordValue (Float64) x${RECORD_BATCH_SIZE}`, fn: () => { for (let i = 0; i < values.length; i++) histogram.recordValue(values[i]); } },
    ],
    options,
  );
  // Keeps both targets observable so no loop can be optimised away.
  if (recorder.total().totalCount === 0 || histogram.totalCount === 0) throw new Error('record-value benchmark recorded nothing');
  return results.map((result) => ({
    ...result,
    callsPerIteration: RECORD_BATCH_SIZE,
    perCallMedianNs: result.medianNs / RECORD_BATCH_SIZE,
    perCallMeanNs: result.meanNs / RECORD_BATCH_SIZE,
    perCallP99Ns: result.p99Ns / RECORD_BATCH_SIZE,
  }));
}

function parsePositiveMs(raw: string | undefined, fallback: number, flag: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} must be a positive number of milliseconds, got ${JSON.stringify(raw)}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'time-ms': { type: 'string' }, 'warmup-ms': { type: 'string' } } });
  const options: MicroBenchOptions = {
    timeMs: parsePositiveMs(values['time-ms'], DEFAULT_MICROBENCH_OPTIONS.timeMs, '--time-ms'),
    warmupTimeMs: parsePositiveMs(values['warmup-ms'], DEFAULT_MICROBENCH_OPTIONS.warmupTimeMs, '--warmup-ms'),
  };
  for (const result of await recordValueSuite(options)) process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
